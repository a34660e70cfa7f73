"""orders.services: placing with exact totals, paying, cancelling, refunds, completion."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from agora.core import clock
from agora.core.actors import Actor
from agora.core.errors import AgoraError
from agora.core.events import PublishOutsideTransaction
from agora.core.models import AuditEntry, OutboxEvent
from agora.orders import services
from agora.orders.models import Order
from agora.orders.services import OrderLineDraft
from tests.conftest import SYSTEM, make_seller
from tests.orders.factories import ADDRESS, delivered, make_buyer, make_lines, paid, place


def events(name: str) -> list[dict]:
    return [e.payload for e in OutboxEvent.objects.filter(name=name).order_by("id")]


def test_place_totals_are_exact_in_minor_units(seller):
    order = place(
        seller, [(3, 333), (1, 1999)], shipping_minor=495, tax_minor=461, discount_minor=100
    )
    assert order.subtotal_minor == 3 * 333 + 1999
    assert order.total_minor == 2998 + 495 - 100 + 461
    assert order.status == "placed" and order.ship_country == "DE"
    assert [(x.line_no, x.total_minor) for x in order.lines.all()] == [(1, 999), (2, 1999)]
    (event,) = events("order.placed")
    assert event["order_id"] == order.public_id and event["total_minor"] == order.total_minor
    assert [x["quantity"] for x in event["lines"]] == [3, 1]
    assert AuditEntry.objects.filter(action="order.placed", target_id=order.public_id).exists()


def test_tax_inclusive_prices_do_not_add_tax_again(seller):
    order = place(seller, [(2, 1190)], tax_minor=380, prices_include_tax=True, shipping_minor=10)
    assert order.total_minor == 2380 + 10 and order.tax_minor == 380


def test_line_discounts_come_off_the_line(seller):
    draft = dataclasses.replace(make_lines(seller, [(4, 250)])[0], discount_minor=100)
    order = services.order_place(
        actor=SYSTEM,
        seller=seller,
        buyer=None,
        currency="EUR",
        lines=[draft],
        ship_to=ADDRESS,
        checkout_ref="chk-disc",
    )
    assert order.lines.get().total_minor == 900 and order.total_minor == 900


def test_one_order_per_seller_and_checkout(seller):
    place(seller, checkout_ref="chk-1")
    with pytest.raises(AgoraError) as exc:
        place(seller, checkout_ref="chk-1")
    assert exc.value.problem.slug == "order-already-placed"
    place(make_seller("gamma"), checkout_ref="chk-1")  # another seller's order of that checkout


@pytest.mark.parametrize(
    "change,field",
    [
        ({"currency": "XXQ"}, "currency"),
        ({"ship_to": {"city": "Nowhere"}}, "ship_to.country"),
        ({"ship_to": {**ADDRESS, "ssn": "1"}}, "ship_to.ssn"),
        ({"checkout_ref": ""}, "checkout_ref"),
        ({"shipping_minor": -1}, "shipping_minor"),
        ({"tax_minor": 1.5}, "tax_minor"),
        ({"discount_minor": 10**6}, "discount_minor"),
    ],
)
def test_bad_input_is_refused_naming_the_field(seller, change, field):
    with pytest.raises(AgoraError) as exc:
        place(seller, **change)
    assert field in [e.field for e in exc.value.errors]
    assert not Order.objects.exists() and not events("order.placed")


@pytest.mark.parametrize("quantity", [0, -1, 10**9, True])
def test_line_quantities_out_of_range_are_refused(seller, quantity):
    draft = make_lines(seller, [(1, 100)])[0]
    bad = OrderLineDraft(sku=draft.sku, title=draft.title, quantity=quantity, unit_price_minor=1)
    with pytest.raises(AgoraError) as exc:
        place(seller, drafts=[bad], checkout_ref="c")
    assert exc.value.errors[0].field == "lines[0].quantity"


def test_an_inactive_seller_cannot_take_orders(db):
    sleepy = make_seller("sleepy", active=False)
    with pytest.raises(AgoraError, match="applied"):
        place(sleepy)


def test_another_sellers_variant_is_refused(seller, other_seller):
    foreign = make_lines(other_seller, [(1, 100)])[0]
    with pytest.raises(AgoraError) as exc:
        place(seller, drafts=[foreign], checkout_ref="x")
    assert exc.value.errors[0].field == "lines[0].variant"


def test_mark_paid_once_and_again_with_the_same_reference_is_a_no_op(seller):
    order = place(seller)
    order = services.order_mark_paid(order=order, payment_ref="pi_1")
    assert order.status == "paid" and order.paid_at is not None
    services.order_mark_paid(order=order, payment_ref="pi_1")
    assert len(events("order.paid")) == 1
    with pytest.raises(AgoraError) as exc:
        services.order_mark_paid(order=order, payment_ref="pi_2")
    assert exc.value.problem.slug == "invalid-state-transition"
    assert "it is paid" in exc.value.detail and "partially_fulfilled" in exc.value.detail


def test_cancel_a_placed_order(seller):
    order = services.order_cancel(actor=SYSTEM, order=place(seller), reason="payment declined")
    assert order.status == "cancelled" and order.cancel_reason == "payment declined"
    (event,) = events("order.cancelled")
    assert event["previous_status"] == "placed"
    with pytest.raises(AgoraError, match="final"):
        services.order_mark_paid(order=order, payment_ref="late")


def test_a_paid_order_cancels_only_after_its_full_refund(seller):
    order = paid(seller, [(1, 500)], shipping_minor=100)
    with pytest.raises(AgoraError, match="not fully refunded"):
        services.order_cancel(actor=SYSTEM, order=order, reason="out of stock")
    services.order_record_refund(order=order, amount_minor=400, refund_ref="ref_1")
    with pytest.raises(AgoraError, match="not fully refunded"):
        services.order_cancel(actor=SYSTEM, order=order, reason="out of stock")
    services.order_record_refund(order=order, amount_minor=200, refund_ref="ref_2")
    order = services.order_cancel(actor=SYSTEM, order=order, reason="out of stock")
    assert (order.status, order.refunded_minor) == ("cancelled", 600)


def test_buyers_cancel_their_own_orders_and_nobody_elses(seller):
    buyer, stranger = make_buyer(), make_buyer()
    order = place(seller, buyer=buyer)
    as_user = lambda u: Actor(kind="user", label=u.email, user_id=u.pk)  # noqa: E731
    with pytest.raises(AgoraError) as exc:
        services.order_cancel(actor=as_user(stranger), order=order, reason="mine?")
    assert exc.value.problem.slug == "forbidden"
    services.order_cancel(actor=as_user(buyer), order=order, reason="changed my mind")


def test_refunds_accumulate_and_never_exceed_the_total(seller):
    order = delivered(seller, [(2, 1000)])
    services.order_record_refund(order=order, amount_minor=500, refund_ref="ref_3")
    with pytest.raises(AgoraError) as exc:
        services.order_record_refund(order=order, amount_minor=1501, refund_ref="ref_4")
    assert (
        exc.value.problem.slug == "order-refund-exceeds-total"
        and "at most 1500" in exc.value.detail
    )
    order = services.order_record_refund(order=order, amount_minor=1500, refund_ref="ref_5")
    assert (order.status, order.refunded_minor) == ("refunded", 2000)


def test_the_same_refund_is_recorded_once(seller):
    order = delivered(seller, [(2, 1000)])
    services.order_record_refund(order=order, amount_minor=300, refund_ref="ref_once")
    again = services.order_record_refund(order=order, amount_minor=300, refund_ref="ref_once")
    assert again.refunded_minor == 300 and order.refunds.count() == 1
    with pytest.raises(AgoraError) as exc:
        services.order_record_refund(order=order, amount_minor=400, refund_ref="ref_once")
    assert exc.value.problem.slug == "conflict" and "ref_once" in exc.value.detail
    with pytest.raises(AgoraError, match="1 to 64"):
        services.order_record_refund(order=order, amount_minor=1, refund_ref=" ")
    assert Order.objects.get(pk=order.pk).refunded_minor == 300


def test_no_refund_before_payment(seller):
    with pytest.raises(AgoraError, match="refunds are recorded only"):
        services.order_record_refund(order=place(seller), amount_minor=1, refund_ref="ref_0")


def test_the_return_window_completes_delivered_orders(seller, settings):
    settings.AGORA_RETURN_WINDOW_DAYS = 14
    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with clock.frozen_at(start):
        order = delivered(seller)
        clock.advance(timedelta(days=13))
        assert services.orders_complete_due() == 0
        clock.advance(timedelta(days=1, seconds=1))
        assert services.orders_complete_due() == 1
    assert Order.objects.get(pk=order.pk).status == "completed"
    (event,) = events("order.completed")
    assert event["order_id"] == order.public_id


def test_the_completion_job_is_registered():
    from agora.core.schedule import jobs

    assert "orders.complete_due" in {j.name for j in jobs()}


@pytest.mark.django_db(transaction=True)
def test_events_exist_exactly_when_the_change_committed(seller):
    order = place(seller)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.order_mark_paid(order=order, payment_ref="pi_x")
        assert len(events("order.paid")) == 1  # in the outbox, same transaction
        raise RuntimeError("checkout crashed")
    assert not events("order.paid") and Order.objects.get(pk=order.pk).status == "placed"
    with pytest.raises(PublishOutsideTransaction):
        from agora.core.events import publish
        from agora.orders.events import OrderCompleted

        publish(
            OrderCompleted(
                order_id="o", seller_id="s", currency="EUR", total_minor=0, refunded_minor=0
            )
        )
