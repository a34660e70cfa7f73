"""The passport API: the public JSON passport and a seller's writes."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.traceability.models import AuthenticityCertificate, Lot, TracedItem
from tests.conftest import assert_problem, key_client, make_seller, post_json, put_json
from tests.traceability.passports.conftest import GTIN13, GTIN14, World

pytestmark = pytest.mark.django_db


def test_anyone_reads_an_items_passport_as_json(client: Client, world: World) -> None:
    response = client.get(f"/api/v1/passports/{GTIN13}", {"serial": "SN0002"})
    assert response.status_code == 200
    body = response.json()
    assert body["gtin"] == GTIN14
    assert body["digital_link"] == f"http://testserver/01/{GTIN14}/21/SN0002"
    assert body["passport"]["origin"]["country"] == "CN"
    assert body["passport"]["carbon_footprint"] == {
        "kg_co2e": "2.40",
        "method": "ISO 14067 estimate",
    }
    assert body["lot"]["code"] == "L2026-01"
    assert body["item"] == {"serial": "SN0002", "status": "in_stock"}
    assert body["certificate"] is None


def test_unknown_or_malformed_passports_are_problems(client: Client, world: World) -> None:
    assert_problem(client.get(f"/api/v1/passports/{GTIN14}?serial=NOPE"), 404, "not-found")
    assert_problem(client.get("/api/v1/passports/04260712000018"), 422, "validation-error", "gtin")


def test_a_seller_writes_its_passport_field_by_field(world: World) -> None:
    api = key_client(world.seller)
    url = f"/api/v1/seller/products/{world.product.public_id}/passport"
    response = put_json(api, url, {"carbon_kg_co2e": "3.1", "spare_parts_years": 5})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["carbon_footprint"]["kg_co2e"] == "3.10"
    assert body["repair"]["spare_parts_years"] == 5
    assert body["origin"]["region"] == "Jiangxi"  # untouched
    bad = put_json(api, url, {"materials": [{"name": "a", "share_percent": 70},
                                            {"name": "b", "share_percent": 40}]})  # fmt: skip
    assert_problem(bad, 422, "passport-invalid", "materials")
    assert_problem(put_json(api, url, {"colour": "red"}), 422, "validation-error")


def test_another_seller_cannot_touch_the_passport(world: World) -> None:
    other = key_client(make_seller("other-shop"))
    url = f"/api/v1/seller/products/{world.product.public_id}/passport"
    assert_problem(put_json(other, url, {"manufacturer": "me"}), 404, "not-found")

    body = {"gtin": GTIN13, "serial": "SN0001", "holder": world.buyer.public_id}
    refused = post_json(other, "/api/v1/seller/certificates", body)
    assert_problem(refused, 404, "not-found")  # another seller's item is not found, not certified
    assert not AuthenticityCertificate.objects.filter(item__serial="SN0001").exists()


def test_a_seller_records_a_lot_serialises_items_and_issues_a_certificate(
    world: World,
) -> None:
    api = key_client(world.seller)
    base = f"/api/v1/seller/variants/{world.variant.public_id}"
    lot = post_json(api, f"{base}/lots", {"code": "L2", "produced_on": "2026-02-01", "quantity": 9})
    assert lot.status_code == 201, lot.content
    items = post_json(api, f"{base}/items", {"serials": ["SN0100", "SN0101"], "lot": "L2"})
    assert items.status_code == 201, items.content
    assert items.json()["items"][0]["digital_link"].endswith(f"/01/{GTIN14}/21/SN0100")
    assert TracedItem.objects.get(serial="SN0101").lot == Lot.objects.get(code="L2")
    again = post_json(api, f"{base}/items", {"serials": ["SN0101"]})
    assert_problem(again, 409, "trace-serial-duplicate")
    cert = post_json(
        api,
        "/api/v1/seller/certificates",
        {"gtin": GTIN13, "serial": "SN0100", "holder": world.buyer.public_id},
    )
    assert cert.status_code == 201, cert.content
    assert AuthenticityCertificate.objects.get(public_id=cert.json()["id"]).holder == world.buyer
    nobody = post_json(
        api, "/api/v1/seller/certificates", {"gtin": GTIN13, "serial": "SN0101", "holder": "usr_x"}
    )
    assert_problem(nobody, 422, "validation-error", "holder")


def test_the_write_endpoints_need_a_sellers_key(client: Client, world: World) -> None:
    url = f"/api/v1/seller/products/{world.product.public_id}/passport"
    assert_problem(put_json(client, url, {"manufacturer": "x"}), 401, "unauthenticated")
