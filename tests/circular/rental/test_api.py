"""The rental API: public offer, quote and calendar; a renter books, lists, cancels and
disputes over the session; a seller creates offers and units and runs hand-over, return and
inspection with its key; another seller's booking is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from agora.core import clock
from tests.circular.rental.conftest import make_renter
from tests.conftest import assert_problem, key_client, make_product, make_seller, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller_api(offer) -> Client:  # type: ignore[no-untyped-def]
    return key_client(offer.seller)


@pytest.fixture
def renter_client(renter) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(renter)
    return client


def book(client: Client, unit_id: str, start: str, end: str):  # type: ignore[no-untyped-def]
    return post_json(
        client,
        "/api/v1/rentals/bookings",
        {"unit": unit_id, "start_date": start, "end_date": end, "card": "4242424242424242"},
    )


def test_public_offer_quote_and_calendar(client, offer, unit, renter_client):
    body = client.get(f"/api/v1/rentals/offers/{offer.public_id}").json()
    assert body["price_per_day"]["amount"] == "15.00"
    assert body["deposit"]["amount_minor"] == 10000
    assert [u["id"] for u in body["units"]] == [unit.public_id]
    quote = client.get(
        f"/api/v1/rentals/offers/{offer.public_id}/quote",
        {"start_date": "2026-03-05", "end_date": "2026-04-07"},
    ).json()
    assert (quote["months"], quote["days"], quote["rent"]["amount_minor"]) == (1, 2, 23000)
    assert quote["total"]["amount_minor"] == 33000
    assert book(renter_client, unit.public_id, "2026-03-30", "2026-04-02").status_code == 201
    march = client.get(f"/api/v1/rentals/units/{unit.public_id}/calendar?month=2026-03").json()
    assert march["booked_days"] == ["2026-03-30", "2026-03-31"]
    april = client.get(f"/api/v1/rentals/units/{unit.public_id}/calendar?month=2026-04").json()
    assert april["booked_days"] == ["2026-04-01"]
    assert_problem(
        client.get(f"/api/v1/rentals/units/{unit.public_id}/calendar?month=2026-13"),
        422,
        "validation-error",
        "month",
    )


def test_renter_books_and_overlap_is_a_clear_409(unit, renter_client):
    response = book(renter_client, unit.public_id, "2026-03-05", "2026-03-08")
    assert response.status_code == 201, response.content
    booking = response.json()
    assert booking["status"] == "reserved" and booking["deposit_state"] == "held"
    other = Client()
    other.force_login(make_renter("other@example.org"))
    body = assert_problem(
        book(other, unit.public_id, "2026-03-07", "2026-03-09"), 409, "rental-dates-unavailable"
    )
    assert body["clashing_days"] == ["2026-03-07"] and unit.public_id in body["detail"]
    assert book(other, unit.public_id, "2026-03-08", "2026-03-09").status_code == 201
    mine = renter_client.get("/api/v1/rentals/bookings").json()
    assert [b["id"] for b in mine["items"]] == [booking["id"]] and mine["next_cursor"] is None
    assert_problem(other.get(f"/api/v1/rentals/bookings/{booking['id']}"), 404, "not-found")
    cancelled = post_json(renter_client, f"/api/v1/rentals/bookings/{booking['id']}/cancel", {})
    assert cancelled.json()["deposit_state"] == "refunded"


def test_guests_cannot_book(client, unit):
    assert_problem(book(client, unit.public_id, "2026-03-05", "2026-03-08"), 401)


def test_seller_runs_offer_units_and_the_whole_rental(renter_client):
    with clock.frozen_at(clock.now()):
        seller = make_seller("lender")
        api = key_client(seller)
        product = make_product(seller, "Tent", publish=True)
        response = post_json(
            api,
            "/api/v1/seller/rentals/offers",
            {
                "product": product.public_id,
                "currency": "EUR",
                "price_per_day_minor": 1000,
                "deposit_minor": 5000,
                "late_fee_per_day_minor": 700,
            },
        )
        assert response.status_code == 201, response.content
        offer_id = response.json()["id"]
        assert_problem(
            post_json(
                api,
                "/api/v1/seller/rentals/offers",
                {"product": product.public_id, "currency": "EUR"},
            ),
            422,
            "validation-error",
            "price_per_day_minor",
        )
        unit = post_json(
            api,
            f"/api/v1/seller/rentals/offers/{offer_id}/units",
            {"label": "Tent A", "gtin": "4006381333931", "serial": "T-1"},
        )
        assert unit.status_code == 201, unit.content
        assert unit.json()["gtin"] == "04006381333931"
        start = clock.now().date() + timedelta(days=1)
        booking = book(
            renter_client,
            unit.json()["id"],
            start.isoformat(),
            (start + timedelta(days=2)).isoformat(),
        ).json()
        path = f"/api/v1/seller/rentals/bookings/{booking['id']}"
        assert post_json(api, f"{path}/hand-over", {}).json()["status"] == "active"
        clock.advance(timedelta(days=4))  # one day late
        returned = post_json(api, f"{path}/return", {}).json()
        assert (returned["late_days"], returned["late_fee"]["amount_minor"]) == (1, 700)
        inspected = post_json(
            api, f"{path}/inspect", {"damage_minor": 1000, "description": "Pole bent"}
        ).json()
        assert inspected["status"] == "inspected" and inspected["claim"]["status"] == "open"
        claim_id = inspected["claim"]["id"]
        disputed = post_json(
            renter_client, f"/api/v1/rentals/claims/{claim_id}/dispute", {"reason": "Was bent"}
        )
        assert disputed.json()["claim"]["status"] == "disputed"
        listed = api.get("/api/v1/seller/rentals/bookings?status=inspected").json()
        assert [b["id"] for b in listed["items"]] == [booking["id"]]
        # another seller sees nothing of it
        stranger = key_client(make_seller("stranger"))
        assert_problem(post_json(stranger, f"{path}/hand-over", {}), 404, "not-found")
        patched = api.patch(
            f"/api/v1/seller/rentals/offers/{offer_id}",
            '{"active": false}',
            content_type="application/json",
        )
        assert patched.json()["active"] is False
        assert_problem(api.get(f"/api/v1/rentals/offers/{offer_id}"), 404)
