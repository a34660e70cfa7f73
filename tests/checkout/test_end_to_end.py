"""One full order through the API (issue 3): guest cart with two sellers' goods, checkout,
shipment, delivery, escrow released by the event, and the seller's balance exact; plus 3-D
Secure, declines, out of stock, retries and a crash compensated by the sweep."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from agora.checkout.flow import checkouts_sweep
from agora.checkout.flow.place import checkout_place
from agora.checkout.models import Cart, Checkout
from agora.core import clock
from agora.core.outbox import dispatch_pending
from agora.inventory.models import Reservation, StockLevel
from agora.orders.models import Order
from agora.payments.models import LedgerEntry, PaymentIntent
from agora.payments.selectors import unbalanced_transactions
from tests.checkout.flow_helpers import Guest, setup_two_sellers
from tests.conftest import assert_problem, key_client, post_json
from tests.orders.factories import carrier

pytestmark = pytest.mark.django_db
SHIPPING = 490  # eu_shipping's price below its free-over threshold


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with clock.frozen_at(clock.now()):
        yield


def step_one_only(*items) -> Checkout:  # type: ignore[no-untyped-def]
    """Step 1 of a guest's checkout and nothing more: the process "dies" after its commit."""
    summary = Guest().fill(*items)
    choices = {
        g["seller"]["id"]: g["shipping"]["options"][0]["method_id"] for g in summary["sellers"]
    }
    return checkout_place(
        buyer=None,
        cart=Cart.objects.get(public_id=summary["id"]),
        shipping_choices=choices,
        card="4242424242424242",
        email=None,
        idempotency_key="crash",
    )


def level(variant) -> StockLevel:  # type: ignore[no-untyped-def]
    return StockLevel.objects.get(variant=variant)


def nothing_held_or_charged() -> None:
    assert not Reservation.objects.filter(state="active").exists()
    assert not LedgerEntry.objects.exists()
    assert all(lv.reserved == 0 for lv in StockLevel.objects.all())
    assert set(Order.objects.values_list("status", flat=True)) <= {"cancelled"}


def test_one_full_order_from_cart_to_released_escrow(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest = Guest()
    guest.fill((world["cup"], 2), (world["pot"], 1))
    response = guest.checkout(**{"Idempotency-Key": "buy-1"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "paid" and body["error"] is None
    assert body["payment"]["status"] == "captured" and body["payment"]["next_action"] is None
    totals = {o["seller"]: o["total"]["amount_minor"] for o in body["orders"]}
    total_a, total_b = 2 * 1299 + SHIPPING, 1 * 3450 + SHIPPING  # prices include VAT
    assert totals == {seller.public_id: total_a, other_seller.public_id: total_b}
    assert body["total"]["amount_minor"] == total_a + total_b
    assert {o["status"] for o in body["orders"]} == {"paid"}
    # stock converted into sales, cart checked out
    assert (level(world["cup"]).on_hand, level(world["cup"]).reserved) == (3, 0)
    assert (level(world["pot"]).on_hand, level(world["pot"]).reserved) == (1, 0)
    assert (
        Cart.objects.get(public_id=guest.client.get("/api/v1/cart").json()["id"]).status == "open"
    )
    assert Cart.objects.filter(status="checked_out").count() == 1
    # the retried POST with the same key is the same checkout, no second order
    again = guest.retry(**{"Idempotency-Key": "buy-1"})
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == body["id"] and Order.objects.count() == 2
    from agora.api.models import IdempotencyRecord

    IdempotencyRecord.objects.all().delete()  # the stored answer is gone: the key still holds
    again = guest.retry(**{"Idempotency-Key": "buy-1"})
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert Order.objects.count() == 2
    # the buyer sees the orders
    mine = guest.client.get("/api/v1/me/orders").json()
    assert {o["id"] for o in mine["items"]} == {o["id"] for o in body["orders"]}

    api_a, api_b = key_client(seller), key_client(other_seller)
    balance = api_a.get("/api/v1/seller/balance").json()["balances"]
    assert balance[0]["in_escrow"]["amount_minor"] == total_a
    order_a = next(o["id"] for o in body["orders"] if o["seller"] == seller.public_id)
    carrier("dhl")
    shipment = post_json(
        api_a,
        f"/api/v1/seller/orders/{order_a}/shipments",
        {
            "location": world["cup_at"].public_id,
            "lines": [{"line_no": 1, "quantity": 2}],
            "carrier": "dhl",
            "tracking_number": "TRK1",
        },
        **{"Idempotency-Key": "ship-1"},
    )
    assert shipment.status_code == 201, shipment.content
    sid = shipment.json()["id"]
    for status in ("shipped", "delivered"):
        r = post_json(api_a, f"/api/v1/seller/shipments/{sid}/status", {"status": status})
        assert r.status_code == 200, r.content
    dispatch_pending()
    assert Order.objects.get(public_id=order_a).status == "delivered"
    commission = int((Decimal(total_a) * Decimal("0.1")).quantize(Decimal(1), ROUND_HALF_EVEN))
    balance_a = api_a.get("/api/v1/seller/balance").json()["balances"][0]
    assert balance_a["payable"]["amount_minor"] == total_a - commission
    assert balance_a["in_escrow"]["amount_minor"] == 0
    balance_b = api_b.get("/api/v1/seller/balance").json()["balances"][0]
    assert (balance_b["in_escrow"]["amount_minor"], balance_b["payable"]["amount_minor"]) == (
        total_b,
        0,
    )
    detail = guest.client.get(f"/api/v1/me/orders/{order_a}").json()
    assert detail["shipments"][0]["tracking_number"] == "TRK1"
    # payout of the payable balance
    payout = post_json(api_a, "/api/v1/seller/payouts", {"currency": "EUR"})
    assert payout.status_code == 201, payout.content
    assert payout.json()["amount"]["amount_minor"] == total_a - commission
    after = api_a.get("/api/v1/seller/balance").json()["balances"][0]
    assert (after["payable"]["amount_minor"], after["paid_out"]["amount_minor"]) == (
        0,
        total_a - commission,
    )
    assert unbalanced_transactions() == []


def test_return_refund_after_release_is_recorded_once(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest = Guest()
    guest.fill((world["cup"], 2))
    order_id = guest.checkout().json()["orders"][0]["id"]
    api = key_client(seller)
    carrier("dhl")
    sid = post_json(
        api,
        f"/api/v1/seller/orders/{order_id}/shipments",
        {
            "location": world["cup_at"].public_id,
            "lines": [{"line_no": 1, "quantity": 2}],
            "carrier": "dhl",
        },
    ).json()["id"]
    post_json(api, f"/api/v1/seller/shipments/{sid}/status", {"status": "shipped"})
    post_json(api, f"/api/v1/seller/shipments/{sid}/status", {"status": "delivered"})
    dispatch_pending()
    r = guest.send(
        "post",
        f"/api/v1/me/orders/{order_id}/returns",
        {"lines": [{"line_no": 1, "quantity": 1}], "reason_code": "damaged"},
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert post_json(api, f"/api/v1/seller/returns/{rid}/approve", {}).status_code == 200
    r = post_json(
        api,
        f"/api/v1/seller/returns/{rid}/receive",
        {"lines": [{"line_no": 1, "disposition": "write_off"}]},
    )
    assert r.status_code == 200, r.content
    r = post_json(api, f"/api/v1/seller/returns/{rid}/refund", {}, **{"Idempotency-Key": "rf-1"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "refunded" and r.json()["refunded_minor"] == 1299
    dispatch_pending()
    dispatch_pending()
    assert Order.objects.get(public_id=order_id).refunded_minor == 1299  # once, not twice
    assert unbalanced_transactions() == []


def test_three_d_secure_pass_and_fail(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest = Guest()
    guest.fill((world["cup"], 1))
    r = guest.checkout("4000002500003155")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["state"] == "requires_action"
    assert body["payment"]["next_action"]["type"] == "3ds"
    assert level(world["cup"]).reserved == 1
    r = guest.send("post", f"/api/v1/checkout/{body['id']}/3ds", {"result": "pass"})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "paid" and level(world["cup"]).on_hand == 4

    guest.fill((world["cup"], 1))
    body = guest.checkout("4000002500003155").json()
    r = guest.send("post", f"/api/v1/checkout/{body['id']}/3ds", {"result": "fail"})
    assert_problem(r, 402, "payment-declined")
    assert Checkout.objects.get(public_id=body["id"]).state == "failed"
    assert level(world["cup"]).reserved == 0 and level(world["cup"]).on_hand == 4
    assert Order.objects.get(checkout_ref=body["id"]).status == "cancelled"
    # another guest cannot see it
    assert Guest().client.get(f"/api/v1/checkout/{body['id']}").status_code == 404


def test_declined_card_cancels_everything(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest = Guest()
    guest.fill((world["cup"], 2), (world["pot"], 1))
    r = guest.checkout("4000000000000002")
    body = assert_problem(r, 402, "payment-declined")
    assert body["decline_code"] == "card_declined"
    nothing_held_or_charged()
    assert Order.objects.filter(status="cancelled").count() == 2
    assert PaymentIntent.objects.get().status == "failed"
    assert Cart.objects.get(status="open").lines.count() == 2  # the buyer can try another card


def test_out_of_stock_is_a_clean_409(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest = Guest()
    guest.fill((world["cup"], 1), (world["pot"], 3))  # only 2 pots
    body = assert_problem(guest.checkout(), 409, "out-of-stock")
    assert "Pot" in body["detail"]
    assert not Order.objects.exists() and not Checkout.objects.exists()
    assert not PaymentIntent.objects.exists() and not Reservation.objects.exists()


def test_a_crash_after_step_one_is_compensated_by_the_sweep(seller, other_seller, frozen) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    checkout = step_one_only((world["cup"], 2), (world["pot"], 1))
    assert checkout.state == "orders_placed" and level(world["cup"]).reserved == 2
    assert checkouts_sweep().compensated == 0  # not stuck yet
    clock.advance(timedelta(minutes=6))
    report = checkouts_sweep()
    assert report.compensated == 1, report
    assert Checkout.objects.get(pk=checkout.pk).state == "compensated"
    nothing_held_or_charged()
    assert PaymentIntent.objects.get().status == "cancelled"


def test_a_crash_while_authorizing_resumes_to_paid(seller, other_seller, frozen) -> None:  # type: ignore[no-untyped-def]
    from agora.payments.services._common import set_status
    from tests.conftest import SYSTEM

    world = setup_two_sellers(seller, other_seller)
    checkout = step_one_only((world["cup"], 1))
    # the process died after recording "authorizing" and before the provider's answer
    Checkout.objects.filter(pk=checkout.pk).update(state="authorizing")
    intent = checkout.payment
    set_status(intent, SYSTEM, "authorizing", allowed=("requires_payment",))
    clock.advance(timedelta(minutes=6))
    report = checkouts_sweep()
    assert report.resumed == 1, report
    assert Checkout.objects.get(pk=checkout.pk).state == "paid"
    assert level(world["cup"]).on_hand == 4 and level(world["cup"]).reserved == 0
    assert Order.objects.get().status == "paid"
