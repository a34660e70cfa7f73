"""The shared steps of every order state change: lock the row, check the move against
:mod:`agora.orders.states`, save, audit. Used by :mod:`agora.orders.services` and
:mod:`agora.orders.delivery`; other apps call those services, not this module (except
:func:`order_lock`, the first lock of the rule written in :mod:`agora.orders.services`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import INVALID_TRANSITION, AgoraError, invalid
from agora.orders.models import Order
from agora.orders.states import OrderState, order_refusal


def line_quantities(lines: Sequence[Any]) -> dict[int, int]:
    """``{line_no: quantity}`` of drafts with ``line_no`` and ``quantity`` (a shipment's or a
    return's lines): at least one, positive whole quantities, each line named once."""
    if not lines:
        raise invalid("lines", "give at least one line")
    wanted: dict[int, int] = {}
    for i, draft in enumerate(lines):
        q = draft.quantity
        if isinstance(q, bool) or not isinstance(q, int) or q < 1:
            raise invalid(f"lines[{i}].quantity", f"{q!r} is not a positive number of units")
        if draft.line_no in wanted:
            raise invalid(f"lines[{i}].line_no", f"line {draft.line_no} is named twice")
        wanted[draft.line_no] = q
    return wanted


def facts(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.public_id,
        "seller_id": order.seller.public_id,
        "currency": order.currency,
        "total_minor": order.total_minor,
    }


def lock(order: Order) -> Order:
    # of=self: lock the order, not its seller's row (the importer locks that one).
    return Order.objects.select_for_update(of=("self",)).select_related("seller").get(pk=order.pk)


def order_lock(*, order: Order) -> Order:
    """Takes the order's row lock in the caller's transaction and returns the fresh row. Other
    apps that change things hanging off an order (fulfilment's shipments) take it first, so the
    lock rule above holds across apps."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("order_lock() must be called inside a transaction")
    return lock(order)


def move(order: Order, target: OrderState, *, actor: Actor, **changes: Any) -> str:
    """Moves a locked order to ``target`` or raises INVALID_TRANSITION; returns the old state."""
    current = OrderState(order.status)
    refusal = order_refusal(
        current, target, fully_refunded=order.refunded_minor == order.total_minor
    )
    if refusal:
        raise AgoraError(INVALID_TRANSITION, f"order {order.public_id}: {refusal}")
    order.status, order.status_changed_at = target, clock.now()
    fields = ["status", "status_changed_at", *changes]
    for name, value in changes.items():
        setattr(order, name, value)
    order.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"order.{target}",
        target=order,
        seller_id=order.seller_id,
        changes={"status": [current, target], **{k: _plain(v) for k, v in changes.items()}},
    )
    return current


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
