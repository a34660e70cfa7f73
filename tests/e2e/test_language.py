"""The language switch in the footer: the page turns to Simplified Chinese and back, the
catalogue with it, and prices are written the way each language writes them (a buyer paying
in yuan reads ``CN¥`` in English and ``¥`` in Chinese). On a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from agora.demo.generate import DemoSpec
from tests.e2e.browser import ContextFactory, amount_of, axe_check, shot, visit

pytestmark = pytest.mark.e2e

HAN = re.compile(r"[\u4e00-\u9fff]")


def _press(page: Page, button: str) -> None:
    """Presses a button of the footer's language or currency switch (a POST, then the same
    page again)."""
    footer = page.get_by_role("contentinfo")
    with page.expect_navigation():
        footer.get_by_role("button", name=button, exact=True).click()
    axe_check(page)


def _first_card(page: Page) -> tuple[str, str, str]:
    """The first product on the page: its link, title and price as shown."""
    card = page.get_by_role("main").get_by_role("article").first
    link = card.get_by_role("link").first
    return link.get_attribute("href") or "", link.inner_text(), card.locator(".price").inner_text()


def _card(page: Page, href: str) -> tuple[str, str]:
    card = page.get_by_role("article").filter(has=page.locator(f'a[href="{href}"]')).first
    return card.get_by_role("link").first.inner_text(), card.locator(".price").inner_text()


def test_language_switch_turns_the_store_chinese_and_back(
    phone: ContextFactory, demo: DemoSpec
) -> None:
    page = phone().new_page()
    visit(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    english_heading = page.get_by_role("heading", level=1).inner_text()
    assert not HAN.search(english_heading), english_heading

    _press(page, "CNY")
    href, english_title, english_price = _first_card(page)
    assert english_price.removeprefix("from ").startswith("CN¥"), english_price
    titles_zh = {p.title: p.title_zh for p in demo.products}
    assert english_title in titles_zh, f"{english_title!r} is not a demo product title"

    # To Chinese: the page, the product titles and the price format follow.
    _press(page, "简体中文")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh-Hans$", re.I))
    chinese_heading = page.get_by_role("heading", level=1).inner_text()
    assert HAN.search(chinese_heading), f"the heading stayed {chinese_heading!r}"
    expect(page.get_by_role("button", name="简体中文")).to_have_attribute("aria-pressed", "true")
    chinese_title, chinese_price = _card(page, href)
    assert chinese_title == titles_zh[english_title]
    assert "¥" in chinese_price and "CN¥" not in chinese_price, chinese_price
    assert amount_of(chinese_price) == amount_of(english_price)
    shot(page, "home-zh")

    # The product page in Chinese, then back to English there.
    page.get_by_role("link", name=chinese_title, exact=True).first.click()
    page.wait_for_url(re.compile(r"/p/prod_"))
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(titles_zh[english_title])
    expect(page.get_by_role("button", name=re.compile(r"[\u4e00-\u9fff]"))).not_to_have_count(0)
    shot(page, "product-zh")

    _press(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(english_title)
    expect(page.get_by_role("button", name="Add to cart")).to_be_visible()
    expect(page.get_by_role("main").locator(".price").first).to_contain_text("CN¥")
