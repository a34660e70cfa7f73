"""Order history, one order with its timeline and shipments, and the return request form."""

from __future__ import annotations

import re

import pytest

from agora.core.outbox import dispatch_pending
from agora.fulfillment.services import ShipmentLineDraft, shipment_create
from agora.orders.models import Order, OrderReturn
from tests.checkout.flow_helpers import setup_two_sellers
from tests.conftest import SYSTEM
from tests.storefront.buying import CARD_OK, Browser, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(seller, other_seller):  # type: ignore[no-untyped-def]
    return setup_two_sellers(seller, other_seller)


def bought(world, quantity: int = 2) -> tuple[Browser, Order]:  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], quantity)
    b.give_address()
    r = b.pay(CARD_OK)
    assert r["Location"].endswith("/done/"), r.content.decode()[:2000]
    return b, Order.objects.get()


def test_a_guest_reaches_the_order_from_the_confirmation_and_nobody_else_does(world):  # type: ignore[no-untyped-def]
    b, order = bought(world)
    done = b.get(f"/checkout/{order.checkout_ref}/done/").content.decode()
    assert f"/orders/{order.public_id}/" in done
    page = b.get(f"/orders/{order.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Order placed" in html and "Payment received" in html
    assert "Ada Lovelace" in html  # the delivery address went onto the order
    assert "/checkout/address/" not in done  # paid: no way back to the address step
    assert Browser().get(f"/orders/{order.public_id}/").status_code == 404
    assert order.public_id not in Browser().get("/orders/").content.decode()


def test_the_timeline_follows_shipments_and_delivery(world):  # type: ignore[no-untyped-def]
    b, order = bought(world)
    ship(order.public_id, world["cup_at"], tracking="ZX-1", deliver=True)
    dispatch_pending()
    html = b.get(f"/orders/{order.public_id}/").content.decode()
    history = html[html.index('id="timeline-title"') :]
    assert history.index("Order placed") < history.index("Payment received")
    assert history.index("Payment received") < history.index("Handed to the carrier")
    assert history.index("Handed to the carrier") < history.index("Order delivered")
    assert "ZX-1" in html and "DHL" in html
    assert "Return items" in html


def test_a_shipment_without_a_carrier_shows_its_tracking_number_alone(world):  # type: ignore[no-untyped-def]
    b, order = bought(world)
    shipment_create(
        actor=SYSTEM,
        order=order,
        location=world["cup_at"],
        lines=[ShipmentLineDraft(line.line_no, line.quantity) for line in order.lines.all()],
        tracking_number="LOCAL-7",
    )
    html = b.get(f"/orders/{order.public_id}/").content.decode()
    shipments = html[html.index('id="shipments-title"') : html.index('id="timeline-title"')]
    assert re.search(r"<p>\s*Tracking number: <code>LOCAL-7</code></p>", shipments), shipments
    assert "Carrier" not in shipments and "·" not in shipments


def test_a_return_request_per_line_with_a_reason(world):  # type: ignore[no-untyped-def]
    b, order = bought(world, quantity=2)
    assert b.get(f"/orders/{order.public_id}/return/").status_code == 200
    ship(order.public_id, world["cup_at"], deliver=True)
    url = f"/orders/{order.public_id}/return/"
    # too many units: refused next to the line, what was typed kept
    r = b.post(url, {"line_1": "3", "reason_code": "damaged", "details": "cracked lid"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "less than or equal to 2" in html and "cracked lid" in html
    # no reason
    r = b.post(url, {"line_1": "1", "reason_code": ""})
    assert r.status_code == 422 and "Choose a reason." in r.content.decode()
    r = b.post(url, {"line_1": "1", "reason_code": "damaged", "details": "cracked lid"})
    assert r.status_code == 302
    ret = OrderReturn.objects.get()
    assert (ret.status, ret.reason_code, ret.requested_by) == ("requested", "damaged", "buyer")
    assert ret.lines.get().quantity == 1
    html = b.get(f"/orders/{order.public_id}/").content.decode()
    assert ret.public_id in html and "Return requested" in html


def test_a_return_before_delivery_is_refused_with_a_message(world):  # type: ignore[no-untyped-def]
    b, order = bought(world)
    r = b.post(f"/orders/{order.public_id}/return/", {"line_1": "1", "reason_code": "other"})
    assert r.status_code == 422
    assert "a return can be requested when it is delivered" in r.content.decode()
    assert not OrderReturn.objects.exists()


def test_a_signed_in_buyer_lists_orders_newest_first(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.post(
        "/accounts/register/",
        {
            "email": "cy@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    for _ in range(2):
        b.add(world["cup"], 1)
        b.give_address()
        assert b.pay(CARD_OK)["Location"].endswith("/done/")
    html = b.get("/orders/").content.decode()
    first, second = Order.objects.order_by("pk")
    assert html.index(second.public_id) < html.index(first.public_id)
