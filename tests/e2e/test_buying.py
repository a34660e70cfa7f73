"""A guest searches in Chinese, puts two sellers' goods in the cart, signs up, pays with the
3-D Secure test card and sees the orders; one of the sellers ships, and the buyer sees it.

The purchase is one module fixture (it is the set-up of the seller's part); every page on the
way is checked with axe-core, and the main ones are photographed at phone and desktop width.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from agora.demo.generate import DemoSpec, SellerSpec
from tests.e2e.browser import DESKTOP, ContextFactory, axe_check, contexts, shot, visit
from tests.e2e.server import AgoraServer
from tests.e2e.shop import (
    Pick,
    add_to_cart,
    card_number,
    cart_units,
    choose_delivery,
    fill_address,
    log_in,
    modelled_picks,
    order_ids,
    result_card,
    search,
)

pytestmark = pytest.mark.e2e

QUERY = "马克杯"  # "mug": stoneware from France and porcelain from Jingdezhen
TRACKING = "1Z999AA10123456784"


@dataclass
class Purchase:
    email: str
    password: str
    picks: list[Pick]
    orders: dict[str, str]  # seller display name → order id
    page: Page  # the buyer's browser tab, still signed in


def _wait_for_3d(page: Page) -> None:
    """model-viewer has loaded the glTF model (or at least shown its poster)."""
    viewer = page.locator("model-viewer")
    expect(viewer).to_have_count(1)
    page.wait_for_function(
        "() => { const v = document.querySelector('model-viewer');"
        " return v && customElements.get('model-viewer') && (v.loaded || v.modelIsVisible); }",
        timeout=20_000,
    )


@pytest.fixture(scope="module")
def purchase(browser: Browser, agora_server: AgoraServer, demo: DemoSpec) -> Iterator[Purchase]:
    picks = modelled_picks(demo, QUERY)
    email = f"mei.{secrets.token_hex(4)}@example.com"
    password = "Kettle-Blossom-" + secrets.token_hex(4)
    with contexts(browser, agora_server.url, viewport=DESKTOP) as open_context:
        page = open_context().new_page()

        # A guest on the home page answers the consent banner, then searches in Chinese.
        visit(page, "/")
        shot(page, "home")
        page.locator('.consent-banner button[value="necessary"]').click()
        expect(page.locator(".consent-banner")).to_have_count(0)
        search(page, QUERY)
        for pick in picks:
            expect(
                result_card(page, pick.product.title, pick.seller.data.display_name)
            ).to_be_visible()
        shot(page, "search")

        # Two sellers' goods into the cart, the first seen in 3D.
        for n, pick in enumerate(picks):
            if n:
                search(page, QUERY)
            result_card(page, pick.product.title, pick.seller.data.display_name).get_by_role(
                "link", name=pick.product.title, exact=True
            ).click()
            page.wait_for_url(re.compile(r"/p/prod_"))
            axe_check(page)
            if n == 0:
                expect(page.get_by_role("heading", name="3D view")).to_be_visible()
                _wait_for_3d(page)
                shot(page, "product")
            add_to_cart(page, pick)
            expect(page.get_by_role("navigation", name="Your account")).to_contain_text(
                f"Cart {n + 1}"
            )

        page.get_by_role("link", name=re.compile(r"^Cart")).click()
        page.wait_for_url("**/cart/")
        axe_check(page)
        for pick in picks:
            group = page.get_by_role(
                "region", name=f"Sold and shipped by {pick.seller.data.display_name}"
            )
            expect(group).to_contain_text(pick.product.title)
        shot(page, "cart")

        # To checkout; the guest signs up on the way and keeps the cart.
        page.get_by_role("link", name="Go to checkout").click()
        page.wait_for_url("**/checkout/address/")
        axe_check(page)
        page.get_by_role("main").get_by_role("link", name="create an account").click()
        page.wait_for_url(re.compile(r"/accounts/register/"))
        axe_check(page)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_label("Password again").fill(password)
        page.get_by_role("button", name="Create account").click()
        page.wait_for_url("**/checkout/address/")
        axe_check(page)
        expect(page.get_by_role("link", name="My orders")).to_be_visible()
        assert cart_units(page).endswith("2"), cart_units(page)

        fill_address(page)
        page.get_by_role("button", name="Continue to delivery and payment").click()
        page.wait_for_url("**/checkout/")
        axe_check(page)

        # One order per seller, each with its delivery; paid together by the 3-D Secure card.
        for pick in picks:
            name = pick.seller.data.display_name
            expect(page.get_by_role("heading", name=f"Order from {name}")).to_be_visible()
            choose_delivery(page, name)
        card = card_number(page, "3-D Secure")
        page.get_by_label("Card number").fill(card)
        shot(page, "checkout")
        pay = page.get_by_role("button", name=re.compile(r"^Pay "))
        pay.click()

        page.wait_for_url(re.compile(r"/3ds/$"))
        expect(page.get_by_role("heading", name="Confirm your payment")).to_be_visible()
        axe_check(page)
        shot(page, "3ds")
        page.get_by_role("button", name="Approve payment").click()

        page.wait_for_url(re.compile(r"/done/$"))
        expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
        axe_check(page)
        orders = order_ids(page)
        assert set(orders) == {p.seller.data.display_name for p in picks}, orders
        shot(page, "confirmation")

        yield Purchase(email, password, picks, orders, page)


def test_guest_searches_in_chinese_signs_up_and_pays_with_3ds(purchase: Purchase) -> None:
    page = purchase.page
    page.get_by_role("link", name="My orders").click()
    page.wait_for_url("**/orders/")
    axe_check(page)
    listed = order_ids(page)
    assert listed == purchase.orders, "My orders lists the two orders just paid"
    for order_id in purchase.orders.values():
        card = page.get_by_role("listitem").filter(has_text=order_id)
        expect(card).to_contain_text("Paid, being prepared")
    shot(page, "orders")

    first = purchase.picks[0]
    page.get_by_role(
        "link", name=f"Order {purchase.orders[first.seller.data.display_name]}"
    ).click()
    page.wait_for_url(re.compile(r"/orders/ord_"))
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Order ord_")
    expect(page.get_by_role("table")).to_contain_text(first.product.title)
    expect(page.get_by_text("Paid, being prepared")).to_be_visible()
    shot(page, "order")


def _english_speaking(picks: list[Pick]) -> SellerSpec:
    """The seller center is checked in English: a seller whose owner reads English."""
    return next(p.seller for p in picks if p.seller.owner.language == "en")


def test_seller_ships_and_the_buyer_sees_the_tracking(
    purchase: Purchase, desktop: ContextFactory
) -> None:
    seller = _english_speaking(purchase.picks)
    name = seller.data.display_name
    order_id = purchase.orders[name]
    page = desktop().new_page()

    # The seller signs in to the seller center and opens the new order.
    visit(page, "/seller/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    log_in(page, seller.owner.email, seller.owner.password)
    page.wait_for_url(re.compile(r"/seller/$"))
    page.get_by_role("link", name="Orders", exact=True).first.click()
    page.wait_for_url(re.compile(r"/seller/orders/"))
    axe_check(page)
    expect(page.get_by_role("link", name=re.compile(order_id))).to_be_visible()
    shot(page, "seller-orders")
    page.get_by_role("link", name=re.compile(order_id)).click()
    page.wait_for_url(re.compile(rf"/seller/orders/{order_id}/"))
    axe_check(page)

    # Everything open goes into one shipment with its tracking number, then handed over.
    page.get_by_label("Tracking number").fill(TRACKING)
    page.get_by_role("button", name="Create shipment").click()
    page.wait_for_load_state("load")
    axe_check(page)
    shipments = page.get_by_role("region", name="Shipments")
    expect(shipments.get_by_role("article")).to_have_count(1)
    expect(shipments.get_by_role("article")).to_contain_text(TRACKING)
    shipment = shipments.get_by_role("heading", name=re.compile(r"^shp_"))
    expect(shipment).not_to_contain_text(re.compile("shipped", re.I))
    page.get_by_label("New status").select_option("shipped")
    page.get_by_role("button", name="Save status").click()
    page.wait_for_load_state("load")
    axe_check(page)
    expect(shipment).to_contain_text(re.compile(r"\bshipped\b", re.I))
    shot(page, "seller-order")

    # The buyer sees the order shipped, with the tracking number.
    buyer = purchase.page
    visit(buyer, f"/orders/{order_id}/")
    expect(buyer.get_by_text("Status: Shipped")).to_be_visible()
    shipments = buyer.get_by_role("region", name="Shipments")
    expect(shipments).to_contain_text("Handed to the carrier")
    expect(shipments).to_contain_text(TRACKING)
    shot(buyer, "order-shipped")
