"""GET /api/v1/search and /api/v1/search/suggest: public, and bad input as RFC 9457."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import assert_problem
from tests.search.conftest import Catalog


def test_search_answers_documents_facets_and_correction(catalog: Catalog) -> None:
    response = Client().get("/api/v1/search", {"q": "teapto", "lang": "en"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 1
    assert body["corrected_query"] == "teapot"
    item = body["items"][0]
    assert item["id"] == catalog.p["teapot"].public_id
    assert item["variants"][0]["prices"][0]["amount_minor"] == 4500
    assert {"category", "seller", "price", "in_stock"} <= set(body["facets"])
    assert body["facets"]["seller"] == [
        {"value": catalog.alpha.public_id, "label": "Alpha", "count": 1}
    ]


def test_search_filters_from_query_parameters(catalog: Catalog) -> None:
    response = Client().get(
        "/api/v1/search",
        {
            "q": "",
            "lang": "zh-hans",
            "category": catalog.tableware.public_id,
            "in_stock": "true",
            "sort": "price_asc",
            "max_price_minor": "3000",
        },
    )
    assert response.status_code == 200, response.content
    assert [i["id"] for i in response.json()["items"]] == [
        catalog.p["espresso"].public_id,
        catalog.p["lantern"].public_id,
    ]


def test_suggest(catalog: Catalog) -> None:
    response = Client().get("/api/v1/search/suggest", {"q": "龙井", "lang": "zh-hans"})
    assert response.status_code == 200, response.content
    assert response.json() == [
        {"text": "珍藏西湖龙井绿茶", "product_id": catalog.p["longjing"].public_id}
    ]


@pytest.mark.parametrize(
    ("params", "slug", "field"),
    [
        ({"q": "x" * 201}, "search-query-too-long", "q"),
        ({"q": "tea", "sort": "random"}, "search-invalid-sort", "sort"),
        (
            {"min_price_minor": "900", "max_price_minor": "100"},
            "search-invalid-price-range",
            "min_price_minor",
        ),
        ({"lang": "klingon"}, "search-invalid-language", "lang"),
        ({"limit": "500"}, "search-invalid-page", "limit"),
        ({"currency": "XX"}, "search-invalid-currency", "currency"),
    ],
)
def test_bad_input_is_a_problem_document(db, params: dict, slug: str, field: str) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/api/v1/search", params)
    body = assert_problem(response, 422, slug, field)
    assert field in body["detail"]


def test_wrong_types_are_validation_problems(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/api/v1/search", {"limit": "many"})
    assert_problem(response, 422, "validation-error", "limit")
    response = Client().get("/api/v1/search", {"in_stock": "perhaps"})
    assert_problem(response, 422, "validation-error", "in_stock")


def test_suggest_bad_input(db) -> None:  # type: ignore[no-untyped-def]
    assert_problem(
        Client().get("/api/v1/search/suggest", {"q": "y" * 300}), 422, "search-query-too-long", "q"
    )
    assert_problem(
        Client().get("/api/v1/search/suggest", {"q": "tea", "limit": "0"}),
        422,
        "search-invalid-page",
        "limit",
    )
