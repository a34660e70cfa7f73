"""The rental API's lists are cursor pages like every other list of the API: ``items`` and
``next_cursor``, which passed back as ``cursor`` gives the next page; every row comes exactly
once, the last page has no cursor, a cursor the API did not make is a 422 naming it, and a
seller's pages hold only its own rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from agora.circular.rental.services import rental_book, rental_offer_create
from tests.circular.rental.conftest import CARD, SYSTEM, make_renter
from tests.conftest import assert_problem, key_client, make_product, make_seller

pytestmark = pytest.mark.django_db


def _walk(client: Client, url: str, **params: str) -> list[list[str]]:
    """The ids of each page, following ``next_cursor`` to the end."""
    pages, cursor = [], None
    for _ in range(20):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        pages.append([row["id"] for row in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError("the cursor never ended")


@pytest.fixture
def booked(unit, renter, renter_actor):  # type: ignore[no-untyped-def]
    """Five bookings of the renter on one unit, one after the other."""
    ids = []
    for n in range(5):
        start = date(2026, 3, 5) + timedelta(days=3 * n)
        booking = rental_book(
            actor=renter_actor,
            unit=unit,
            renter=renter,
            start=start,
            end=start + timedelta(days=2),
            payment_method=CARD,
        )
        ids.append(booking.public_id)
    return ids


def test_my_bookings_come_in_cursor_pages(renter, booked):
    client = Client()
    client.force_login(renter)
    pages = _walk(client, "/api/v1/rentals/bookings", limit="2")
    assert [len(p) for p in pages] == [2, 2, 1]
    flat = [i for p in pages for i in p]
    assert sorted(flat) == sorted(booked) and len(set(flat)) == 5
    assert flat == sorted(flat, reverse=True)  # newest first
    one_page = client.get("/api/v1/rentals/bookings").json()
    assert len(one_page["items"]) == 5 and one_page["next_cursor"] is None
    assert_problem(
        client.get("/api/v1/rentals/bookings?cursor=nope"), 422, "validation-error", "cursor"
    )
    assert_problem(
        client.get("/api/v1/rentals/bookings?limit=101"), 422, "validation-error", "limit"
    )


def test_a_sellers_bookings_and_offers_come_in_cursor_pages(offer, booked):
    api = key_client(offer.seller)
    pages = _walk(api, "/api/v1/seller/rentals/bookings", limit="3")
    assert [len(p) for p in pages] == [3, 2]
    assert sorted(i for p in pages for i in p) == sorted(booked)
    assert _walk(api, "/api/v1/seller/rentals/bookings", status="reserved", limit="4") == [
        sorted(booked, reverse=True)[:4],
        sorted(booked, reverse=True)[4:],
    ]
    assert _walk(api, "/api/v1/seller/rentals/bookings", status="closed") == [[]]
    assert_problem(
        api.get("/api/v1/seller/rentals/bookings?status=lost"), 422, "validation-error", "status"
    )
    more = [
        rental_offer_create(
            actor=SYSTEM,
            seller=offer.seller,
            product=make_product(offer.seller, f"Ladder {n}", sku=f"LADDER-{n}"),
            currency="EUR",
            price_per_day_minor=900,
        )
        for n in range(2)
    ]
    pages = _walk(api, "/api/v1/seller/rentals/offers", limit="2")
    assert [len(p) for p in pages] == [2, 1]
    assert sorted(i for p in pages for i in p) == sorted(
        [offer.public_id, *(o.public_id for o in more)]
    )
    assert_problem(
        api.get("/api/v1/seller/rentals/offers?cursor=Zm9v"), 422, "validation-error", "cursor"
    )


def test_another_sellers_pages_are_empty(offer, booked):
    stranger = key_client(make_seller("stranger"))
    assert _walk(stranger, "/api/v1/seller/rentals/bookings") == [[]]
    assert _walk(stranger, "/api/v1/seller/rentals/offers") == [[]]


def test_someone_elses_bookings_are_not_in_my_pages(booked):
    other = Client()
    other.force_login(make_renter("other@example.org"))
    assert _walk(other, "/api/v1/rentals/bookings") == [[]]
