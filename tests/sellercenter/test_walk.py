"""A seller's whole way through the seller center, page by page (issue 4): apply, be verified by
an operator, list a product in English and Chinese, receive stock, and fulfil a buyer's order
placed through the real checkout, until the buyer sees it shipped and delivered."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.catalog.models import Product
from agora.core.outbox import dispatch_pending
from agora.inventory.models import StockLevel
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_transition
from agora.orders.models import Order
from tests.checkout.helpers import eu_shipping
from tests.conftest import SYSTEM
from tests.orders.factories import carrier
from tests.sellercenter.helpers import Buyer, text, user

pytestmark = pytest.mark.django_db


def test_a_seller_applies_lists_stocks_and_fulfils_an_order() -> None:
    owner = user("owner@shop.example")
    browser = Client()
    browser.force_login(owner)

    # Not a seller yet: the seller center sends them to the application.
    assert browser.get("/seller/").url == "/seller/apply/"
    r = browser.post(
        "/seller/apply/",
        {
            "display_name": "Porcelain Works",
            "legal_name": "Porcelain Works GmbH",
            "country": "DE",
            "payout_currency": "eur",
            "vat_id": "DE 136695976",
        },
    )
    assert r.status_code == 302 and r.url == "/seller/status/"
    seller = Seller.objects.get(display_name="Porcelain Works")
    assert (seller.state, seller.vat_id, seller.payout_currency) == (
        "applied",
        "DE136695976",
        "EUR",
    )
    assert "applied" in text(browser.get("/seller/status/"))

    # The operator verifies and activates the shop through the marketplace service.
    seller_transition(actor=SYSTEM, seller=seller, to="verified")
    seller_transition(actor=SYSTEM, seller=seller, to="active")
    assert "active" in text(browser.get("/seller/status/"))

    # A product with its Chinese title, priced, weighed, then published.
    r = browser.post(
        "/seller/products/new/",
        {
            "title": "Tea cup",
            "title_zh": "茶杯",
            "description": "Hand-glazed",
            "description_zh": "手工上釉",
            "sku": "CUP-1",
            "gtin": "4006381333931",
            "weight_grams": "200",
            "price": "12.99",
            "currency": "EUR",
        },
    )
    assert r.status_code == 302, r.content[:2000]
    product = Product.objects.get(seller=seller)
    assert product.translations == {"zh-hans": {"title": "茶杯", "description": "手工上釉"}}
    variant = product.variants.get()
    assert variant.prices.get().amount_minor == 1299
    assert browser.post(f"/seller/products/{product.public_id}/publish/").status_code == 302
    product.refresh_from_db()
    assert product.status == "published"
    zh = browser.get("/seller/products/", headers={"accept-language": "zh-hans"})
    assert "茶杯" in text(zh)

    # A warehouse, and twelve cups received into it.
    r = browser.post(
        "/seller/stock/locations/", {"name": "Berlin", "kind": "warehouse", "country": "DE"}
    )
    assert r.status_code == 302, r.content[:2000]
    location = seller_location = seller_locations(seller)[0]
    r = browser.post(
        f"/seller/stock/{variant.public_id}/",
        {
            "action": "receive",
            "receive-location": location.public_id,
            "receive-quantity": "12",
            "receive-reference": "DN-1",
        },
    )
    assert r.status_code == 302, r.content[:2000]
    assert StockLevel.objects.get(variant=variant).on_hand == 12
    assert "12 / 0 / 12" in text(browser.get("/seller/stock/"))

    # A buyer orders three cups through the storefront's checkout.
    eu_shipping(seller)
    carrier("dhl")
    buyer_account = user("ada@buyer.example")
    buyer = Buyer(buyer_account)
    buyer.fill((variant, 3))
    r = buyer.checkout()
    assert r.status_code == 201, r.content
    order = Order.objects.get(seller=seller)
    assert order.status == "paid"

    # The seller finds it among the orders to fulfil and picks it.
    listing = text(browser.get("/seller/orders/"))
    assert order.public_id in listing
    picks = text(browser.get(f"/seller/orders/{order.public_id}/pick-list/"))
    assert "CUP-1" in picks and "Berlin (9)" in picks  # the sale took 3 off on hand

    # Ship all three with DHL, then report it shipped and delivered.
    r = browser.post(
        f"/seller/orders/{order.public_id}/shipments/",
        {
            "location": seller_location.public_id,
            "line_1": "3",
            "carrier": "dhl",
            "tracking_number": "JD0001",
        },
    )
    assert r.status_code == 302, r.content[:3000]
    order.refresh_from_db()
    assert order.status == "fulfilled"
    shipment = order.shipments.get()
    slip = browser.get(f"/seller/shipments/{shipment.public_id}/packing-slip/")
    assert slip.status_code == 200 and "CUP-1" in text(slip)

    for status in ("shipped", "delivered"):
        r = browser.post(f"/seller/shipments/{shipment.public_id}/status/", {"status": status})
        assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "delivered"

    # The buyer sees their order shipped, with its tracking number.
    mine = buyer.client.get(f"/api/v1/me/orders/{order.public_id}").json()
    assert mine["status"] == "delivered"
    assert mine["shipments"][0]["tracking_number"] == "JD0001"

    # Delivery releases the escrow: the money page shows a payable balance.
    dispatch_pending()
    money = text(browser.get("/seller/money/"))
    assert "payable" in money.lower() or "Payable" in money
    assert "release" in money.lower() or "released" in money.lower()


def seller_locations(seller: Seller):  # type: ignore[no-untyped-def]
    from agora.inventory.selectors import location_list

    return location_list(seller=seller)
