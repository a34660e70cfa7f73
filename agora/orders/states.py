"""The order and return state machines, as plain data so they can be tested without a database.

Orders: placed → paid → partially_fulfilled → fulfilled → delivered → completed, with
cancellation before fulfilment and ``refunded`` once everything paid has gone back. Two
transitions carry a guard that the table alone cannot express, decided by :func:`order_refusal`:

- ``paid → cancelled`` only when the whole payment has been refunded (payments refunds first,
  then cancels), so a cancelled order never holds the buyer's money;
- ``delivered/completed → refunded`` only when the refunds add up to the order's total.
"""

from __future__ import annotations

from enum import StrEnum


class OrderState(StrEnum):
    PLACED = "placed"
    PAID = "paid"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


ORDER_TRANSITIONS: dict[OrderState, frozenset[OrderState]] = {
    OrderState.PLACED: frozenset({OrderState.PAID, OrderState.CANCELLED}),
    OrderState.PAID: frozenset(
        {OrderState.PARTIALLY_FULFILLED, OrderState.FULFILLED, OrderState.CANCELLED}
    ),
    OrderState.PARTIALLY_FULFILLED: frozenset({OrderState.FULFILLED}),
    OrderState.FULFILLED: frozenset({OrderState.DELIVERED}),
    OrderState.DELIVERED: frozenset({OrderState.COMPLETED, OrderState.REFUNDED}),
    OrderState.COMPLETED: frozenset({OrderState.REFUNDED}),
    OrderState.CANCELLED: frozenset(),
    OrderState.REFUNDED: frozenset(),
}

# States in which the order holds money that payments may refund (in part or whole).
REFUNDABLE = frozenset(
    {
        OrderState.PAID,
        OrderState.PARTIALLY_FULFILLED,
        OrderState.FULFILLED,
        OrderState.DELIVERED,
        OrderState.COMPLETED,
    }
)
# States in which goods may be shipped against the order.
SHIPPABLE = frozenset({OrderState.PAID, OrderState.PARTIALLY_FULFILLED})
# States in which goods may be sent back.
RETURNABLE = frozenset({OrderState.DELIVERED, OrderState.COMPLETED})


def order_refusal(
    current: OrderState, target: OrderState, *, fully_refunded: bool = False
) -> str | None:
    """Why ``current → target`` is refused, or None when it is allowed.

    ``fully_refunded`` says whether the refunds recorded on the order equal its total; it guards
    ``paid → cancelled`` and ``→ refunded``.
    """
    allowed = ORDER_TRANSITIONS[current]
    if target not in allowed:
        names = ", ".join(sorted(allowed)) or "none: it is final"
        return f"it is {current}; it cannot become {target} (allowed next: {names})"
    needs_refund = target == OrderState.REFUNDED or (
        current == OrderState.PAID and target == OrderState.CANCELLED
    )
    if needs_refund and not fully_refunded:
        return (
            f"it is {current} and not fully refunded; it can become {target} only after the "
            "whole payment has been refunded"
        )
    return None


def after_shipping(*, open_units: int) -> OrderState:
    """The state of a paid order once goods were shipped: fulfilled when nothing is left."""
    return OrderState.FULFILLED if open_units == 0 else OrderState.PARTIALLY_FULFILLED


class ReturnState(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    RECEIVED = "received"
    REFUNDED = "refunded"
    REJECTED = "rejected"


RETURN_TRANSITIONS: dict[ReturnState, frozenset[ReturnState]] = {
    ReturnState.REQUESTED: frozenset({ReturnState.APPROVED, ReturnState.REJECTED}),
    ReturnState.APPROVED: frozenset({ReturnState.RECEIVED}),
    ReturnState.RECEIVED: frozenset({ReturnState.REFUNDED}),
    ReturnState.REFUNDED: frozenset(),
    ReturnState.REJECTED: frozenset(),
}
# Returns that still hold units of their lines (counted in OrderLine.returned_quantity).
OPEN_RETURNS = frozenset({ReturnState.REQUESTED, ReturnState.APPROVED, ReturnState.RECEIVED})


def return_refusal(current: ReturnState, target: ReturnState) -> str | None:
    allowed = RETURN_TRANSITIONS[current]
    if target in allowed:
        return None
    names = ", ".join(sorted(allowed)) or "none: it is final"
    return f"it is {current}; it cannot become {target} (allowed next: {names})"
