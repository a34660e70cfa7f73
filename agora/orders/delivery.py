"""Order use cases of fulfilment: goods shipped against the lines, and delivery.

Fulfilment (a peer in L3) calls these inside its own transactions; orders never imports
fulfilment. Locks follow the rule of :mod:`agora.orders.services`: the order row, then its
lines by primary key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction

from agora.core import clock
from agora.core.actors import Actor
from agora.core.errors import INVALID_TRANSITION, AgoraError, FieldError, invalid
from agora.core.events import publish
from agora.marketplace.permissions import require_seller_access
from agora.orders import errors
from agora.orders.events import OrderDelivered, OrderShipped
from agora.orders.models import Order, OrderLine
from agora.orders.states import SHIPPABLE, OrderState, after_shipping
from agora.orders.transitions import facts, lock, move, order_lock

__all__ = ["order_lines_ship", "order_lock", "order_mark_delivered"]


def order_lines_ship(
    *,
    actor: Actor,
    order: Order,
    quantities: Mapping[int, int],
    shipment_id: str,
    carrier: str = "",
    tracking_number: str = "",
) -> Order:
    """Books ``quantities`` (line number → units) as shipped; called by fulfilment inside the
    transaction that creates the shipment. Refuses more than ordered minus already shipped;
    moves the order to partially_fulfilled or fulfilled and publishes ``order.shipped``."""
    if not quantities:
        raise invalid("lines", "a shipment needs at least one line")
    with transaction.atomic():
        order = lock(order)
        require_seller_access(actor, order.seller, "orders:write")
        current = OrderState(order.status)
        if current not in SHIPPABLE:
            raise AgoraError(
                INVALID_TRANSITION,
                f"order {order.public_id} is {current}; goods ship only when it is paid or "
                "partially_fulfilled",
            )
        lines = {line.line_no: line for line in order.lines.select_for_update().order_by("pk")}
        for line_no, quantity in sorted(quantities.items()):
            line = lines.get(line_no)
            if line is None:
                raise invalid("lines", f"order {order.public_id} has no line {line_no}")
            left = line.quantity - line.fulfilled_quantity
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
                raise invalid("lines", f"line {line_no}: {quantity!r} is not a positive quantity")
            if quantity > left:
                raise AgoraError(
                    errors.OVER_SHIPPED,
                    f"order {order.public_id} line {line_no} ({line.sku}) has {left} of "
                    f"{line.quantity} units left to ship, not {quantity}",
                    [FieldError("lines", f"line {line_no}: at most {left}")],
                )
            line.fulfilled_quantity += quantity
        shipped = [lines[n] for n in sorted(quantities)]
        OrderLine.objects.bulk_update(shipped, ["fulfilled_quantity"])
        open_units = sum(line.quantity - line.fulfilled_quantity for line in lines.values())
        target = after_shipping(open_units=open_units)
        if target != current:
            move(order, target, actor=actor)
        publish(
            OrderShipped(
                **facts(order),
                shipment_id=shipment_id,
                status=order.status,
                carrier=carrier,
                tracking_number=tracking_number,
                lines=[
                    {"line_no": n, "sku": lines[n].sku, "quantity": q}
                    for n, q in sorted(quantities.items())
                ],
            )
        )
    return order


def order_mark_delivered(*, actor: Actor, order: Order, at: datetime | None = None) -> Order:
    """fulfilled → delivered, called by fulfilment when every shipment of the order has been
    delivered; publishes ``order.delivered`` (escrow release listens to it). A second call for
    a delivered order changes nothing."""
    with transaction.atomic():
        order = lock(order)
        require_seller_access(actor, order.seller, "orders:write")
        if order.status == OrderState.DELIVERED:
            return order
        moment = at or clock.now()
        move(order, OrderState.DELIVERED, actor=actor, delivered_at=moment)
        publish(
            OrderDelivered(
                **facts(order),
                refunded_minor=order.refunded_minor,
                delivered_at=moment.isoformat(),
            )
        )
    return order
