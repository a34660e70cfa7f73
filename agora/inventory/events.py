"""Events the inventory app publishes."""

from __future__ import annotations

from dataclasses import dataclass

from agora.catalog.models import Variant
from agora.core.events import DomainEvent, publish
from agora.inventory.models import StockLevel, StockPolicy


@dataclass(frozen=True, kw_only=True)
class StockChanged(DomainEvent):
    """A variant's stock at one location changed. Quantities are the level *after* the change;
    ``delta`` is the signed change of on-hand and ``kind`` the movement kind (receipt,
    adjustment, sale, …) so a consumer can tell a delivery from a correction; changes of
    ``reserved`` alone have ``delta`` 0 and kind ``reserved``, ``released`` or ``expired``."""

    name = "stock.changed"
    product_id: str
    variant_id: str
    location_id: str
    seller_id: str
    on_hand: int
    reserved: int
    available: int
    delta: int
    kind: str


@dataclass(frozen=True, kw_only=True)
class StockLow(DomainEvent):
    """A variant's available units over its open locations fell below the seller's
    low-stock threshold (published once per crossing, not on every change while low)."""

    name = "stock.low"
    product_id: str
    variant_id: str
    sku: str
    seller_id: str
    available: int
    threshold: int


def publish_stock_changed(*, level: StockLevel, variant: Variant, delta: int, kind: str) -> None:
    """Publishes ``stock.changed`` for ``level`` as it stands now; ``level.location`` and
    ``variant.product``/``variant.seller`` should be loaded by the caller's query."""
    publish(
        StockChanged(
            product_id=variant.product.public_id,
            variant_id=variant.public_id,
            location_id=level.location.public_id,
            seller_id=variant.seller.public_id,
            on_hand=level.on_hand,
            reserved=level.reserved,
            available=level.available,
            delta=delta,
            kind=kind,
        )
    )


def publish_if_low(*, variant: Variant, before: int, after: int) -> bool:
    """Publishes ``stock.low`` when the variant's available units (over open locations) went from
    at least its threshold to below it. Returns whether it did."""
    if after >= before:
        return False
    threshold = (
        StockPolicy.objects.filter(variant_id=variant.pk)
        .values_list("low_stock_threshold", flat=True)
        .first()
    ) or 0
    if not after < threshold <= before:
        return False
    publish(
        StockLow(
            product_id=variant.product.public_id,
            variant_id=variant.public_id,
            sku=variant.sku,
            seller_id=variant.seller.public_id,
            available=after,
            threshold=threshold,
        )
    )
    return True
