"""Events the inventory app publishes."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class StockChanged(DomainEvent):
    """A variant's stock at one location changed. Quantities are the level *after* the change;
    ``delta`` is the signed change of on-hand and ``kind`` the movement kind (receipt,
    adjustment, …) so a consumer can tell a delivery from a correction."""

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
