"""Objects in the states the money endpoints act on (shared with tests/api/test_tenancy.py)."""

from __future__ import annotations

from agora.fulfillment.services import shipment_mark_delivered, shipment_update
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderReturn
from agora.orders.returns import ReturnReceipt, return_receive
from agora.orders.services import order_mark_paid
from agora.payments.services import payment_authorize, payment_capture, payment_intent_create
from tests.conftest import SYSTEM
from tests.orders.factories import approved_return, place, ship_all

_n = {"n": 0}


def paid_through_payments(seller: Seller) -> Order:
    """An order placed, authorized and captured with the test provider, then marked paid."""
    _n["n"] += 1
    order = place(seller)
    intent = payment_intent_create(
        actor=SYSTEM,
        orders=[order],
        payment_method="4242424242424242",
        idempotency_key=f"factory-{order.public_id}",
    )
    intent = payment_capture(actor=SYSTEM, intent=payment_authorize(actor=SYSTEM, intent=intent))
    return order_mark_paid(order=order, payment_ref=intent.public_id)


def received_paid_return(seller: Seller) -> OrderReturn:
    order = paid_through_payments(seller)
    shipment = ship_all(order)
    shipment_update(actor=SYSTEM, shipment=shipment, status="shipped")
    shipment_mark_delivered(actor=SYSTEM, shipment=shipment)
    ret = approved_return(Order.objects.get(pk=order.pk))
    return return_receive(
        actor=SYSTEM, order_return=ret, lines=[ReturnReceipt(line_no=1, disposition="write_off")]
    )
