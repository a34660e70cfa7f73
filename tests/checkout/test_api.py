"""The cart and shipping API through the test client: sessions, CSRF, login merge, tenancy."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from agora.accounts.models import User
from agora.checkout.models import Cart
from tests.checkout.helpers import eu_shipping, sellable
from tests.conftest import assert_problem, patch_json, post_json, put_json

pytestmark = pytest.mark.django_db
PASSWORD = "a long password 1"


def test_guest_cart_flow_and_merge_on_real_login(seller) -> None:  # type: ignore[no-untyped-def]
    eu_shipping(seller)
    cup = sellable(seller, "Cup", weight=100)
    buyer = User.objects.create_user("b@example.com", PASSWORD)
    # the buyer already has a cart from another device with one cup
    laptop = Client()
    laptop.force_login(buyer)
    assert (
        post_json(
            laptop, "/api/v1/cart/lines", {"variant_id": cup.public_id, "quantity": 1}
        ).status_code
        == 201
    )

    phone = Client()
    summary = phone.get("/api/v1/cart").json()
    assert summary["line_count"] == 0
    response = post_json(phone, "/api/v1/cart/lines", {"variant_id": cup.public_id, "quantity": 2})
    assert response.status_code == 201, response.content
    response = patch_json(phone, f"/api/v1/cart/lines/{cup.public_id}", {"quantity": 3})
    assert response.json()["sellers"][0]["lines"][0]["quantity"] == 3
    response = put_json(phone, "/api/v1/cart/destination", {"country": "DE", "postcode": "10115"})
    assert response.json()["sellers"][0]["shipping"]["options"][0]["price"]["amount_minor"] == 490

    response = phone.post("/accounts/login/", {"username": "b@example.com", "password": PASSWORD})
    assert response.status_code == 302
    after = phone.get("/api/v1/cart").json()
    assert after["sellers"][0]["lines"][0]["quantity"] == 4  # 1 + 3 merged
    assert laptop.get("/api/v1/cart").json()["id"] == after["id"]
    assert Cart.objects.filter(status="open").count() == 1


def test_validation_errors_name_the_field(seller) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    cup = sellable(seller, "Cup")
    for quantity in (0, 10**9, -3):
        response = post_json(
            client, "/api/v1/cart/lines", {"variant_id": cup.public_id, "quantity": quantity}
        )
        assert_problem(response, 422, "validation-error", "quantity")
    assert_problem(
        post_json(client, "/api/v1/cart/lines", {"variant_id": "var_nope", "quantity": 1}), 404
    )
    assert_problem(
        put_json(client, "/api/v1/cart/destination", {"country": "DE", "vat_id": "DE1"}),
        422,
        field="vat_id",
    )
    assert_problem(patch_json(client, f"/api/v1/cart/lines/{cup.public_id}", {"quantity": 2}), 404)


def test_unsafe_cart_requests_need_the_csrf_token(seller) -> None:  # type: ignore[no-untyped-def]
    cup = sellable(seller, "Cup")
    client = Client(enforce_csrf_checks=True)
    body = json.dumps({"variant_id": cup.public_id, "quantity": 1})
    refused = client.post("/api/v1/cart/lines", body, content_type="application/json")
    assert_problem(refused, 403, "csrf-failed")
    client.get("/api/v1/cart")
    token = client.cookies["csrftoken"].value
    ok = client.post(
        "/api/v1/cart/lines", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert ok.status_code == 201, ok.content
    assert (
        client.delete(
            f"/api/v1/cart/lines/{cup.public_id}", headers={"X-CSRFToken": token}
        ).status_code
        == 200
    )


def test_seller_shipping_endpoints(seller, api, other_api) -> None:  # type: ignore[no-untyped-def]
    zone = post_json(
        api, "/api/v1/seller/shipping/zones", {"name": "EU", "countries": ["de", "AT"]}
    )
    assert zone.status_code == 201, zone.content
    zone_id = zone.json()["id"]
    assert zone.json()["countries"] == ["AT", "DE"]
    method = post_json(
        api,
        f"/api/v1/seller/shipping/zones/{zone_id}/methods",
        {"name": "Std", "carrier_code": "DHL", "min_delivery_days": 1, "max_delivery_days": 3},
    )
    assert method.status_code == 201, method.content
    method_id = method.json()["id"]
    rate = post_json(
        api,
        f"/api/v1/seller/shipping/methods/{method_id}/rates",
        {"weight_from_grams": 0, "weight_to_grams": 1000, "currency": "EUR", "amount_minor": 500},
    )
    assert rate.status_code == 201, rate.content
    listed = api.get("/api/v1/seller/shipping/zones").json()
    assert listed[0]["methods"][0]["rates"][0]["price"]["amount_minor"] == 500
    assert other_api.get("/api/v1/seller/shipping/zones").json() == []
    assert_problem(
        post_json(
            other_api,
            f"/api/v1/seller/shipping/zones/{zone_id}/methods",
            {"name": "x", "carrier_code": "x", "min_delivery_days": 1, "max_delivery_days": 1},
        ),
        404,
    )
    assert_problem(
        post_json(api, "/api/v1/seller/shipping/zones", {"name": "x", "countries": ["ZZ"]}),
        422,
        field="countries[0]",
    )
