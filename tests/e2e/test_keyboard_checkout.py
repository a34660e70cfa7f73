"""A guest buys with the keyboard alone: Tab to move, typing into fields, Space and Enter to
press; the mouse is never used. At every Tab stop the focus must show, and every page passes
axe-core. The card is the 3-D Secure test card, so the bank's page is done by keyboard too."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from playwright.sync_api import Page, expect

from agora.demo.generate import DemoSpec
from tests.e2e.browser import ContextFactory, axe_check, tab_to, visit
from tests.e2e.shop import ADDRESS, COUNTRY, Pick

pytestmark = pytest.mark.e2e

GUEST_EMAIL = "keyboard.only@example.com"


def _plain_pick(demo: DemoSpec) -> Pick:
    """A product of the tea shop whose first variant is in stock (the one chosen by default)
    and whose title no other product has (so its search result is the one link of that name)."""
    titles = Counter(p.title for p in demo.products)
    seller = next(s for s in demo.sellers if s.slug == "teehaus-lindner")
    for product in seller.products:
        if titles[product.title] == 1 and sum(product.variants[0].stock) > 0:
            return Pick(seller, product, product.variants[0].title)
    raise AssertionError("the tea shop has nothing in stock")


def _type_into(page: Page, label: str, text: str) -> None:
    tab_to(page, page.get_by_label(label, exact=True))
    page.keyboard.type(text)


def _press(page: Page, key: str, *, then: str | re.Pattern[str]) -> None:
    """Presses ``key`` on the focused control and waits for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_url(then)
    axe_check(page)


def test_guest_checks_out_with_the_keyboard_only(desktop: ContextFactory, demo: DemoSpec) -> None:
    pick = _plain_pick(demo)
    title = pick.product.title
    page = desktop().new_page()
    visit(page, "/")

    # Search from the header, open the product, add it.
    tab_to(page, page.get_by_role("searchbox", name="Search products"))
    page.keyboard.type(title)
    _press(page, "Enter", then=re.compile(r"/search/\?"))
    tab_to(page, page.get_by_role("main").get_by_role("link", name=title, exact=True))
    _press(page, "Enter", then=re.compile(r"/p/prod_"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    tab_to(page, page.get_by_role("button", name="Add to cart"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Cart 1")
    page.wait_for_load_state("load")
    axe_check(page)

    # The cart (a redirect there, or the mini-cart's link to it).
    if not page.url.endswith("/cart/"):
        tab_to(page, page.get_by_role("link", name=re.compile(r"^Cart")))
        _press(page, "Enter", then="**/cart/")
    expect(page.get_by_role("main")).to_contain_text(title)
    tab_to(page, page.get_by_role("link", name="Go to checkout"))
    _press(page, "Enter", then="**/checkout/address/")

    # The address, typed field by field; the country chosen by typing its name.
    _type_into(page, "Email", GUEST_EMAIL)
    for label, value in ADDRESS.items():
        _type_into(page, label if label != "Postcode" else "Postcode (optional)", value)
    country = page.get_by_label("Country")
    tab_to(page, country)
    page.keyboard.type(COUNTRY)
    expect(country.locator("option:checked")).to_have_text(COUNTRY)
    tab_to(page, page.get_by_role("button", name="Continue to delivery and payment"))
    _press(page, "Enter", then="**/checkout/")

    # Delivery with Space on the first option, the 3-D Secure card typed, Pay with Enter.
    delivery = page.get_by_role("group", name=f"Delivery from {pick.seller.data.display_name}")
    first_option = delivery.get_by_role("radio").first
    tab_to(page, first_option)
    page.keyboard.press("Space")
    expect(first_option).to_be_checked()
    _type_into(page, "Card number", "4000 0025 0000 3155")
    tab_to(page, page.get_by_role("button", name=re.compile(r"^Pay ")))
    _press(page, "Enter", then=re.compile(r"/3ds/$"))

    # The bank's page: Space on "Approve payment".
    expect(page.get_by_role("heading", name="Confirm your payment")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Approve payment"))
    _press(page, "Space", then=re.compile(r"/done/$"))
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(pick.seller.data.display_name)
    expect(page.get_by_role("main")).to_contain_text(GUEST_EMAIL)
