"""The one place a buyer-facing price is computed: :func:`quote` and :func:`quote_many`.

The rule (issue 8, "fair prices"; DESIGN.md §4): **a price is a property of the product, the
channel, the currency and the public promotion, never of the person.** The functions below take
only those inputs, plus the *holdings* of documented, opt-in, equal-for-all schemes (a
membership, a coupon the buyer holds), so no caller can hand them a buyer's identity, order
history, account age, device or location: there is no parameter to put them in. Two buyers with
the same holdings are quoted the same amount for the same variant, channel and currency.

What each input may do:

- ``variant`` and ``currency``: the seller's price (:class:`~agora.pricing.models.Price`), the
  same for everyone.
- ``channel`` (``storefront``, ``cart``, ``api``): named so that a channel price would have to be
  a documented rule here; today every channel is quoted the same amount.
- public promotion: a seller's reduction is a price change recorded in the price history, for
  everyone alike. When the current price is a reduction, the quote carries the EU Omnibus
  prior price (``prior_minor``): the lowest price in force in the 30 days before the current
  price took effect (:func:`agora.pricing.selectors.lowest_prior_prices`); it is ``None`` when
  the current price is not below that low (nothing may then be shown as a "was" price).
- ``holdings``: scheme memberships or coupons the buyer chose to hold. A scheme is a
  :class:`Scheme` registered with :func:`register_scheme`, documented by its ``description``,
  giving the same amount to every holder. None is registered today, so holdings change nothing
  and an unknown one is refused (:data:`~agora.pricing.errors.SCHEME_UNKNOWN`).

Taxes and shipping are not prices of the product: VAT follows the delivery address by law and
shipping the parcel (both computed by checkout from the cart); ``agora audit prices``
(:mod:`agora.pricing.audit`) checks that every channel shows each variant at the amount quoted
here, for buyers that differ in history, device, location and loyalty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from agora.core.errors import AgoraError
from agora.core.money import MoneyError, normalize_currency
from agora.pricing import errors
from agora.pricing.models import Price
from agora.pricing.selectors import lowest_prior_prices

CHANNELS = ("storefront", "cart", "api")
OMNIBUS_DAYS = 30


@dataclass(frozen=True)
class Holding:
    """Something a buyer holds that a documented scheme prices: ``scheme`` names the scheme,
    ``reference`` the membership or coupon code. It says nothing about who holds it."""

    scheme: str
    reference: str = ""


@dataclass(frozen=True)
class Scheme:
    """A documented, opt-in, equal-for-all price rule: ``apply(list_minor, currency, holding)``
    returns the amount every holder pays (never more than the list price)."""

    code: str
    description: str
    apply: Callable[[int, str, Holding], int]


_SCHEMES: dict[str, Scheme] = {}


def register_scheme(scheme: Scheme) -> None:
    """Adds a documented scheme (a membership price, a coupon). Its description is listed by
    ``agora audit prices`` as a rule that may explain a difference between two buyers."""
    _SCHEMES[scheme.code] = scheme


def unregister_scheme(code: str) -> None:
    _SCHEMES.pop(code, None)


def schemes() -> list[Scheme]:
    """The documented schemes, by code."""
    return [_SCHEMES[code] for code in sorted(_SCHEMES)]


@dataclass(frozen=True)
class Quote:
    """What a variant costs in a currency on a channel: ``amount_minor`` is what the buyer pays
    per unit; ``list_minor`` the seller's price; ``prior_minor`` the Omnibus 30-day low when the
    price is a reduction (else None); ``rules`` the documented rules that made ``amount_minor``
    differ from ``list_minor`` (empty: the list price)."""

    variant_id: int
    currency: str
    channel: str
    amount_minor: int
    list_minor: int
    prior_minor: int | None
    rules: tuple[str, ...] = ()


def _checked(
    channel: str, currency: str, holdings: Iterable[Holding]
) -> tuple[str, list[tuple[Scheme, Holding]]]:
    if channel not in CHANNELS:
        raise ValueError(f"unknown price channel {channel!r}; one of {', '.join(CHANNELS)}")
    try:
        code = normalize_currency(currency)
    except MoneyError as exc:
        raise AgoraError(errors.CURRENCY_UNKNOWN, str(exc)) from exc
    applied: list[tuple[Scheme, Holding]] = []
    for holding in holdings:
        scheme = _SCHEMES.get(holding.scheme)
        if scheme is None:
            raise AgoraError(
                errors.SCHEME_UNKNOWN,
                f"{holding.scheme!r} is not a documented price scheme "
                f"(known: {', '.join(sorted(_SCHEMES)) or 'none'})",
            )
        applied.append((scheme, holding))
    return code, applied


def quote_many(
    variant_ids: Iterable[int],
    *,
    channel: str,
    currency: str,
    holdings: Iterable[Holding] = (),
    with_prior: bool = True,
    listed: Mapping[int, int] | None = None,
) -> dict[int, Quote]:
    """:func:`quote` for many variants at once (a cart, a product page): one query for the
    prices and, with ``with_prior``, three for the Omnibus prior prices, whatever their number.
    Variants not sold in ``currency`` are absent from the answer.

    ``listed`` (variant id → amount of its ``Price`` in ``currency``) spares the price query
    when the caller has just read those rows (the product page's catalogue document); it must
    be the ``Price`` rows as stored, nothing derived from a buyer."""
    code, applied = _checked(channel, currency, holdings)
    ids = list(dict.fromkeys(variant_ids))
    if not ids:
        return {}
    if listed is None:
        listed = dict(
            Price.objects.filter(variant_id__in=ids, currency=code).values_list(
                "variant_id", "amount_minor"
            )
        )
    else:
        listed = {pk: listed[pk] for pk in ids if pk in listed}
    lows = lowest_prior_prices(variant_ids=list(listed), currency=code) if with_prior else {}
    answer = {}
    for variant_id, list_minor in listed.items():
        amount, rules = list_minor, []
        for scheme, holding in applied:
            discounted = scheme.apply(amount, code, holding)
            if 0 <= discounted < amount:
                amount = discounted
                rules.append(scheme.code)
        low = lows.get(variant_id)
        # Omnibus: a "was" price only for a reduction, and then always the 30-day low.
        prior = low if low is not None and low > list_minor else None
        answer[variant_id] = Quote(
            variant_id=variant_id,
            currency=code,
            channel=channel,
            amount_minor=amount,
            list_minor=list_minor,
            prior_minor=prior,
            rules=tuple(rules),
        )
    return answer


def quote(
    variant_id: int,
    *,
    channel: str,
    currency: str,
    holdings: Iterable[Holding] = (),
) -> Quote | None:
    """The price of one variant (by primary key) in ``currency`` on ``channel`` for a buyer
    holding ``holdings``, or None when it is not sold in that currency. Deliberately no buyer,
    request, user agent or address parameter: see the module docstring."""
    return quote_many([variant_id], channel=channel, currency=currency, holdings=holdings).get(
        variant_id
    )
