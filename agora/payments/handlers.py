"""Payments' reactions to other apps' events (registered in ``apps.py``). Each runs inside the
outbox's transaction for one (event, handler) pair, so its writes apply once per event id.

- ``order.delivered`` → the order's escrow is released to the seller (less commission): the
  release follows the *event*, so fulfilment never imports payments;
- ``order.completed`` → released too when it was not yet (an order completed by hand, or a
  delivery handled before this handler existed); a second release posts nothing;
- ``refund.issued`` → the refund is recorded on the order (or on its return, which records it on
  the order): the one place that does it, so a refund is counted once.
"""

from __future__ import annotations

import logging

from agora.core.actors import system
from agora.core.events import handles
from agora.orders.models import Order, OrderReturn
from agora.orders.returns import return_mark_refunded
from agora.orders.services import order_record_refund
from agora.payments.models import LedgerTransaction, PaymentIntent, Refund
from agora.payments.selectors import order_position
from agora.payments.services import escrow_release
from agora.payments.services._common import PAID

logger = logging.getLogger(__name__)
ACTOR = system("payments.handlers")
RETURN_KEY_PREFIX = "return:"  # refunds of returns are keyed return:<ret_…> (payments.returns)


def _release(order_id: str) -> None:
    order = Order.objects.select_related("seller").filter(public_id=order_id).first()
    if order is None or not PaymentIntent.objects.filter(orders=order, status__in=PAID).exists():
        logger.info("escrow release: %s has no captured payment; nothing held", order_id)
        return
    if LedgerTransaction.objects.filter(
        reference=order_id, kind=LedgerTransaction.Kind.RELEASE
    ).exists():
        return
    position = order_position(
        order_ref=order.public_id, seller_ref=order.seller.public_id, currency=order.currency
    )
    if position.escrow_minor <= 0:
        return  # refunded in full before delivery: nothing to release
    escrow_release(actor=ACTOR, order=order)


@handles("order.delivered", name="payments.release_on_delivery")
def release_on_delivery(event, event_id: str) -> None:  # type: ignore[no-untyped-def]
    _release(event.order_id)


@handles("order.completed", name="payments.release_on_completion")
def release_on_completion(event, event_id: str) -> None:  # type: ignore[no-untyped-def]
    _release(event.order_id)


@handles("refund.issued", name="payments.record_refund_on_order")
def record_refund_on_order(event, event_id: str) -> None:  # type: ignore[no-untyped-def]
    refund = Refund.objects.select_related("order").get(public_id=event.refund_id)
    if refund.idempotency_key.startswith(RETURN_KEY_PREFIX):
        ret = OrderReturn.objects.get(public_id=refund.idempotency_key[len(RETURN_KEY_PREFIX) :])
        return_mark_refunded(
            order_return=ret,
            amount_minor=refund.amount_minor,
            refund_ref=refund.public_id,
            actor=ACTOR,
        )
        return
    order_record_refund(
        order=refund.order,
        amount_minor=refund.amount_minor,
        refund_ref=refund.public_id,
        actor=ACTOR,
    )
