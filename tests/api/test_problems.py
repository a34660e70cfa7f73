"""Problem types: every `type` the API can return is registered and has a page under /problems/."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.core.errors import registered_problem_types
from agora.marketplace.models import Seller
from tests.conftest import assert_problem, key_client, make_product, post_json


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(registered_problem_types()))
def test_every_registered_type_has_a_page(slug: str) -> None:
    ptype = registered_problem_types()[slug]
    assert ptype.uri == f"/problems/{slug}"
    assert 400 <= ptype.status < 600
    assert ptype.title and ptype.description
    response = Client().get(ptype.uri)
    assert response.status_code == 200
    text = response.content.decode()
    assert ptype.title.replace("'", "&#x27;") in text and str(ptype.status) in text


@pytest.mark.django_db
def test_index_lists_every_type() -> None:
    response = Client().get("/problems/")
    assert response.status_code == 200
    text = response.content.decode()
    for slug in registered_problem_types():
        assert slug in text


@pytest.mark.django_db
def test_unknown_problem_page_is_404() -> None:
    assert Client().get("/problems/no-such-problem").status_code == 404


@pytest.mark.django_db
def test_types_returned_by_a_sweep_of_failures_are_registered(seller: Seller, api: Client) -> None:
    """One request per kind of failure; each answer's `type` resolves to a page."""
    product = make_product(seller, "Bare", prices={})
    reader = key_client(seller, ["catalog:read"])
    responses = [
        Client().get("/api/v1/me"),  # no key
        Client(HTTP_AUTHORIZATION="Bearer junk").get("/api/v1/me"),  # malformed key
        post_json(reader, "/api/v1/seller/products", {"title": "x", "variants": [{"sku": "x"}]}),
        post_json(api, "/api/v1/seller/products", {"title": 5}),
        api.post("/api/v1/seller/products", b"{", content_type="application/json"),
        api.get("/api/v1/seller/products/prod_01jd3k6n2w9y8x7v5t4s3r2q1p"),
        post_json(api, f"/api/v1/seller/products/{product.public_id}/publish", None),
        post_json(
            api, "/api/v1/seller/products", {"title": "x", "variants": [{"sku": "Bare-sku"}]}
        ),
        post_json(
            api, "/api/v1/seller/products", {"title": "x", "variants": [{"sku": "g", "gtin": "1"}]}
        ),
        post_json(
            api,
            "/api/v1/seller/products",
            {
                "title": "x",
                "variants": [{"sku": "c", "prices": [{"currency": "ABC", "amount_minor": 1}]}],
            },
        ),
    ]
    seen = set()
    for response in responses:
        body = assert_problem(response, response.status_code)
        seen.add(body["type"])
        assert Client().get(body["type"]).status_code == 200
    assert len(seen) >= 9
