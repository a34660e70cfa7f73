"""The rate table used at run time: the operator's ``TaxRate`` rows, else the source.

A country with rows in force (``valid_from`` on or before the day) takes all its rates from
them; a country without rows (a fresh install before ``agora tax seed``) takes the source's
(the shared file or the built-in table, see ``source.py``).
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from django.db import transaction

from agora.checkout.models import TaxRate
from agora.checkout.tax.rates import STANDARD, CountryRates, PostcodeException, RateTable
from agora.checkout.tax.source import TaxSource, source_table, tax_source
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record


def rate_table(*, countries: set[str] | None = None, on: date | None = None) -> RateTable:
    """Rates in force on ``on`` (today) for ``countries`` (all), operator rows first."""
    day = on or clock.now().date()
    rows = TaxRate.objects.filter(valid_from__lte=day).order_by(
        "country", "category", "postcode_pattern", "-valid_from"
    )
    if countries is not None:
        rows = rows.filter(country__in=countries)
    table: dict[str, CountryRates] = dict(source_table())
    seen: set[tuple[str, str, str]] = set()
    grouped: dict[str, list[TaxRate]] = {}
    for row in rows:
        key = (row.country, row.category, row.postcode_pattern)
        if key not in seen:  # newest in force per (country, category, pattern)
            seen.add(key)
            grouped.setdefault(row.country, []).append(row)
    for country, current in grouped.items():
        plain = [r for r in current if not r.postcode_pattern]
        table[country] = CountryRates(
            country=country,
            effective_from=max(r.valid_from for r in current),
            rates=MappingProxyType({r.category: r.rate for r in plain}),
            exceptions=tuple(
                PostcodeException(r.name or r.postcode_pattern, r.postcode_pattern, r.rate)
                for r in current
                if r.postcode_pattern and r.category == STANDARD
            ),
        )
    if countries is not None:
        table = {c: v for c, v in table.items() if c in countries}
    return MappingProxyType(table)


def tax_seed(*, actor: Actor, replace: bool = False) -> tuple[int, TaxSource]:
    """Writes the source's current rates as ``TaxRate`` rows (idempotent: an existing row for
    the same country, category, pattern and date is left as the operator edited it unless
    ``replace``). Returns how many rows were created or replaced, and the source used."""
    source = tax_source()
    created = 0
    with transaction.atomic():
        for country, entry in sorted(source_table().items()):
            wanted = [(c, r, "", "") for c, r in entry.rates.items()] + [
                (STANDARD, e.standard, e.pattern, e.name) for e in entry.exceptions
            ]
            for category, rate, pattern, name in wanted:
                row, made = TaxRate.objects.get_or_create(
                    country=country,
                    category=category,
                    postcode_pattern=pattern,
                    valid_from=entry.effective_from,
                    defaults={"rate": rate, "name": name, "source": source.detail[:200]},
                )
                if made:
                    created += 1
                elif replace and (row.rate != rate or row.name != name):
                    row.rate, row.name, row.source = rate, name, source.detail[:200]
                    row.save(update_fields=["rate", "name", "source"])
                    created += 1
        if created:
            marker = TaxRate.objects.order_by("id").first()
            assert marker is not None
            audit_record(
                actor=actor,
                action="tax.seeded",
                target=marker,
                changes={"rows": created, "source": str(source)},
            )
    return created, source
