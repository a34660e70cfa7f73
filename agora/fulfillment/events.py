"""Events the fulfilment app publishes (``order.shipped`` and ``order.delivered`` are published
by the orders services it calls)."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ShipmentUpdated(DomainEvent):
    name = "shipment.updated"
    shipment_id: str
    order_id: str
    seller_id: str
    status: str
    previous_status: str
    note: str
    at: str  # ISO 8601, when the carrier saw it
    carrier: str
    tracking_number: str
    tracking_url: str
