"""Read queries of pricing."""

from __future__ import annotations

from datetime import timedelta

from agora.catalog.models import Variant
from agora.core import clock
from agora.pricing.models import PriceChange


def price_history(*, variant: Variant, currency: str | None = None, limit: int = 200) -> list[PriceChange]:
    rows = PriceChange.objects.filter(variant=variant).order_by("-effective_at", "-id")
    if currency:
        rows = rows.filter(currency=currency.upper())
    return list(rows[:limit])


def lowest_prior_price(*, variant: Variant, currency: str, days: int = 30) -> int | None:
    """Lowest price in force at any time during the ``days`` before now (EU Omnibus rule)."""
    now = clock.now()
    start = now - timedelta(days=days)
    changes = PriceChange.objects.filter(variant=variant, currency=currency, effective_at__lte=now)
    in_window = list(changes.filter(effective_at__gt=start).values_list("amount_minor", flat=True))
    before = changes.filter(effective_at__lte=start).order_by("-effective_at", "-id").values_list("amount_minor", flat=True).first()
    amounts = [a for a in [before, *in_window] if a is not None]
    return min(amounts) if amounts else None
