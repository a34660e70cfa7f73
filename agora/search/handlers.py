"""The index follows the catalogue through events (registered in ``apps.py``).

Every handler rebuilds the affected documents from the source tables (never from the event's
payload), so applying an event late, twice or out of order leaves the current state; and each
event id is recorded in ``search_applied_event`` in the same transaction, so a redelivered event
is skipped without work. Stock and popularity follow ``stock.changed``, ``order.paid`` and
``order.cancelled`` through :func:`indexing.refresh_counters`, which recounts two figures per
product and leaves the text alone (every checkout publishes these; recounting twice is
harmless, so they need no event-id record).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from agora.core import clock
from agora.core.events import handles
from agora.search import indexing
from agora.search.models import AppliedEvent

PRODUCT_EVENTS = (
    "product.published",
    "product.unpublished",
    "product.updated",
    "price.changed",
)


def _first_time(event: Any, event_id: str) -> bool:
    """Records ``event_id``; False when it was applied before."""
    if AppliedEvent.objects.filter(event_id=event_id).exists():
        return False
    try:
        with transaction.atomic():
            AppliedEvent.objects.create(event_id=event_id, name=event.name, applied_at=clock.now())
    except IntegrityError:  # another worker applied it a moment ago
        return False
    return True


def _product_changed(event: Any, event_id: str) -> None:
    if _first_time(event, event_id):
        indexing.refresh(indexing.product_ids_for_public_ids([event.product_id]))


def _product_deleted(event: Any, event_id: str) -> None:
    if _first_time(event, event_id):
        indexing.remove_public_ids([event.product_id])


def _stock_changed(event: Any, event_id: str) -> None:
    indexing.refresh_counters(indexing.product_ids_for_public_ids([event.product_id]))


def _order_sold(event: Any, event_id: str) -> None:
    indexing.refresh_counters(indexing.product_ids_of_order(event.order_id))


for _name in PRODUCT_EVENTS:
    handles(_name, name=f"search.index_{_name.replace('.', '_')}")(_product_changed)
handles("product.deleted", name="search.index_product_deleted")(_product_deleted)
handles("stock.changed", name="search.index_stock_changed")(_stock_changed)
handles("order.paid", name="search.popularity_order_paid")(_order_sold)
handles("order.cancelled", name="search.popularity_order_cancelled")(_order_sold)
