"""Bad input through the API: an RFC 9457 problem naming the field, and nothing written."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from agora.api.models import IdempotencyRecord
from agora.catalog.models import Attribute, Product, ProductMedia, Variant
from agora.core.models import AuditEntry, OutboxEvent
from agora.marketplace.models import Seller
from agora.pricing.models import Price, PriceChange
from tests.conftest import assert_problem, make_product, patch_json, post_json, put_json

PATH = "/api/v1/seller/products"
GOOD: dict[str, Any] = {
    "title": "Linen shirt",
    "attributes": {"material": "linen"},
    "variants": [
        {
            "sku": "LS-M",
            "gtin": "4006381333931",
            "options": {"size": "M"},
            "prices": [{"currency": "EUR", "amount_minor": 4900}],
        }
    ],
}


def rows() -> dict[str, int]:
    models = (
        Product,
        Variant,
        Price,
        PriceChange,
        ProductMedia,
        AuditEntry,
        OutboxEvent,
        IdempotencyRecord,
    )
    return {m.__name__: m.objects.count() for m in models}


def changed(path: str, value: Any) -> dict[str, Any]:
    """GOOD with the value at a dotted path (``variants.0.prices.0.amount_minor``) replaced;
    ``...`` as the value removes the key."""
    body = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node: Any = body
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    key: Any = int(last) if last.isdigit() else last
    if value is ...:
        del node[key]
    elif isinstance(node, list) and key == len(node):
        node.append(value)
    else:
        node[key] = value
    return body


@pytest.fixture(autouse=True)
def material(db) -> None:  # type: ignore[no-untyped-def]
    Attribute.objects.create(code="material", name="Material", value_type=Attribute.ValueType.TEXT)


@pytest.mark.django_db
def test_the_good_body_is_accepted(seller: Seller, api: Client) -> None:
    response = post_json(api, PATH, GOOD)
    assert response.status_code == 201, response.content
    assert response.json()["variants"][0]["prices"] == [
        {"currency": "EUR", "amount_minor": 4900, "amount": "49.00"}
    ]


CREATE_CASES = [
    # (what, body, status, problem slug, field)
    ("title not a string", changed("title", 5), 422, "validation-error", "title"),
    ("title empty", changed("title", ""), 422, "validation-error", "title"),
    ("title blank", changed("title", "   "), 422, "validation-error", "title"),
    ("title missing", changed("title", ...), 422, "validation-error", "title"),
    (
        "amount as a string",
        changed("variants.0.prices.0.amount_minor", "12"),
        422,
        "validation-error",
        "variants[0].prices[0].amount_minor",
    ),
    (
        "amount as a float",
        changed("variants.0.prices.0.amount_minor", 12.5),
        422,
        "validation-error",
        "variants[0].prices[0].amount_minor",
    ),
    (
        "amount as a bool",
        changed("variants.0.prices.0.amount_minor", True),
        422,
        "validation-error",
        "variants[0].prices[0].amount_minor",
    ),
    (
        "negative price",
        changed("variants.0.prices.0.amount_minor", -1),
        422,
        "validation-error",
        "variants[0].prices[0].amount_minor",
    ),
    (
        "absurd price",
        changed("variants.0.prices.0.amount_minor", 10**15),
        422,
        "validation-error",
        "variants[0].prices[0].amount_minor",
    ),
    ("unknown top-level field", changed("colour", "red"), 422, "validation-error", "colour"),
    (
        "unknown variant field",
        changed("variants.0.colour", "red"),
        422,
        "validation-error",
        "variants[0].colour",
    ),
    (
        "unknown price field",
        changed("variants.0.prices.0.vat", 19),
        422,
        "validation-error",
        "variants[0].prices[0].vat",
    ),
    (
        "GTIN check digit",
        changed("variants.0.gtin", "4006381333932"),
        422,
        "gtin-invalid",
        "variants[0].gtin",
    ),
    (
        "GTIN letters",
        changed("variants.0.gtin", "40063813339AB"),
        422,
        "gtin-invalid",
        "variants[0].gtin",
    ),
    (
        "GTIN too long",
        changed("variants.0.gtin", "400638133393100"),
        422,
        "validation-error",
        "variants[0].gtin",
    ),
    (
        "currency that does not exist",
        changed("variants.0.prices.0.currency", "ABC"),
        422,
        "currency-unknown",
        "variants[0].prices[0].currency",
    ),
    (
        "currency of four letters",
        changed("variants.0.prices.0.currency", "EURO"),
        422,
        "validation-error",
        "variants[0].prices[0].currency",
    ),
    (
        "currency twice",
        changed("variants.0.prices.1", {"currency": "eur", "amount_minor": 1}),
        422,
        "validation-error",
        "variants[0].prices[1].currency",
    ),
    ("no variants", changed("variants", []), 422, "validation-error", "variants"),
    ("variants missing", changed("variants", ...), 422, "validation-error", "variants"),
    (
        "two variants one SKU",
        changed("variants.1", {"sku": "LS-M"}),
        422,
        "validation-error",
        "variants",
    ),
    ("SKU empty", changed("variants.0.sku", ""), 422, "validation-error", "variants[0].sku"),
    ("SKU blank", changed("variants.0.sku", "  "), 422, "validation-error", "variants[0].sku"),
    (
        "option not text",
        changed("variants.0.options", {"size": 5}),
        422,
        "validation-error",
        "variants[0].options.size",
    ),
    (
        "negative weight",
        changed("variants.0.weight_grams", -5),
        422,
        "validation-error",
        "variants[0].weight_grams",
    ),
    (
        "weight beyond the column",
        changed("variants.0.weight_grams", 10**20),
        422,
        "validation-error",
        "variants[0].weight_grams",
    ),
    (
        "unknown category",
        changed("category", "cat_01jd3k6n2w9y8x7v5t4s3r2q1p"),
        422,
        "validation-error",
        "category",
    ),
    ("unknown language", changed("language", "xx"), 422, "validation-error", "language"),
    (
        "translation in an unknown language",
        changed("translations", {"fr": {"title": "Chemise"}}),
        422,
        "validation-error",
        "translations.fr",
    ),
    (
        "translation of an unknown field",
        changed("translations", {"zh-hans": {"sku": "x"}}),
        422,
        "validation-error",
        "translations.zh-hans.sku",
    ),
    (
        "unknown attribute",
        changed("attributes.colour", "red"),
        422,
        "validation-error",
        "attributes.colour",
    ),
    (
        "attribute of the wrong type",
        changed("attributes.material", 5),
        422,
        "validation-error",
        "attributes.material",
    ),
    ("publish not a bool", changed("publish", "yes"), 422, "validation-error", "publish"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "body", "status", "slug", "field"), CREATE_CASES, ids=[c[0] for c in CREATE_CASES]
)
def test_bad_product_is_refused_naming_the_field(
    seller: Seller, api: Client, what: str, body: Any, status: int, slug: str, field: str
) -> None:
    before = rows()
    problem = assert_problem(post_json(api, PATH, body), status, slug, field)
    assert problem["detail"]
    assert problem["instance"] == PATH
    assert rows() == before, f"{what}: something was written"


@pytest.mark.django_db
def test_second_variant_failing_leaves_no_first_variant(seller: Seller, api: Client) -> None:
    body = changed(
        "variants.1", {"sku": "LS-L", "prices": [{"currency": "ABC", "amount_minor": 1}]}
    )
    before = rows()
    assert_problem(
        post_json(api, PATH, body), 422, "currency-unknown", "variants[1].prices[0].currency"
    )
    body = changed("variants.1", {"sku": "LS-L", "gtin": "4006381333932"})
    assert_problem(post_json(api, PATH, body), 422, "gtin-invalid", "variants[1].gtin")
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [b'{"title": "x",', b"not json", b'{"title": "x"} trailing', b"\xff\xfe"],
    ids=["cut", "text", "trailing", "bytes"],
)
def test_malformed_json_is_400(seller: Seller, api: Client, raw: bytes) -> None:
    before = rows()
    assert_problem(api.post(PATH, raw, content_type="application/json"), 400, "malformed-request")
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [b"[1, 2]", b'"text"', b"null", b"42"])
def test_json_that_is_not_an_object_is_refused(seller: Seller, api: Client, raw: bytes) -> None:
    before = rows()
    response = api.post(PATH, raw, content_type="application/json")
    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code)
    assert rows() == before


@pytest.mark.django_db
def test_unknown_ids_are_404(seller: Seller, api: Client) -> None:
    before = rows()
    missing_product = "prod_01jd3k6n2w9y8x7v5t4s3r2q1p"
    missing_variant = "var_01jd3k6n2w9y8x7v5t4s3r2q1p"
    for response in (
        api.get(f"{PATH}/{missing_product}"),
        patch_json(api, f"{PATH}/{missing_product}", {"title": "x"}),
        api.delete(f"{PATH}/{missing_product}"),
        post_json(api, f"{PATH}/{missing_product}/publish", None),
        post_json(api, f"{PATH}/{missing_product}/variants", {"sku": "X"}),
        patch_json(api, f"/api/v1/seller/variants/{missing_variant}", {"title": "x"}),
        put_json(api, f"/api/v1/seller/variants/{missing_variant}/prices/EUR", {"amount_minor": 1}),
        api.get(f"/api/v1/seller/variants/{missing_variant}/price-history"),
        api.get(f"{PATH}/not-an-id"),
        Client().get(f"/api/v1/products/{missing_product}"),
    ):
        body = assert_problem(response, 404, "not-found")
        assert "does not exist" in body["detail"]
    assert rows() == before


@pytest.mark.django_db
def test_unknown_api_path_is_a_problem_too(db) -> None:  # type: ignore[no-untyped-def]
    for response in (
        Client().get("/api/v1/no-such-thing"),
        Client().post("/api/v1/a/b", b"{}", "application/json"),
    ):
        body = assert_problem(response, 404, "not-found")
        assert "no API endpoint" in body["detail"]


@pytest.mark.django_db
def test_wrong_method_is_405(seller: Seller, api: Client) -> None:
    response = api.put(PATH, b"{}", content_type="application/json")
    body = assert_problem(response, 405, "method-not-allowed")
    assert "PUT" in body["detail"]
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert not Product.objects.exists()


# --- other write endpoints ---------------------------------------------------------------------


@pytest.fixture
def product(seller: Seller) -> Product:
    return make_product(seller, "Wool hat", sku="HAT-1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "slug", "field"),
    [
        ({"amount_minor": -5}, "validation-error", "amount_minor"),
        ({"amount_minor": "5"}, "validation-error", "amount_minor"),
        ({"amount_minor": 10**14}, "validation-error", "amount_minor"),
        ({}, "validation-error", "amount_minor"),
        ({"amount_minor": 5, "note": "x"}, "validation-error", "note"),
    ],
)
def test_bad_price_is_refused(
    product: Product, api: Client, body: Any, slug: str, field: str
) -> None:
    before = rows()
    url = f"/api/v1/seller/variants/{product.variants.get().public_id}/prices/EUR"
    assert_problem(put_json(api, url, body), 422, slug, field)
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("currency", ["ABC", "EURO", "E1"])
def test_price_in_a_currency_that_does_not_exist(
    product: Product, api: Client, currency: str
) -> None:
    before = rows()
    url = f"/api/v1/seller/variants/{product.variants.get().public_id}/prices/{currency}"
    assert_problem(put_json(api, url, {"amount_minor": 100}), 422, "currency-unknown", "currency")
    assert_problem(api.delete(url), 422, "currency-unknown", "currency")
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "slug", "field"),
    [
        ({"sku": "HAT-2", "gtin": "4006381333932"}, "gtin-invalid", "gtin"),
        ({"sku": " "}, "validation-error", "sku"),
        ({"sku": "HAT-1"}, "sku-taken", "sku"),
        (
            {"sku": "HAT-2", "prices": [{"currency": "ABC", "amount_minor": 1}]},
            "currency-unknown",
            "prices[0].currency",
        ),
        (
            {"sku": "HAT-2", "prices": [{"currency": "EUR", "amount_minor": -1}]},
            "validation-error",
            "prices[0].amount_minor",
        ),
        ({"sku": "HAT-2", "size": "M"}, "validation-error", "size"),
    ],
)
def test_bad_new_variant_is_refused(
    product: Product, api: Client, body: Any, slug: str, field: str
) -> None:
    before = rows()
    response = post_json(api, f"{PATH}/{product.public_id}/variants", body)
    assert_problem(response, 409 if slug == "sku-taken" else 422, slug, field)
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "slug", "field"),
    [
        ({"gtin": "4006381333932"}, "gtin-invalid", "gtin"),
        ({"sku": None}, "validation-error", "sku"),
        ({"sku": ""}, "validation-error", "sku"),
        ({"weight_grams": -1}, "validation-error", "weight_grams"),
        ({"price": 5}, "validation-error", "price"),
    ],
)
def test_bad_variant_change_is_refused(
    product: Product, api: Client, body: Any, slug: str, field: str
) -> None:
    before = rows()
    response = patch_json(api, f"/api/v1/seller/variants/{product.variants.get().public_id}", body)
    assert_problem(response, 422, slug, field)
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"title": 7}, "title"),
        ({"slug": "!!!"}, "slug"),
        ({"language": "xx"}, "language"),
        ({"category": "cat_01jd3k6n2w9y8x7v5t4s3r2q1p"}, "category"),
        ({"status": "published"}, "status"),
        ({"attributes": {"colour": "red"}}, "attributes.colour"),
    ],
)
def test_bad_product_change_is_refused(
    product: Product, api: Client, body: Any, field: str
) -> None:
    before = rows()
    assert_problem(
        patch_json(api, f"{PATH}/{product.public_id}", body), 422, "validation-error", field
    )
    assert rows() == before
    product.refresh_from_db()
    assert product.title == "Wool hat"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("min_price=-1&currency=EUR", "min_price"),
        ("currency=EURO", "currency"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=cHJvZF8x", "cursor"),
    ],
)
def test_bad_list_query_is_refused(db, query: str, field: str) -> None:  # type: ignore[no-untyped-def]
    assert_problem(Client().get(f"/api/v1/products?{query}"), 422, "validation-error", field)


# --- NUL characters: PostgreSQL cannot store them, so they must be refused at the edge ------------

NUL_BODIES = [
    (changed("title", "Linen\u0000shirt"), "title"),
    (changed("description", "\u0000"), "description"),
    (changed("variants.0.sku", "LS\u0000M"), "variants[0].sku"),
    (changed("variants.0.options", {"si\u0000ze": "M"}), "variants[0].options"),
    (changed("translations", {"zh-hans": {"title": "\u0000"}}), "translations.zh-hans.title"),
    (changed("attributes", {"material": "li\u0000nen"}), "attributes"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "field"), NUL_BODIES)
def test_nul_characters_in_a_body_are_refused(
    seller: Seller, api: Client, body: Any, field: str
) -> None:
    before = rows()
    assert_problem(post_json(api, PATH, body), 422, "validation-error", field)
    assert rows() == before


@pytest.mark.django_db
def test_nul_characters_elsewhere_are_refused(seller: Seller, api: Client) -> None:
    product = make_product(seller, "Mat")
    variant = product.variants.get()
    before = rows()
    assert_problem(
        patch_json(api, f"{PATH}/{product.public_id}", {"title": "a\u0000"}), 422, field="title"
    )
    assert_problem(
        patch_json(api, f"/api/v1/seller/variants/{variant.public_id}", {"sku": "a\u0000"}),
        422,
        field="sku",
    )
    for query, field in (
        ("q=a%00b", "q"),
        ("seller=sel_%00", "seller"),
        ("category=%00", "category"),
    ):
        assert_problem(Client().get(f"/api/v1/products?{query}"), 422, "validation-error", field)
        assert_problem(api.get(f"{PATH}?{query}"), 422, "validation-error", field)
    assert_problem(Client().get("/api/v1/products/prod_%00"), 404, "not-found")
    assert_problem(api.get(f"{PATH}/prod_%00x"), 404, "not-found")
    assert_problem(api.get("/api/v1/seller/variants/var_%00/price-history"), 404, "not-found")
    nul_category = patch_json(api, f"{PATH}/{product.public_id}", {"category": "cat_\u0000"})
    assert_problem(nul_category, 422, "validation-error", "category")
    response = post_json(api, PATH, GOOD, **{"Idempotency-Key": "k\u0000"})
    assert_problem(response, 422, "validation-error", "header.Idempotency-Key")
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "big"}])
def test_a_body_too_large_is_413(seller: Seller, api: Client, headers: dict[str, str]) -> None:
    from django.conf import settings

    before = rows()
    huge = {"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "variants": [{"sku": "a"}]}
    body = assert_problem(post_json(api, PATH, huge, **headers), 413, "request-too-large")
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in body["detail"]
    assert rows() == before


@pytest.mark.django_db
def test_weight_beyond_the_column_is_refused_on_change(product: Product, api: Client) -> None:
    before = rows()
    url = f"/api/v1/seller/variants/{product.variants.get().public_id}"
    assert_problem(
        patch_json(api, url, {"weight_grams": 2**31}), 422, "validation-error", "weight_grams"
    )
    assert rows() == before
