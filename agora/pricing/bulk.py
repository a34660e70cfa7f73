"""Bulk services of pricing, for historic loads (imports) only.

A sales history is also a price history: whenever an item sells at another price than before,
its price changed. ``price_set`` audits and publishes ``price.changed`` per change; here the
changes of a whole batch (130 000 over the Online Retail data set) are appended in bulk inside
the caller's transaction, with no audit entry and no event of their own (the caller records one
audit entry per batch; price alerts for 2011 would only wake handlers for the past).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Protocol

from django.db.models import OuterRef, Subquery

from agora.catalog.bulk import SkuSighting
from agora.catalog.models import Variant
from agora.core.actors import Actor
from agora.core.bulk import chunks, insert_plain, require_atomic
from agora.marketplace.models import Seller
from agora.pricing.models import Price, PriceChange


class PriceSighting(SkuSighting, Protocol):
    @property
    def unit_price_minor(self) -> int: ...  # what one unit sold for


def price_history_import_bulk(
    *,
    actor: Actor,
    seller: Seller,
    currency: str,
    sightings: Sequence[PriceSighting],
    variant_ids: Mapping[str, int],
    new_variant_ids: Collection[int] = (),
    rerun: bool = False,
) -> int:
    """Appends a ``PriceChange`` (effective at the sale, source ``import``) whenever a variant
    of ``seller`` (found by SKU in ``variant_ids``) sells at another price than the one before
    it, and keeps its current ``Price`` at the latest one. Returns the number of changes.

    The price before the sightings is read from the history (except for ``new_variant_ids``,
    created in this transaction, which have none), so batches may arrive in any order; a current
    price set later than the batch's last change stays as it is. With ``rerun`` (some of these
    sightings may have been loaded before), a change already in the history (same variant,
    moment and amount) is not written twice. Runs inside the caller's transaction (refuses
    otherwise); the caller checks permissions and audits the batch.
    """
    require_atomic("price_history_import_bulk")
    if not sightings:
        return 0
    ordered = sorted(sightings, key=attrgetter("at"))  # stable: same moment in source order
    start, end = ordered[0].at, ordered[-1].at
    created = set(new_variant_ids)
    before: dict[int, int | None] = dict.fromkeys(created)
    already: set[tuple[int, datetime, int | None]] = set()
    history = PriceChange.objects.filter(currency=currency)
    stored = sorted({variant_ids[s.sku] for s in ordered} - created)
    for chunk in chunks(stored):
        latest = history.filter(variant_id=OuterRef("pk"), effective_at__lt=start).order_by(
            "-effective_at", "-id"
        )
        before.update(
            Variant.objects.filter(id__in=chunk)
            .annotate(amount=Subquery(latest.values("amount_minor")[:1]))
            .values_list("id", "amount")
        )
        if rerun:
            already.update(
                history.filter(variant_id__in=chunk, effective_at__range=(start, end)).values_list(
                    "variant_id", "effective_at", "amount_minor"
                )
            )
    changes: list[tuple[int, str, int, datetime, str, str]] = []
    last: dict[int, tuple[datetime, int]] = {}
    current = dict(before)
    label = actor.label[:200]
    for s in ordered:
        variant_id = variant_ids[s.sku]
        if current.get(variant_id) == s.unit_price_minor:
            continue
        current[variant_id] = s.unit_price_minor
        if (variant_id, s.at, s.unit_price_minor) in already:
            continue
        changes.append((variant_id, currency, s.unit_price_minor, s.at, "import", label))
        last[variant_id] = (s.at, s.unit_price_minor)
    insert_plain(
        PriceChange,
        ["variant", "currency", "amount_minor", "effective_at", "source", "actor_label"],
        changes,
    )
    _current_prices_update(seller, currency, last)
    return len(changes)


def _current_prices_update(
    seller: Seller, currency: str, last: dict[int, tuple[datetime, int]]
) -> None:
    """Moves each variant's current price to its last change (``(at, amount)``) in one upsert
    for new and moved prices; a price set later than that change (batches out of order) stays
    as it is."""
    updated_at: dict[int, datetime] = {}
    for chunk in chunks(sorted(last)):
        updated_at.update(
            Price.objects.filter(variant_id__in=chunk, currency=currency).values_list(
                "variant_id", "updated_at"
            )
        )
    insert_plain(
        Price,
        ["variant", "seller", "currency", "amount_minor", "updated_at"],
        [
            (variant_id, seller.pk, currency, amount, at)
            for variant_id, (at, amount) in last.items()
            if variant_id not in updated_at or updated_at[variant_id] <= at
        ],
        upsert=(["variant", "currency"], ["amount_minor", "updated_at"]),
    )
