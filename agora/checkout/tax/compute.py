"""Pure VAT computation for a basket: no ORM, no clock, plain data in and out.

Rules implemented (destination principle, as for EU distance sales since July 2021):

- Destination in an EU member state: that country's rate for the line's category. A category
  the country has no rate for (Denmark has no reduced rate) is taxed at its standard rate.
- A postcode exception with rate 0 (Canary Islands, Ceuta, Melilla, Heligoland, Büsingen, Mount
  Athos, Livigno, Campione, Guyane, Mayotte) is outside the EU VAT area: 0 %, an export. An
  exception with its own rate (Madeira, the Azores, Guadeloupe, Martinique, Réunion, Jungholz,
  Mittelberg) replaces the *standard* rate only; the source lists no other rates for them.
- Reverse charge: a business buyer whose VAT id validates (python-stdnum through
  ``agora.marketplace.vat``) and belongs to an EU member state other than the seller's country
  pays no VAT; the result carries the note "VAT reverse charged" for the invoice.
- GB destination: GB VAT. Any other country: 0 %, an export.
- Prices tax-inclusive: the line's gross is ``unit * quantity`` and its VAT is
  ``gross * r / (100 + r)``; tax-exclusive: the net is ``unit * quantity`` and the VAT is
  ``net * r / 100``. Under 0 % an inclusive price is all net: the buyer pays the stored price.

Rounding happens once per line, half-even, in :func:`agora.core.money.quantize` (the one rounding
place of Agora); totals are integer sums of the lines, so they are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from agora.checkout.errors import TAX_RATE_UNKNOWN
from agora.checkout.tax.rates import (
    CATEGORIES,
    EU_MEMBER_STATES,
    STANDARD,
    RateTable,
)
from agora.core.errors import VALIDATION, AgoraError, FieldError, invalid
from agora.core.money import exponent, quantize
from agora.marketplace.vat import VatIdError, normalize_vat_id

REVERSE_CHARGE_NOTE = "VAT reverse charged"
EXPORT_NOTE = "export outside the EU VAT area: no VAT charged"
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class TaxLine:
    key: str  # the caller's id for the line (a variant's public id)
    unit_price_minor: int
    quantity: int
    category: str = STANDARD


@dataclass(frozen=True, slots=True)
class LineTax:
    key: str
    category: str
    rate: Decimal  # percent
    net_minor: int
    tax_minor: int
    gross_minor: int


@dataclass(frozen=True, slots=True)
class TaxResult:
    currency: str
    regime: str  # "destination", "reverse_charge", "export", "gb"
    country: str
    lines: tuple[LineTax, ...]
    net_minor: int
    tax_minor: int
    gross_minor: int
    notes: tuple[str, ...] = ()
    buyer_vat_id: str = ""
    by_rate: dict[str, int] = field(default_factory=dict)  # percent → VAT in minor units


def vat_id_country(vat_id: str) -> str:
    """The ISO country of a VAT id's prefix (``EL`` → ``GR``, ``XI`` → ``GB``)."""
    prefix = vat_id.strip().upper()[:2]
    return {"EL": "GR", "XI": "GB"}.get(prefix, prefix)


def validate_vat_id(vat_id: str, *, field_name: str = "vat_id") -> str:
    """The normalised VAT id (with its country prefix), or a validation error naming the field."""
    country = vat_id_country(vat_id)
    if not country.isalpha() or len(country) != 2:
        raise invalid(field_name, f"{vat_id!r} must start with its country prefix, e.g. DE…")
    try:
        return normalize_vat_id(country, vat_id)
    except VatIdError as exc:
        raise invalid(field_name, str(exc)) from exc


def line_tax(
    *, amount_minor: int, rate: Decimal, currency: str, prices_include_tax: bool
) -> tuple[int, int, int]:
    """(net, tax, gross) of one line whose price total is ``amount_minor``; the one rounding."""
    scale = -exponent(currency)
    if prices_include_tax:
        gross = amount_minor
        tax = quantize((Decimal(gross) * rate / (100 + rate)).scaleb(scale), currency)
        return gross - tax, tax, gross
    net = amount_minor
    tax = quantize((Decimal(net) * rate / 100).scaleb(scale), currency)
    return net, tax, net + tax


def _check_lines(lines: Sequence[TaxLine], known: set[str]) -> None:
    errors = []
    for i, line in enumerate(lines):
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int):
            errors.append(FieldError(f"lines[{i}].quantity", "must be an integer"))
        elif line.quantity < 1:
            errors.append(FieldError(f"lines[{i}].quantity", "must be at least 1"))
        if not isinstance(line.unit_price_minor, int) or line.unit_price_minor < 0:
            errors.append(FieldError(f"lines[{i}].unit_price_minor", "must be an integer ≥ 0"))
        if line.category not in known:
            errors.append(
                FieldError(
                    f"lines[{i}].category",
                    f"{line.category!r} is not a tax category; use one of {sorted(known)}",
                )
            )
    if errors:
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
        raise AgoraError(VALIDATION, detail, errors)


def compute_tax(
    *,
    lines: Sequence[TaxLine],
    currency: str,
    seller_country: str,
    country: str,
    postcode: str = "",
    prices_include_tax: bool,
    buyer_vat_id: str = "",
    table: RateTable,
) -> TaxResult:
    """VAT per line and in total for one seller's lines sent to ``country``/``postcode``.

    ``buyer_vat_id`` empty means a consumer (B2C); otherwise it must validate (else a
    validation error naming ``vat_id``). ``table`` maps a country to its rates in force
    (``runtime.rate_table()`` in the app; any table in tests).
    """
    country = country.upper()
    known = set(CATEGORIES) | {c for rates in table.values() for c in rates.rates}
    _check_lines(lines, known)
    vat_id = validate_vat_id(buyer_vat_id) if buyer_vat_id else ""
    regime, notes, rates = _regime(
        country=country,
        postcode=postcode,
        seller_country=seller_country.upper(),
        vat_id=vat_id,
        table=table,
    )
    results = []
    by_rate: dict[str, int] = {}
    for line in lines:
        rate = rates.get(line.category, rates.get(STANDARD, ZERO))
        net, tax, gross = line_tax(
            amount_minor=line.unit_price_minor * line.quantity,
            rate=rate,
            currency=currency,
            prices_include_tax=prices_include_tax,
        )
        results.append(LineTax(line.key, line.category, rate, net, tax, gross))
        label = format(rate.normalize(), "f")
        by_rate[label] = by_rate.get(label, 0) + tax
    return TaxResult(
        currency=currency,
        regime=regime,
        country=country,
        lines=tuple(results),
        net_minor=sum(r.net_minor for r in results),
        tax_minor=sum(r.tax_minor for r in results),
        gross_minor=sum(r.gross_minor for r in results),
        notes=notes,
        buyer_vat_id=vat_id,
        by_rate=by_rate,
    )


def _regime(
    *, country: str, postcode: str, seller_country: str, vat_id: str, table: RateTable
) -> tuple[str, tuple[str, ...], dict[str, Decimal]]:
    """Which rule applies, its notes, and the rates by category (empty → 0 %)."""
    if country in EU_MEMBER_STATES:
        entry = table.get(country)
        if entry is None:
            raise AgoraError(TAX_RATE_UNKNOWN, f"no VAT rates are configured for {country}")
        exception = entry.exception_for(postcode)
        if exception is not None and exception.standard == 0:
            note = f"{exception.name} ({country} {postcode}) is outside the EU VAT area"
            return "export", (EXPORT_NOTE, note), {}
        buyer_country = vat_id_country(vat_id) if vat_id else ""
        if buyer_country in EU_MEMBER_STATES and buyer_country != seller_country:
            return "reverse_charge", (REVERSE_CHARGE_NOTE,), {}
        rates = dict(entry.rates)
        notes: tuple[str, ...] = ()
        if exception is not None:
            rates[STANDARD] = exception.standard
            notes = (f"{exception.name} standard rate {exception.standard} %",)
        return "destination", notes, rates
    if country == "GB" and "GB" in table:
        return "gb", (), dict(table["GB"].rates)
    return "export", (EXPORT_NOTE,), {}
