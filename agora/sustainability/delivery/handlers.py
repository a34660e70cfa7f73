"""Orders keep their delivery figure: recorded when the order is paid (registered from
``wiring.connect``). Idempotent: the record is keyed by the order (see ``services``)."""

from __future__ import annotations

from typing import Any

from agora.sustainability.delivery.services import order_footprint_record

HANDLER_NAME = "sustainability.delivery_footprint"


def on_order_paid(event: Any, event_id: str) -> None:
    order_footprint_record(order_public_id=event.order_id, event_id=event_id)
