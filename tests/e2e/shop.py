"""The buyer's and the seller's steps through the pages, shared by the browser tests.

Elements are found by role and accessible name (or label), as a screen reader user would find
them, so a step that cannot find its button is also an accessibility finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from agora.demo.generate import DemoSpec, ProductSpec, SellerSpec
from tests.e2e.browser import axe_check

# A delivery address both demo sellers of the journey ship to.
ADDRESS = {
    "Full name": "Mei Lin",
    "Street and number": "Torstraße 12",
    "Postcode": "10119",
    "City": "Berlin",
}
COUNTRY = "Germany"


@dataclass(frozen=True)
class Pick:
    """A demo product the tests buy: its seller, its titles and the variant to choose."""

    seller: SellerSpec
    product: ProductSpec
    variant_title: str


def in_stock_variant(product: ProductSpec) -> str | None:
    return next((v.title for v in product.variants if sum(v.stock) > 0), None)


def modelled_picks(demo: DemoSpec, query: str, sellers: int = 2) -> list[Pick]:
    """For ``sellers`` different sellers, one product with a 3D model, whose Chinese title holds
    ``query`` and that has a variant in stock: the goods a search for ``query`` should offer."""
    picks: list[Pick] = []
    for seller in demo.sellers:
        for product in seller.products:
            variant = in_stock_variant(product)
            has_model = any(m.kind == "model" for m in product.media)
            if has_model and variant and query in product.title_zh:
                picks.append(Pick(seller, product, variant))
                break
    assert len(picks) >= sellers, f"the demo store has no {sellers} sellers of {query!r} in 3D"
    return picks[:sellers]


def search(page: Page, query: str) -> None:
    """Types ``query`` into the header's search box (suggestions appear as one types), then
    sends it with Enter; ends on the results page, checked with axe."""
    box = page.get_by_role("searchbox", name="Search products")
    box.click()
    box.clear()
    box.press_sequentially(query, delay=80)
    suggestions = page.get_by_role("search").get_by_role("list", name="Suggestions")
    expect(suggestions.get_by_role("link").first).to_be_visible()
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(query)
    axe_check(page)


def result_card(page: Page, title: str, seller: str) -> Locator:
    """The search result (an ``article``) of ``title`` sold by ``seller``."""
    return (
        page.get_by_role("article")
        .filter(has=page.get_by_role("link", name=title, exact=True))
        .filter(has_text=seller)
    )


def add_to_cart(page: Page, pick: Pick) -> None:
    """On the product page: choose the variant in stock and add one to the cart."""
    expect(page.get_by_role("heading", level=1)).to_have_text(pick.product.title)
    page.get_by_role("group", name="Choose a variant").get_by_role(
        "radio", name=re.compile(re.escape(pick.variant_title))
    ).check()
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_load_state("load")
    axe_check(page)


def cart_units(page: Page) -> str:
    return (
        page.get_by_role("navigation", name="Your account")
        .get_by_role("link", name=re.compile(r"^Cart"))
        .inner_text()
    )


def log_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("alert")).to_have_count(0)
    axe_check(page)


def fill_address(page: Page, address: dict[str, str] = ADDRESS, country: str = COUNTRY) -> None:
    for label, value in address.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Country").select_option(label=country)


def choose_delivery(page: Page, seller_name: str) -> None:
    """The first (cheapest) delivery the seller offers."""
    page.get_by_role("group", name=f"Delivery from {seller_name}").get_by_role(
        "radio"
    ).first.check()


def card_number(page: Page, what_happens: str) -> str:
    """A card number from the checkout's table of test cards, by what it does."""
    row = page.get_by_role("row").filter(has_text=what_happens)
    return row.get_by_role("cell").first.inner_text().strip()


def order_ids(page: Page) -> dict[str, str]:
    """The orders listed on a confirmation or an order list: seller name → order id."""
    found: dict[str, str] = {}
    for item in page.get_by_role("listitem").filter(has_text=re.compile(r"Order ord_")).all():
        order = re.search(r"Order (ord_\w+)", item.inner_text())
        seller = re.search(r"\bfrom ([^·\n]+)", item.inner_text())
        if order and seller:
            found[seller.group(1).strip()] = order.group(1)
    return found
