"""The paths of checkout that only a misbehaving world takes: a card that authorizes and then
fails at capture, and a reservation that lapsed while the buyer sat on the 3-D Secure page
(taken again when the stock is still there; refunded in full when it was sold meanwhile)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agora.checkout.flow import checkouts_sweep
from agora.checkout.models import Checkout
from agora.core import clock
from agora.core.models import AuditEntry
from agora.core.outbox import dispatch_pending
from agora.inventory.models import Reservation, StockLevel
from agora.inventory.reservations import reservations_expire
from agora.orders.models import Order
from agora.payments.models import LedgerEntry, PaymentIntent, Refund
from agora.payments.selectors import unbalanced_transactions
from tests.checkout.flow_helpers import Guest, setup_two_sellers
from tests.conftest import assert_problem

pytestmark = pytest.mark.django_db
FAIL_LATER, THREE_D_SECURE = "4000000000000341", "4000002500003155"


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with clock.frozen_at(clock.now()):
        yield


def level(variant) -> StockLevel:  # type: ignore[no-untyped-def]
    return StockLevel.objects.get(variant=variant)


def test_a_capture_that_fails_after_authorization_undoes_the_checkout(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest = Guest()
    guest.fill((world["cup"], 2), (world["pot"], 1))
    body = assert_problem(guest.checkout(FAIL_LATER), 402, "payment-declined")
    assert body["decline_code"] == "card_declined"
    checkout = Checkout.objects.get()
    assert checkout.state == "failed" and checkout.error["code"] == "card_declined"
    intent = PaymentIntent.objects.get()
    assert intent.status == "failed" and intent.provider_ref  # it was authorized first
    authorized = AuditEntry.objects.filter(target_id=intent.public_id).values_list(
        "changes", flat=True
    )
    assert any("authorized" in str(c) for c in authorized), list(authorized)
    assert set(Order.objects.values_list("status", flat=True)) == {"cancelled"}
    assert not Reservation.objects.filter(state="active").exists()
    assert (level(world["cup"]).on_hand, level(world["cup"]).reserved) == (5, 0)
    assert not LedgerEntry.objects.exists()  # nothing was captured, nothing is held


def three_ds_pending(world, ttl_settings) -> tuple[Guest, str]:  # type: ignore[no-untyped-def]
    ttl_settings.AGORA_CHECKOUT_RESERVATION_TTL = timedelta(minutes=1)
    guest = Guest()
    guest.fill((world["cup"], 2))
    body = guest.checkout(THREE_D_SECURE).json()
    assert body["state"] == "requires_action" and level(world["cup"]).reserved == 2
    clock.advance(timedelta(minutes=2))
    assert reservations_expire() == 1 and level(world["cup"]).reserved == 0
    return guest, body["id"]


def test_a_lapsed_reservation_is_taken_again_when_the_stock_is_still_there(
    seller, other_seller, frozen, settings
) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest, checkout_id = three_ds_pending(world, settings)
    r = guest.send("post", f"/api/v1/checkout/{checkout_id}/3ds", {"result": "pass"})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "paid"
    assert (level(world["cup"]).on_hand, level(world["cup"]).reserved) == (3, 0)
    assert Order.objects.get().status == "paid"
    assert unbalanced_transactions() == []


def test_goods_sold_while_the_buyer_sat_on_3ds_are_refunded_in_full(
    seller, other_seller, frozen, settings
) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest, checkout_id = three_ds_pending(world, settings)
    rival = Guest()
    rival.fill((world["cup"], 5))  # every cup, while the first buyer's hold has lapsed
    assert rival.checkout().json()["state"] == "paid"
    assert level(world["cup"]).on_hand == 0

    r = guest.send("post", f"/api/v1/checkout/{checkout_id}/3ds", {"result": "pass"})
    assert r.status_code == 200 and r.json()["state"] == "refunding", r.content
    assert r.json()["payment"]["status"] == "refunded"
    checkout = Checkout.objects.get(public_id=checkout_id)
    assert checkout.error["code"] == "out_of_stock_after_payment"
    order = Order.objects.get(checkout_ref=checkout_id)
    refund = Refund.objects.get(order=order)
    assert refund.amount_minor == order.total_minor
    dispatch_pending()  # refund.issued → recorded on the order
    order.refresh_from_db()
    assert order.refunded_minor == order.total_minor
    report = checkouts_sweep()
    assert report.errors == []
    checkout.refresh_from_db()
    order.refresh_from_db()
    assert (checkout.state, order.status) == ("failed", "cancelled")
    assert checkout.error["code"] == "out_of_stock_after_payment"
    assert level(world["cup"]).on_hand == 0 and level(world["cup"]).reserved == 0  # no oversell
    assert unbalanced_transactions() == []
