"""Read queries of pricing."""

from __future__ import annotations

from datetime import timedelta

from agora.catalog.models import Variant
from agora.core import clock
from agora.pricing.models import PriceChange


def price_history(
    *, variant: Variant, currency: str | None = None, limit: int = 200
) -> list[PriceChange]:
    rows = PriceChange.objects.filter(variant=variant).order_by("-effective_at", "-id")
    if currency:
        rows = rows.filter(currency=currency.upper())
    return list(rows[:limit])


def lowest_prior_price(*, variant: Variant, currency: str, days: int = 30) -> int | None:
    """The EU Omnibus "prior price": the lowest price in force at any time during the ``days``
    before the current price took effect, the current price itself excluded. None when no other
    price was in force in that window (nothing to compare a reduction with).

    Measured from the current price's start, not from now: a reduction applied ten days ago
    must still be compared with the prices before it, not with itself.
    """
    now = clock.now()
    changes = PriceChange.objects.filter(
        variant=variant, currency=currency.upper(), effective_at__lte=now
    ).order_by("-effective_at", "-id")
    current = changes.first()
    if current is None:
        return None
    since = current.effective_at
    start = since - timedelta(days=days)
    earlier = changes.filter(effective_at__lt=since)
    in_window = list(earlier.filter(effective_at__gt=start).values_list("amount_minor", flat=True))
    # the price in force when the window opened (set at or before its start)
    at_start = (
        earlier.filter(effective_at__lte=start).values_list("amount_minor", flat=True).first()
    )
    amounts = [a for a in [at_start, *in_window] if a is not None]
    return min(amounts) if amounts else None
