"""orders.returns: request, approve/reject, receive (restock or write off), refunded."""

from __future__ import annotations

import pytest

from agora.core.actors import Actor
from agora.core.errors import AgoraError
from agora.core.models import OutboxEvent
from agora.inventory.models import StockLevel, StockMovement
from agora.orders import returns
from agora.orders.models import Order, OrderLine
from agora.orders.returns import ReturnLineDraft, ReturnReceipt
from tests.conftest import SYSTEM
from tests.orders.factories import (
    approved_return,
    delivered,
    location,
    make_buyer,
    paid,
    requested_return,
)


def test_request_reserves_the_units_and_publishes(seller):
    order = delivered(seller, [(3, 1000)])
    ret = requested_return(order, 2)
    assert (ret.status, ret.reason_code, ret.requested_by) == ("requested", "damaged", "seller")
    assert OrderLine.objects.get(order=order).returned_quantity == 2
    event = OutboxEvent.objects.get(name="return.requested").payload
    assert event["return_id"] == ret.public_id and event["lines"][0]["quantity"] == 2


def test_returning_more_than_bought_minus_returned_is_refused(seller):
    order = delivered(seller, [(3, 1000)])
    requested_return(order, 2)
    with pytest.raises(AgoraError) as exc:
        requested_return(order, 2)
    assert exc.value.problem.slug == "over-returned"
    assert "at most 1" in exc.value.detail and exc.value.errors[0].field == "lines[0].quantity"
    requested_return(order, 1)


def test_rejecting_gives_the_units_back(seller):
    order = delivered(seller, [(2, 1000)])
    ret = returns.return_reject(
        actor=SYSTEM, order_return=requested_return(order, 2), reason="used"
    )
    assert (ret.status, ret.decision_note) == ("rejected", "used")
    assert OrderLine.objects.get(order=order).returned_quantity == 0
    requested_return(order, 2)


@pytest.mark.parametrize(
    "lines,reason,field",
    [
        ([], "damaged", "lines"),
        ([ReturnLineDraft(1, 0)], "damaged", "lines[0].quantity"),
        ([ReturnLineDraft(9, 1)], "damaged", "lines[0].line_no"),
        ([ReturnLineDraft(1, 1), ReturnLineDraft(1, 1)], "damaged", "lines[1].line_no"),
        ([ReturnLineDraft(1, 1)], "because", "reason_code"),
    ],
)
def test_bad_requests_name_the_field(seller, lines, reason, field):
    order = delivered(seller)
    with pytest.raises(AgoraError) as exc:
        returns.return_request(actor=SYSTEM, order=order, lines=lines, reason_code=reason)
    assert exc.value.errors[0].field == field


def test_only_delivered_orders_take_returns(seller):
    with pytest.raises(AgoraError, match="delivered"):
        requested_return(paid(seller))


def test_buyers_request_returns_of_their_own_orders(seller):
    buyer, stranger = make_buyer(), make_buyer()
    order = delivered(seller, buyer=buyer)

    def ask(user):
        return returns.return_request(
            actor=Actor(kind="user", label=user.email, user_id=user.pk),
            order=order,
            lines=[ReturnLineDraft(1, 1)],
            reason_code="changed_mind",
        )

    with pytest.raises(AgoraError) as exc:
        ask(stranger)
    assert exc.value.problem.slug == "forbidden"
    assert ask(buyer).requested_by == "buyer"


def test_illegal_return_transitions_name_the_allowed_ones(seller):
    ret = requested_return(delivered(seller))
    with pytest.raises(AgoraError) as exc:
        returns.return_receive(
            actor=SYSTEM, order_return=ret, lines=[ReturnReceipt(1, "write_off")]
        )
    assert exc.value.problem.slug == "invalid-state-transition"
    assert "approved, rejected" in exc.value.detail


def test_restock_moves_the_goods_back_with_a_stock_movement(seller):
    order = delivered(seller, [(2, 1500)])
    ret = approved_return(order, 2)
    where = location(seller, "Returns desk")
    variant = order.lines.get().variant
    ret = returns.return_receive(
        actor=SYSTEM,
        order_return=ret,
        lines=[ReturnReceipt(1, "restock", condition="as_new", location=where)],
    )
    assert ret.status == "received"
    assert StockLevel.objects.get(location=where, variant=variant).on_hand == 2
    movement = StockMovement.objects.get(location=where, variant=variant)
    assert movement.quantity == 2 and movement.reference == ret.public_id
    line = ret.lines.get()
    assert (line.disposition, line.condition, line.location_id) == ("restock", "as_new", where.pk)
    event = OutboxEvent.objects.get(name="return.received").payload
    assert event["value_minor"] == 3000 and event["lines"][0]["disposition"] == "restock"


def test_write_off_changes_no_stock(seller):
    order = delivered(seller, [(1, 1500)])
    ret = returns.return_receive(
        actor=SYSTEM,
        order_return=approved_return(order),
        lines=[ReturnReceipt(1, "write_off", condition="damaged")],
    )
    assert ret.lines.get().disposition == "write_off"
    assert not StockMovement.objects.filter(reference=ret.public_id).exists()


def test_restock_needs_a_location_of_the_seller(seller, other_seller):
    order = delivered(seller)
    ret = approved_return(order)
    with pytest.raises(AgoraError) as exc:
        returns.return_receive(actor=SYSTEM, order_return=ret, lines=[ReturnReceipt(1, "restock")])
    assert exc.value.errors[0].field == "lines[0].location"
    with pytest.raises(AgoraError) as exc:
        returns.return_receive(
            actor=SYSTEM,
            order_return=ret,
            lines=[ReturnReceipt(1, "restock", location=location(other_seller))],
        )
    assert exc.value.problem.slug == "not-found"
    assert returns.OrderReturn.objects.get(pk=ret.pk).status == "approved"  # nothing half-done


def test_refunded_returns_record_the_refund_on_the_order(seller):
    order = delivered(seller, [(2, 1000)], shipping_minor=500)
    ret = approved_return(order, 2)
    ret = returns.return_receive(
        actor=SYSTEM, order_return=ret, lines=[ReturnReceipt(1, "write_off")]
    )
    ret = returns.return_mark_refunded(order_return=ret, amount_minor=2000, refund_ref="ref_r1")
    assert (ret.status, ret.refunded_minor) == ("refunded", 2000)
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.refunded_minor) == ("delivered", 2000)
    returns.return_mark_refunded(
        order_return=ret, amount_minor=2000, refund_ref="ref_r1"
    )  # redelivered: no-op
    assert Order.objects.get(pk=order.pk).refunded_minor == 2000


def test_a_refund_of_everything_makes_the_order_refunded(seller):
    order = delivered(seller, [(1, 1000)])
    ret = returns.return_receive(
        actor=SYSTEM, order_return=approved_return(order), lines=[ReturnReceipt(1, "write_off")]
    )
    returns.return_mark_refunded(order_return=ret, amount_minor=1000, refund_ref="ref_r2")
    assert Order.objects.get(pk=order.pk).status == "refunded"
