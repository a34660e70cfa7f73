"""Checkout through the pages: guest cart of two sellers → sign up → address → 3-D Secure card
→ confirmation with one order per seller; declines, field errors, double submits."""

from __future__ import annotations

import pytest

from agora.checkout.models import Checkout
from agora.inventory.models import Reservation
from agora.orders.models import Order
from tests.checkout.flow_helpers import setup_two_sellers
from tests.storefront.buying import CARD_3DS, CARD_DECLINED, CARD_OK, Browser, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(seller, other_seller):  # type: ignore[no-untyped-def]
    return setup_two_sellers(seller, other_seller)


def test_guest_cart_register_3ds_checkout_and_the_order_shipped(world, seller, other_seller):  # type: ignore[no-untyped-def]
    b = Browser()
    assert b.add(world["cup"], 2).status_code == 302
    assert b.add(world["pot"], 1).status_code == 302
    r = b.post(
        "/accounts/register/",
        {
            "email": "ada@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    cart = b.get("/cart/").content.decode()
    assert "Cup" in cart and "Pot" in cart, "the guest cart was not merged on sign-up"
    # no address yet: checkout asks for it first
    assert b.get("/checkout/")["Location"] == "/checkout/address/"
    r = b.give_address()
    assert r.status_code == 302 and r["Location"] == "/checkout/", r.content.decode()[:3000]
    page = b.get("/checkout/").content.decode()
    assert "Order from Alpha" in page and "Order from Beta" in page
    assert "4000 0025 0000 3155" in page, "the test cards are not shown"
    r = b.pay(CARD_3DS)
    assert r.status_code == 302 and r["Location"].endswith("/3ds/"), r.content.decode()[:3000]
    challenge = b.get(r["Location"])
    assert challenge.status_code == 200
    assert "Approve payment" in challenge.content.decode()
    r = b.post(r["Location"], {"result": "pass"})
    assert r.status_code == 302 and r["Location"].endswith("/done/")
    done = b.get(r["Location"]).content.decode()
    orders = list(Order.objects.order_by("pk"))
    assert len(orders) == 2 and {o.status for o in orders} == {"paid"}
    assert {o.buyer.email for o in orders} == {"ada@example.org"}
    assert "A confirmation goes to ada@example.org." in done  # opened from the vault
    for order in orders:
        assert order.public_id in done
        assert order.ship_to["name"] == "Ada Lovelace" and order.ship_to["city"] == "Berlin"
    # the buyer sees the orders, the seller ships one, the buyer sees it shipped with tracking
    listing = b.get("/orders/").content.decode()
    assert all(o.public_id in listing for o in orders)
    cup_order = next(o for o in orders if o.seller_id == seller.pk)
    ship(cup_order.public_id, world["cup_at"], tracking="DHL-778")
    detail = b.get(f"/orders/{cup_order.public_id}/").content.decode()
    assert "Handed to the carrier" in detail and "DHL-778" in detail
    assert "https://track.example/DHL-778" in detail
    assert "Shipped" in detail  # the order's status


def test_declined_card_shows_why_keeps_the_input_and_a_retry_pays(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    b.give_address()
    form = b.payment_form()
    r = b.pay(CARD_DECLINED, form)
    assert r.status_code == 402
    html = r.content.decode()
    assert "Your card was declined" in html and 'role="alert"' in html
    assert 'value="4000 0000 0000 0002"' in html, "the typed card number was lost"
    assert form["token"] not in html, "a declined attempt must get a fresh idempotency token"
    assert set(Order.objects.values_list("status", flat=True)) == {"cancelled"}
    assert not Reservation.objects.filter(state="active").exists()
    r = b.pay(CARD_OK)
    assert r.status_code == 302 and r["Location"].endswith("/done/")
    assert Order.objects.filter(status="paid").count() == 1


def test_a_double_submitted_payment_pays_once(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    b.give_address()
    form = b.payment_form()
    first = b.pay(CARD_OK, form)
    second = b.pay(CARD_OK, form)  # the same form sent again (a double click)
    assert first["Location"] == second["Location"]
    assert Checkout.objects.count() == 1 and Order.objects.count() == 1


def test_failed_3ds_returns_to_the_form_with_the_choices_and_card(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    b.give_address()
    r = b.pay(CARD_3DS)
    r = b.post(r["Location"], {"result": "fail"})
    assert "/checkout/?declined=chk_" in r["Location"]
    page = b.get(r["Location"]).content.decode()
    assert "3-D Secure check failed" in page
    assert 'value="4000002500003155"' in page
    assert Order.objects.get().status == "cancelled"


def test_address_errors_are_shown_next_to_the_field_and_keep_the_input(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    r = b.give_address(city="", vat_id="DE123", name="Grace Hopper")
    assert r.status_code == 422
    html = r.content.decode()
    assert "Enter the city." in html
    assert 'value="Grace Hopper"' in html and 'value="DE123"' in html
    assert html.count('aria-invalid="true"') == 2  # city and VAT number


def test_reverse_charge_is_shown_for_a_business_buyer(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    r = b.give_address(country="AT", postcode="1010", city="Wien", vat_id="ATU13585627")
    assert r.status_code == 302, r.content.decode()[:2000]
    page = b.get("/checkout/").content.decode()
    assert "Reverse charge" in page and "ATU13585627" in page


def test_the_pages_refuse_posts_without_the_csrf_token(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    forged = b.client.post("/cart/add/", {"variant": world["pot"].public_id, "quantity": 1})
    assert forged.status_code == 403
    forged = b.client.post("/checkout/address/", {"name": "x"})
    assert forged.status_code == 403


def test_someone_elses_checkout_pages_are_not_found(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    b.give_address()
    r = b.pay(CARD_3DS)
    stranger = Browser()
    assert stranger.get(r["Location"]).status_code == 404
    done = r["Location"].replace("/3ds/", "/done/")
    assert stranger.get(done).status_code == 404
