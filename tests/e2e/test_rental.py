"""Issue 7, rental: a buyer opens a demo cargo bike's page, finds the "Rent" section with its
terms and availability calendar, books dates with the test card and sees the booking under
"My rentals"; a second buyer then asks for the same bike on the same dates, sees those days
marked booked in the calendar, and is refused with a message naming the clashing days. Every
page passes axe-core."""

from __future__ import annotations

import re
import secrets
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from agora.demo.generate import DemoSpec
from agora.demo.rental import rental_products
from tests.e2e.browser import ContextFactory, axe_check, shot, visit

pytestmark = pytest.mark.e2e

TEST_CARD = "4242 4242 4242 4242"  # the test provider's card that always pays


def _rentable_title(demo: DemoSpec) -> str:
    """A demo product offered for rent whose title no other product has."""
    titles = Counter(p.title for p in demo.products)
    for _seller, product in rental_products(demo):
        if titles[product.title] == 1:
            return product.title
    raise AssertionError("the demo store offers nothing with a unique title for rent")


def _register(page: Page, who: str) -> None:
    visit(page, "/accounts/register/")
    password = "Rent-A-Bike-" + secrets.token_hex(4)
    page.get_by_label("Email").fill(f"{who}.{secrets.token_hex(4)}@example.com")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("load")
    axe_check(page)
    expect(page.get_by_role("link", name="My orders")).to_be_visible()


def _open_product(page: Page, title: str, month: str) -> Locator:
    """The product page from its search result, on the calendar month ``month``; returns the
    "Rent" section."""
    visit(page, "/search/?q=" + title.replace(" ", "+"))
    page.get_by_role("main").get_by_role("link", name=title, exact=True).first.click()
    page.wait_for_url(re.compile(r"/p/prod_"))
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    visit(page, page.url.split("?")[0].split("#")[0] + f"?rent_month={month}")
    rent = page.get_by_role("region", name="Rent")
    expect(rent).to_be_visible()
    return rent


def _book(rent: Locator, start: date, end: date) -> None:
    rent.get_by_label("From", exact=True).fill(start.isoformat())
    rent.get_by_label("Return on", exact=True).fill(end.isoformat())
    rent.get_by_label("Card", exact=True).fill(TEST_CARD)
    rent.get_by_role("button", name="Book and pay rent + deposit").click()


def test_a_buyer_books_dates_and_a_second_buyer_is_refused_the_same_dates(
    desktop: ContextFactory, demo: DemoSpec
) -> None:
    title = _rentable_title(demo)
    today = datetime.now(UTC).date()
    first_of_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    start, end = first_of_next + timedelta(days=9), first_of_next + timedelta(days=12)
    month = first_of_next.strftime("%Y-%m")

    # The first buyer: terms and calendar on the product page, then a booking.
    page = desktop().new_page()
    _register(page, "renter")
    rent = _open_product(page, title, month)
    expect(rent.get_by_text("Per day", exact=True)).to_be_visible()
    expect(rent.get_by_text("Deposit", exact=True)).to_be_visible()
    calendar = rent.get_by_role("table").first
    expect(calendar.locator("caption")).to_contain_text("Availability of")
    day = calendar.locator(f'td[data-day="{start.isoformat()}"]')
    expect(day).to_have_class(re.compile(r"\bfree\b"))
    shot(page, "rental-product")
    _book(rent, start, end)
    page.wait_for_url("**/account/rentals/")
    axe_check(page)
    expect(page.get_by_text(re.compile(r"^Booked .* \(booking rbk_\w+\)\.$"))).to_be_visible()
    booking_id = re.search(r"rbk_\w+", page.get_by_text(re.compile(r"^Booked ")).inner_text())
    assert booking_id is not None
    row = page.locator(f'tr[id="{booking_id.group(0)}"]')
    expect(row).to_contain_text(title)
    expect(row).to_contain_text("Reserved")
    expect(row.get_by_role("button", name="Cancel (full refund)")).to_be_visible()
    shot(page, "rental-mine")

    # A second buyer wants the same bike on the same days: they show as booked, and asking
    # anyway is refused with the clashing days named.
    other = desktop().new_page()
    _register(other, "second.renter")
    rent = _open_product(other, title, month)
    for n in range(3):
        booked = rent.locator(f'td[data-day="{(start + timedelta(days=n)).isoformat()}"]').first
        expect(booked).to_have_class(re.compile(r"\bbooked\b"))
        expect(booked).to_contain_text("booked")
    expect(rent.locator(f'td[data-day="{end.isoformat()}"]').first).to_have_class(
        re.compile(r"\bfree\b")
    )  # half-open: the return day is free for the next renter
    _book(rent, start, end)
    other.wait_for_load_state("load")
    axe_check(other)
    refusal = other.get_by_text(re.compile(r"^The booking was not made: "))
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("is already booked on")
    expect(refusal).to_contain_text(start.isoformat())
    assert "/account/rentals/" not in other.url  # back on the product page, not booked
    shot(other, "rental-refused")
    visit(other, "/account/rentals/")
    expect(other.locator("tr[id^='rbk_']")).to_have_count(0)
