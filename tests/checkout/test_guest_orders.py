"""A guest's orders stay theirs: a guest can ask for a return without an account (recorded as
the buyer's request, not the seller's), another session cannot touch them, and signing in
takes them into the account's order history."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts.models import User
from agora.core.models import AuditEntry
from agora.fulfillment.services import shipment_mark_delivered, shipment_update
from agora.orders.models import Order, OrderReturn
from tests.checkout.flow_helpers import Guest, setup_two_sellers
from tests.conftest import SYSTEM
from tests.orders.factories import ship_all

pytestmark = pytest.mark.django_db
PASSWORD = "a long password 1"


def delivered_guest_order(seller, other_seller) -> tuple[Guest, Order]:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest = Guest()
    guest.fill((world["cup"], 2))
    response = guest.checkout(**{"Idempotency-Key": "g-1"})
    assert response.status_code == 201, response.content
    order = Order.objects.get(public_id=response.json()["orders"][0]["id"])
    shipment = ship_all(order, world["cup_at"])
    shipment_update(actor=SYSTEM, shipment=shipment, status="shipped")
    shipment_mark_delivered(actor=SYSTEM, shipment=shipment)
    return guest, Order.objects.get(pk=order.pk)


def ask_return(guest: Guest, order: Order):  # type: ignore[no-untyped-def]
    return guest.send(
        "post",
        f"/api/v1/me/orders/{order.public_id}/returns",
        {"lines": [{"line_no": 1, "quantity": 1}], "reason_code": "damaged", "details": "chipped"},
    )


def test_a_guest_return_is_the_buyers_request(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    guest, order = delivered_guest_order(seller, other_seller)
    assert order.buyer is None and order.buyer_ref.startswith("guest:")
    response = ask_return(guest, order)
    assert response.status_code == 201, response.content
    ret = OrderReturn.objects.get(public_id=response.json()["id"])
    assert ret.requested_by == OrderReturn.RequestedBy.BUYER
    entry = AuditEntry.objects.filter(action="return.requested").latest("pk")
    assert entry.actor_label == "guest"


def test_another_session_cannot_see_or_return_a_guests_order(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    _, order = delivered_guest_order(seller, other_seller)
    stranger = Guest()
    assert stranger.client.get(f"/api/v1/me/orders/{order.public_id}").status_code == 404
    assert ask_return(stranger, order).status_code == 404
    assert not OrderReturn.objects.exists()


def test_signing_in_takes_the_guests_orders_into_the_account(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    guest, order = delivered_guest_order(seller, other_seller)
    buyer = User.objects.create_user("g@example.com", PASSWORD)
    response = guest.client.post(
        "/accounts/login/",
        {"username": "g@example.com", "password": PASSWORD, "csrfmiddlewaretoken": guest.csrf},
    )
    assert response.status_code == 302
    mine = guest.client.get("/api/v1/me/orders").json()
    assert [o["id"] for o in mine["items"]] == [order.public_id]
    order.refresh_from_db()
    assert order.buyer == buyer and order.buyer_ref == f"user:{buyer.pk}"
    guest.csrf = guest.client.cookies["csrftoken"].value  # login rotates the token
    response = ask_return(guest, order)
    assert response.status_code == 201, response.content
    assert OrderReturn.objects.get().requested_by == OrderReturn.RequestedBy.BUYER
    # the account on another device sees the order too
    laptop = Client()
    laptop.force_login(buyer)
    assert laptop.get(f"/api/v1/me/orders/{order.public_id}").status_code == 200
