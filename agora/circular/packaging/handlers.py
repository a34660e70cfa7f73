"""Shipment events reach the packages travelling with them (registered from ``wiring``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agora.circular.packaging.services import packaging_delivered
from agora.core import clock

HANDLER_NAME = "circular.packaging_delivered"


def on_shipment_updated(event: Any, event_id: str) -> None:
    """A delivered shipment: its packages are at the buyer's, waiting to come back."""
    if event.status != "delivered":
        return
    try:
        at = datetime.fromisoformat(event.at)
    except (TypeError, ValueError):
        at = clock.now()
    packaging_delivered(shipment_public_id=event.shipment_id, at=at)
