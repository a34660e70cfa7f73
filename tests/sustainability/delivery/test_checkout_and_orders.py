"""Checkout shows each delivery option's footprint and offers the greener one; the paid order
keeps its figure (once, however often the event comes); the buyer's account totals the year."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from agora.core.events import event_from_row
from agora.core.models import OutboxEvent
from agora.core.outbox import dispatch_pending
from agora.orders.models import Order
from agora.sustainability.delivery import handlers
from agora.sustainability.delivery.services import order_footprint_record
from agora.sustainability.models import OrderDeliveryFootprint
from tests.storefront.buying import CARD_OK, Browser
from tests.sustainability.delivery.world import PARCEL_GRAMS, expected_kg, green_world

pytestmark = pytest.mark.django_db


def signed_in_buyer() -> Browser:
    b = Browser()
    r = b.post(
        "/accounts/register/",
        {
            "email": "mei@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    assert r.status_code == 302
    return b


@pytest.fixture
def world(seller):  # type: ignore[no-untyped-def]
    return green_world(seller)


def test_checkout_shows_both_options_with_their_footprint_and_the_saving(world):
    b = signed_in_buyer()
    b.add(world.variant, 1)
    assert b.give_address().status_code == 302
    page = b.get("/checkout/").content.decode()
    van, truck = expected_kg("van_diesel"), expected_kg("articulated_truck")
    assert truck < van
    options = re.findall(r"<label for=\"id_ship_[^\"]+\">(.*?)</label>", page, re.S)
    assert len(options) == 2
    standard, pickup = options  # same price: the faster one first
    assert "Standard" in standard and f"{van} kg CO2e" in standard
    assert "Pick-up point" in pickup and f"{truck} kg CO2e" in pickup
    assert f"Choose Pick-up point: saves {van - truck} kg CO2e" in page
    assert "GLEC Framework" in page


def test_no_saving_is_offered_when_the_greener_option_is_chosen(world):
    b = signed_in_buyer()
    b.add(world.variant, 1)
    b.give_address()
    form = b.payment_form()
    [field] = [k for k in form if k.startswith("ship_")]
    form[field] = world.pickup
    form["card"] = "4000 0000 0000 0002"  # declined: the page comes back with the choice kept
    page = b.post("/checkout/", form).content.decode()
    assert "Choose Pick-up point" not in page and "kg CO2e" in page


def test_the_paid_order_keeps_its_figure_once_and_the_account_totals_the_year(world, seller):
    b = signed_in_buyer()
    b.add(world.variant, 2)
    b.give_address()
    form = b.payment_form()
    [field] = [k for k in form if k.startswith("ship_")]
    form[field] = world.pickup
    r = b.pay(CARD_OK, form)
    assert r.status_code == 302 and r["Location"].endswith("/done/"), r.content.decode()[:2000]
    dispatch_pending()

    order = Order.objects.get(seller=seller)
    [kept] = OrderDeliveryFootprint.objects.all()
    two_parcels = expected_kg("articulated_truck", grams=2 * PARCEL_GRAMS)
    assert kept.order_public_id == order.public_id and kept.buyer == order.buyer
    assert (kept.method_public_id, kept.method_name) == (world.pickup, "Pick-up point")
    assert kept.modes == "articulated_truck" and kept.kg_co2e == two_parcels
    assert kept.weight_kg == Decimal("3.000") and kept.destination_country == "DE"
    assert kept.distance_km > Decimal(300)  # Hamburg to the centre of Germany, with the detour
    assert "GHG Conversion Factors" in kept.factor_source and "2025" in kept.factor_source
    assert kept.legs[0]["factor"] == "0.09623" and kept.legs[0]["scope"] == "WTW"

    # the same event again, and a second recording of the order, change nothing
    row = OutboxEvent.objects.get(name="order.paid")
    handlers.on_order_paid(event_from_row(row.name, row.payload), row.public_id)
    assert order_footprint_record(order_public_id=order.public_id) == kept
    assert OrderDeliveryFootprint.objects.count() == 1
    kept.refresh_from_db()
    assert kept.kg_co2e == two_parcels and kept.event_id == row.public_id

    account = b.get("/account/").content.decode()
    assert "/account/delivery-footprint/" in account  # linked from the account navigation
    page = b.get("/account/delivery-footprint/").content.decode()
    year = order.placed_at.year
    assert re.search(rf"<th scope=\"row\">{year}</th><td>1</td><td>{two_parcels}</td>", page)
    assert order.public_id in page and "Pick-up point" in page
    detail = b.get(f"/orders/{order.public_id}/").content.decode()
    assert "Delivery footprint" in detail and f"{two_parcels} kg CO2e" in detail


def test_the_yearly_page_needs_a_signed_in_buyer_and_shows_only_theirs(world):
    assert Browser().get("/account/delivery-footprint/").status_code == 302
    b = signed_in_buyer()
    page = b.get("/account/delivery-footprint/").content.decode()
    assert "No paid orders with a delivery figure yet." in page


def test_an_order_not_from_a_checkout_has_no_figure(seller):
    from tests.orders.factories import place

    order = place(seller)
    assert order_footprint_record(order_public_id=order.public_id) is None
    assert not OrderDeliveryFootprint.objects.exists()
