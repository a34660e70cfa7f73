"""Read queries of pricing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import F, Max, Q, Window
from django.db.models.functions import RowNumber

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
    return lowest_prior_prices(variant_ids=[variant.pk], currency=currency, days=days).get(
        variant.pk
    )


def lowest_prior_prices(
    *, variant_ids: Iterable[int], currency: str, days: int = 30
) -> dict[int, int | None]:
    """:func:`lowest_prior_price` for many variants at once (a product page, a listing), in
    three queries whatever their number: when each current price took effect, the changes in
    each variant's window, and the price in force when each window opened. Variants with no
    price in ``currency`` are absent from the answer."""
    ids = list(dict.fromkeys(variant_ids))
    if not ids:
        return {}
    now = clock.now()
    changes = PriceChange.objects.filter(
        variant_id__in=ids, currency=currency.upper(), effective_at__lte=now
    )
    # The current price is the latest change; changes at that same moment are not "earlier".
    since = dict(
        changes.values("variant_id")
        .annotate(since=Max("effective_at"))
        .values_list("variant_id", "since")
    )
    if not since:
        return {}
    window = timedelta(days=days)
    in_window = Q()
    before_window = Q()
    for variant_id, moment in since.items():
        in_window |= Q(
            variant_id=variant_id, effective_at__lt=moment, effective_at__gt=moment - window
        )
        before_window |= Q(variant_id=variant_id, effective_at__lte=moment - window)
    amounts: dict[int, list[int]] = {variant_id: [] for variant_id in since}
    for variant_id, amount in changes.filter(in_window).values_list("variant_id", "amount_minor"):
        amounts[variant_id].append(amount)
    # the price in force when each window opened: the last change at or before its start
    at_start = (
        changes.filter(before_window)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("variant_id")],
                order_by=[F("effective_at").desc(), F("id").desc()],
            )
        )
        .filter(rank=1)
        .values_list("variant_id", "amount_minor")
    )
    for variant_id, amount in at_start:
        amounts[variant_id].append(amount)
    return {
        variant_id: min((a for a in found if a is not None), default=None)
        for variant_id, found in amounts.items()
    }
