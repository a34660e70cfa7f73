"""Refunding a received return: the money the buyer paid for the returned units goes back
through :func:`agora.payments.services.refund_issue`, keyed by the return so a retry never
refunds twice, and the return (and its order) record it."""

from __future__ import annotations

from decimal import Decimal

from agora.core.actors import Actor
from agora.core.errors import INVALID_TRANSITION, AgoraError, invalid
from agora.core.money import Money
from agora.orders.models import OrderReturn
from agora.orders.returns import return_mark_refunded
from agora.orders.states import ReturnState
from agora.payments.handlers import RETURN_KEY_PREFIX
from agora.payments.models import Refund
from agora.payments.services import refund_issue


def return_value_minor(order_return: OrderReturn) -> int:
    """The price paid for the returned units (each line's discount spread evenly), the same
    rule as ``return.received``'s ``value_minor``."""
    currency = order_return.order.currency
    value = Money.zero(currency)
    for row in order_return.lines.select_related("line"):
        line = row.line
        value += Money(line.total_minor, currency) * (
            Decimal(row.quantity) / Decimal(line.quantity)
        )
    return value.amount_minor


def return_refund(
    *, actor: Actor, order_return: OrderReturn, amount_minor: int | None = None
) -> Refund:
    """Refunds a received return (by default its whole value; less for a damaged item), then
    marks it refunded. Idempotent: the refund is keyed ``return:<id>``."""
    ret = OrderReturn.objects.select_related("order__seller").get(pk=order_return.pk)
    if ret.status not in (ReturnState.RECEIVED, ReturnState.REFUNDED):
        raise AgoraError(
            INVALID_TRANSITION,
            f"return {ret.public_id} is {ret.status}; it is refunded once the goods are received",
        )
    value = return_value_minor(ret)
    amount = value if amount_minor is None else amount_minor
    if not 0 < amount <= value:
        raise invalid("amount_minor", f"must be between 1 and the return's value {value}")
    refund = refund_issue(
        actor=actor,
        order=ret.order,
        amount_minor=amount,
        reason=f"return {ret.public_id}",
        idempotency_key=f"{RETURN_KEY_PREFIX}{ret.public_id}",
    )
    return_mark_refunded(
        order_return=ret, amount_minor=refund.amount_minor, refund_ref=refund.public_id
    )
    return refund
