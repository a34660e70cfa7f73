"""Rental pages: the product page's "Rent" section with a server-rendered month calendar and
booking form; booking and "My rentals" (cancel, dispute); the seller center's rentals page
(hand over, return, inspect). Pages post real forms; nothing is mocked."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.accounts.services import actor_for_user
from agora.circular.models import DamageClaim, RentalBooking
from agora.circular.rental.services import rental_book
from agora.core import clock
from tests.circular.rental.conftest import make_renter
from tests.conftest import make_product, make_seller
from tests.sellercenter.helpers import staff_client, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def renter_client(renter) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(renter)
    return client


def product_url(offer) -> str:  # type: ignore[no-untyped-def]
    return f"/p/{offer.product.public_id}/"


def book(client: Client, unit, start: str, end: str, card: str = "4242424242424242"):  # type: ignore[no-untyped-def]
    return client.post(
        "/rent/book/",
        {
            "unit": unit.public_id,
            "start_date": start,
            "end_date": end,
            "card": card,
            "next": "/p/x/",
        },
    )


def test_product_page_shows_rent_section_with_calendar_and_form(client, offer, unit, renter_client):
    assert book(renter_client, unit, "2026-03-10", "2026-03-12").status_code == 302
    page = client.get(product_url(offer) + "?rent_month=2026-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="rent"' in html and "Availability of Drill #1" in html
    booked = re.findall(r'class="booked" data-day="([0-9-]+)"', html)
    assert booked == ["2026-03-10", "2026-03-11"]
    assert 'data-day="2026-03-12"' in html  # the return day is free again
    assert "Sign in to rent" in html  # anonymous: no form
    signed_in = renter_client.get(product_url(offer) + "?rent_month=2026-03").content.decode()
    assert 'action="/rent/book/"' in signed_in and 'name="start_date"' in signed_in
    april = client.get(product_url(offer) + "?rent_month=2026-04").content.decode()
    assert "booked" not in re.sub(r"<span[^>]*>.*?</span>", "", april.split('id="rent"')[1])


def test_product_without_offer_has_no_rent_section(client, seller):  # type: ignore[no-untyped-def]

    product = make_product(seller, "Plain mug", publish=True)
    assert 'id="rent"' not in client.get(f"/p/{product.public_id}/").content.decode()


def test_booking_from_the_page_and_my_rentals(renter_client, unit):
    response = book(renter_client, unit, "2026-03-10", "2026-03-12")
    assert response.status_code == 302 and response["Location"] == "/account/rentals/"
    mine = renter_client.get("/account/rentals/")
    assert "Drill #1" in text(mine) and "Reserved" in text(mine)
    # overlapping: back to the product page with a message naming the unit and the day
    other = Client()
    other.force_login(make_renter("other@example.org"))
    refused = book(other, unit, "2026-03-11", "2026-03-13")
    assert refused["Location"] == "/p/x/#rent"
    shown = text(other.get("/account/rentals/"))
    assert "The booking was not made" in shown and "2026-03-11" in shown and "Drill #1" in shown
    booking = RentalBooking.objects.get(status="reserved")
    renter_client.post(f"/account/rentals/{booking.public_id}/cancel/")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert other.post(f"/account/rentals/{booking.public_id}/cancel/").status_code == 404


def test_seller_center_hands_over_returns_and_inspects(offer, unit, renter_client):
    book(renter_client, unit, "2026-03-03", "2026-03-05")
    booking = RentalBooking.objects.get()
    desk = staff_client(offer.seller)
    listing = desk.get("/seller/rentals/")
    assert booking.public_id in text(listing) and "Hand over" in text(listing)
    desk.post(f"/seller/rentals/{booking.public_id}/hand-over/")
    clock.advance(timedelta(days=4))  # 6 March: one day late
    desk.post(f"/seller/rentals/{booking.public_id}/return/")
    booking.refresh_from_db()
    assert (booking.status, booking.late_days) == ("returned", 1)
    bad = desk.post(f"/seller/rentals/{booking.public_id}/inspect/", {"damage": "abc"})
    assert "not a number" in text(desk.get(bad["Location"]))
    desk.post(
        f"/seller/rentals/{booking.public_id}/inspect/",
        {"damage": "20.00", "description": "Scratched case", "photos": "https://x.example/1.jpg"},
    )
    claim = DamageClaim.objects.get(booking=booking)
    assert claim.amount_minor == 2000 and claim.photos == ["https://x.example/1.jpg"]
    mine = text(renter_client.get("/account/rentals/"))
    assert "Scratched case" in mine and "Dispute the claim" in mine
    renter_client.post(f"/account/rentals/claims/{claim.public_id}/dispute/", {"reason": "No"})
    claim.refresh_from_db()
    assert claim.status == "disputed"
    # another seller's staff cannot touch it
    stranger = staff_client(make_seller("other"))
    assert stranger.post(f"/seller/rentals/{booking.public_id}/return/").status_code == 404


def test_rent_section_and_my_rentals_in_chinese(offer, unit, renter_client):
    page = Client(headers={"accept-language": "zh-hans"}).get(product_url(offer))
    html = page.content.decode()
    assert "租赁" in html and "押金" in html and "可租日期" in html
    renter_client.cookies["django_language"] = "zh-hans"
    assert "我的租赁" in renter_client.get("/account/rentals/").content.decode()


def test_my_rentals_reads_a_fixed_number_of_queries(renter_client, offer, unit, renter):

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert renter_client.get("/account/rentals/").status_code == 200
        return len(queries)

    rental_book(
        actor=actor_for_user(renter),
        unit=unit,
        renter=renter,
        start=date(2026, 3, 5),
        end=date(2026, 3, 6),
        payment_method="tok_visa",
    )
    one = count()
    for day in (7, 9, 11):
        rental_book(
            actor=actor_for_user(renter),
            unit=unit,
            renter=renter,
            start=date(2026, 3, day),
            end=date(2026, 3, day + 1),
            payment_method="tok_visa",
        )
    assert count() == one  # no query per booking
