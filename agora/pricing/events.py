"""Events the pricing app publishes."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PriceChanged(DomainEvent):
    name = "price.changed"
    product_id: str
    variant_id: str
    seller_id: str
    currency: str
    old_amount_minor: int | None
    new_amount_minor: int | None
