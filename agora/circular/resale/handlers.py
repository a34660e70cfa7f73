"""Resale hears about sales through ``order.paid``: a paid order holding a resale variant makes
its buyer the unit's new holder (idempotent, so a redelivered event adds nothing)."""

from __future__ import annotations

from typing import Any

from agora.circular.resale.services import resale_record_sale


def on_order_paid(event: Any, event_id: str) -> None:
    resale_record_sale(order_id=event.order_id)
