"""The seller API of resale: list (cursor pages), get, offer own used goods, inspect, reject and
list for sale through the real services; bad input and other sellers' ids as problem documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from agora.circular.models import ResaleRequest
from agora.core import clock
from tests.circular.resale.factories import own_goods, with_location
from tests.conftest import assert_problem, key_client

pytestmark = pytest.mark.django_db

BASE = "/api/v1/seller/resale/requests"
INSPECTED_AT = datetime(2026, 1, 20, 10, tzinfo=UTC)  # 6 full months after 2025-07-01
INSPECTION = {
    "grade": "B",
    "checklist": {"function": {"result": "pass"}, "cosmetic": {"result": "fail", "note": "dent"}},
    "photos": ["https://img.example.org/unit-1.jpg"],
}
OFFER = {
    "title": "Demo espresso machine",
    "currency": "eur",
    "original_price_minor": 40_000,
    "purchased_on": "2025-07-01",
    "gtin": "4012345000016",
}


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def test_offer_inspect_and_list_for_sale(api: Client, seller) -> None:  # type: ignore[no-untyped-def]
    with_location(seller)
    r = post(api, BASE, OFFER)
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["status"] == "requested" and made["origin"] == "seller"
    assert made["price_paid"] == {"currency": "EUR", "amount_minor": 40000, "amount": "400.00"}
    assert made["gtin"] == "04012345000016" and made["grade"] == "" and made["price"] is None

    with_id = f"{BASE}/{made['id']}"
    with clock.frozen_at(INSPECTED_AT):
        r = post(api, f"{with_id}/inspect", INSPECTION)
    assert r.status_code == 200, r.content
    inspected = r.json()
    price = 40_000 * 9_100 * 8_500 // 100_000_000
    assert inspected["status"] == "inspected" and inspected["warranty_months"] == 6
    assert (
        inspected["suggested_price"]["amount_minor"] == inspected["price"]["amount_minor"] == price
    )
    assert inspected["checklist"]["cosmetic"] == {"result": "fail", "note": "dent"}

    r = post(api, f"{with_id}/list")
    assert r.status_code == 200, r.content
    listed = r.json()
    assert listed["status"] == "listed" and listed["product"] and listed["variant"]
    assert api.get(with_id).json()["product"] == listed["product"]


def test_list_is_cursor_paginated_and_filtered_by_status(api: Client, seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    mine = [own_goods(seller, f"Item {i}") for i in range(3)]
    own_goods(other_seller, "Not mine")
    first = api.get(f"{BASE}?limit=2").json()
    assert [i["id"] for i in first["items"]] == [mine[2].public_id, mine[1].public_id]
    second = api.get(f"{BASE}?limit=2&cursor={first['next_cursor']}").json()
    assert [i["id"] for i in second["items"]] == [mine[0].public_id]
    assert second["next_cursor"] is None
    post(api, f"{BASE}/{mine[0].public_id}/reject", {"reason": "motor dead"})
    rejected = api.get(f"{BASE}?status=rejected").json()["items"]
    assert [i["id"] for i in rejected] == [mine[0].public_id]
    assert_problem(api.get(f"{BASE}?status=lost"), 422)
    assert_problem(api.get(f"{BASE}?cursor=nonsense"), 422, field="cursor")


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({**INSPECTION, "grade": "D"}, "grade", "'D' is not a grade; use one of A, B, C"),
        ({**INSPECTION, "photos": ["http://img.example.org/x.jpg"]}, "photos[0]", "https"),
        ({**INSPECTION, "price_minor": 40_001}, "price_minor", "above the original price 40000"),
        ({**INSPECTION, "checklist": {}}, "checklist", "at least one checked item"),
    ],
)
def test_bad_inspection_is_a_problem_and_changes_nothing(
    api: Client,
    seller,
    body: dict[str, Any],
    field: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    item = own_goods(seller)
    problem = assert_problem(post(api, f"{BASE}/{item.public_id}/inspect", body), 422, field=field)
    assert message in problem["detail"]
    item.refresh_from_db()
    assert item.status == "requested" and item.grade == ""


def test_bad_offers_and_wrong_steps_are_problems(api: Client, seller) -> None:  # type: ignore[no-untyped-def]
    assert_problem(post(api, BASE, {**OFFER, "original_price_minor": 0}), 422)
    assert_problem(post(api, BASE, {**OFFER, "currency": "XX"}), 422, field="currency")
    assert_problem(post(api, BASE, {**OFFER, "colour": "red"}), 422)  # unknown field
    assert not ResaleRequest.objects.exists()
    item = own_goods(seller)
    problem = assert_problem(post(api, f"{BASE}/{item.public_id}/list"), 409, "resale-wrong-state")
    assert "is requested; this step needs inspected" in problem["detail"]
    problem = assert_problem(post(api, f"{BASE}/{item.public_id}/reject", {"reason": " "}), 422)
    assert "say why" in problem["detail"]


def test_another_sellers_request_is_not_found_and_scopes_are_checked(
    api: Client,
    other_api: Client,
    seller,  # type: ignore[no-untyped-def]
) -> None:
    item = own_goods(seller)
    for response in (
        other_api.get(f"{BASE}/{item.public_id}"),
        post(other_api, f"{BASE}/{item.public_id}/inspect", INSPECTION),
        post(other_api, f"{BASE}/{item.public_id}/reject", {"reason": "mine now"}),
    ):
        assert item.public_id in assert_problem(response, 404, "not-found")["detail"]
    reader = key_client(seller, ["catalog:read"])
    assert reader.get(f"{BASE}/{item.public_id}").status_code == 200
    assert_problem(post(reader, f"{BASE}/{item.public_id}/inspect", INSPECTION), 403)
    item.refresh_from_db()
    assert item.status == "requested"


@pytest.mark.parametrize("price", [10**13 + 1, 30188005932905883105425933467648])
def test_an_absurd_original_price_is_a_problem_not_a_crash(api: Client, price: int) -> None:
    """Found by the API fuzzer: an original price past any database integer was a 500."""
    response = post(api, BASE, {**OFFER, "original_price_minor": price})
    assert_problem(response, 422, field="original_price_minor")
    assert not ResaleRequest.objects.exists()


def test_the_service_bounds_the_original_price_too(seller) -> None:  # type: ignore[no-untyped-def]
    from agora.circular.resale.services import MAX_PRICE_MINOR, resale_request_by_seller
    from agora.core.errors import AgoraError
    from tests.conftest import SYSTEM

    with pytest.raises(AgoraError) as refused:
        resale_request_by_seller(
            actor=SYSTEM,
            seller=seller,
            title="Lamp",
            currency="EUR",
            original_price_minor=MAX_PRICE_MINOR + 1,
        )
    assert refused.value.errors[0].field == "original_price_minor"
