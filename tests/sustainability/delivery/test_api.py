"""The delivery-modes API: the public factor table, and a seller setting a method's legs
(scopes, tenancy, and refusals that name the leg at fault)."""

from __future__ import annotations

import pytest

from agora.sustainability.models import DeliveryMethodProfile
from tests.checkout.helpers import eu_shipping
from tests.conftest import assert_problem, key_client, put_json

pytestmark = pytest.mark.django_db


def test_the_factor_table_is_public_with_a_source_per_mode(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/delivery-modes")
    assert r.status_code == 200
    modes = {row["mode"]: row for row in r.json()}
    assert {"van_diesel", "rail_freight", "articulated_truck"} <= set(modes)
    for row in modes.values():
        assert row["scope"] == "WTW" and "2025" in row["source"], row
        assert float(row["kg_co2e_per_tonne_km"]) > 0


def test_a_seller_reads_the_inferred_legs_and_sets_its_own(seller) -> None:  # type: ignore[no-untyped-def]
    method_id = eu_shipping(seller)
    api = key_client(seller)
    r = api.get(f"/api/v1/seller/shipping/methods/{method_id}/legs")
    assert r.status_code == 200, r.content
    assert r.json()["inferred"] is True and r.json()["legs"][0]["mode"] == "van_diesel"
    body = {
        "legs": [{"mode": "rail_freight", "share": "0.9"}, {"mode": "van_diesel", "share": "0.1"}]
    }
    r = put_json(api, f"/api/v1/seller/shipping/methods/{method_id}/legs", body)
    assert r.status_code == 200, r.content
    assert r.json()["inferred"] is False
    assert [(leg["mode"], leg["share"]) for leg in r.json()["legs"]] == [
        ("rail_freight", "0.9"),
        ("van_diesel", "0.1"),
    ]
    stored = DeliveryMethodProfile.objects.get(method_public_id=method_id)
    assert stored.legs[0] == {"mode": "rail_freight", "share": "0.9"}


@pytest.mark.parametrize(
    ("legs", "field", "words"),
    [
        ([{"mode": "cargo_bike"}], "legs[0].mode", "is not one of"),
        ([{"mode": "rail_freight", "share": "0.5"}], "legs", "add up to 0.5"),
        ([{"mode": "sea_container"}], "legs[0].distance_km", "needs its distance"),
    ],
)
def test_bad_legs_are_refused_by_name_and_nothing_is_stored(seller, legs, field, words) -> None:  # type: ignore[no-untyped-def]
    method_id = eu_shipping(seller)
    r = put_json(
        key_client(seller), f"/api/v1/seller/shipping/methods/{method_id}/legs", {"legs": legs}
    )
    body = assert_problem(r, 422, field=field)
    assert words in str(body)
    assert not DeliveryMethodProfile.objects.exists()


def test_another_sellers_method_is_not_found_and_reading_needs_the_scope(
    seller, other_seller
) -> None:  # type: ignore[no-untyped-def]
    method_id = eu_shipping(seller)
    r = key_client(other_seller).get(f"/api/v1/seller/shipping/methods/{method_id}/legs")
    assert_problem(r, 404)
    r = key_client(seller, ["catalog:read"]).get(
        f"/api/v1/seller/shipping/methods/{method_id}/legs"
    )
    assert_problem(r, 403)
    body = {"legs": [{"mode": "van_diesel"}]}
    r = put_json(
        key_client(seller, ["orders:read"]),
        f"/api/v1/seller/shipping/methods/{method_id}/legs",
        body,
    )
    assert_problem(r, 403)
