"""Tenancy: a seller's key never reads or changes another seller's objects. Every seller
endpoint in the OpenAPI document is tried, so a new endpoint is covered without editing this."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from stdnum import ean

from agora.catalog import selectors
from agora.catalog.models import Product, Variant
from agora.catalog.schemas import product_out
from agora.checkout.models import ShippingMethod, ShippingRate, ShippingZone
from agora.core.models import AuditEntry, OutboxEvent
from agora.fulfillment.models import Shipment
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderReturn
from agora.pricing.models import Price, PriceChange
from agora.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.checkout.helpers import shipping_ids
from tests.circular.rental.factories import rental_probe
from tests.circular.resale.factories import resale_probe
from tests.conftest import assert_problem, make_product
from tests.orders.factories import tenancy_objects, tenancy_probe
from tests.payments.factories import received_paid_return
from tests.webhooks.helpers import make_endpoint_with_delivery

SELLER_PREFIX = "/api/v1/seller/"
# Seller endpoints that name no object: they act on the caller's own data by construction.
# A new one must be added here on purpose, after checking it cannot reach another tenant.
WITHOUT_OBJECT = {
    ("GET", "/api/v1/seller/products"),
    ("POST", "/api/v1/seller/products"),
    ("GET", "/api/v1/seller/webhooks"),
    ("POST", "/api/v1/seller/webhooks"),
    ("GET", "/api/v1/seller/orders"),
    ("GET", "/api/v1/seller/returns"),
    ("GET", "/api/v1/seller/shipping/zones"),
    ("POST", "/api/v1/seller/shipping/zones"),
    ("GET", "/api/v1/seller/balance"),
    ("POST", "/api/v1/seller/payouts"),
    # names the item in its body (gtin + serial), looked up among the caller's own variants;
    # tests/traceability/passports covers another seller's item answering 404
    ("POST", "/api/v1/seller/certificates"),
    # rental (issue 7 C1): the caller's own offers and bookings; creating names the product in
    # its body, looked up among the caller's products (tests/circular/rental covers the 404)
    ("GET", "/api/v1/seller/rentals/offers"),
    ("POST", "/api/v1/seller/rentals/offers"),
    ("GET", "/api/v1/seller/rentals/bookings"),
    # resale (issue 7 C2): the caller's own requests; creating offers the caller's own goods
    ("GET", "/api/v1/seller/resale/requests"),
    ("POST", "/api/v1/seller/resale/requests"),
    # private statistics (issue 8 item 4): the caller's own sales only, counted with noise;
    # tests/privacy/test_dp.py covers that another seller's orders never count
    ("GET", "/api/v1/seller/insights/sales-by-region"),
}
# Values that must be valid for the probe to mean something (the owner's request succeeds).
OVERRIDES: dict[str, Any] = {
    "currency": "EUR",
    "gtin": "4006381333931",
    "language": "en",
    "category": None,
    "lot": None,  # serials without a lot (a lot must be recorded first)
}


def openapi(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def sample(doc: dict[str, Any], schema: dict[str, Any], name: str = "") -> Any:
    """A value valid for ``schema`` that would change something if it were applied."""
    if name == "sku":  # unique per seller: a fresh one each time
        sample.count = getattr(sample, "count", 0) + 1  # type: ignore[attr-defined]
        return f"PROBE-{sample.count}"  # type: ignore[attr-defined]
    if name in OVERRIDES:
        return OVERRIDES[name]
    schema = resolve(doc, schema)
    if schema.get("examples"):
        return schema["examples"][0]
    if "anyOf" in schema:
        branches = [b for b in schema["anyOf"] if b.get("type") != "null"]
        return sample(doc, branches[0], name)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        props = schema.get("properties", {})
        return {key: sample(doc, sub, key) for key, sub in props.items()}
    if kind == "array":
        return [sample(doc, schema["items"], name)]
    if kind == "string":
        text = "tenancy-probe"[: schema.get("maxLength", 100)]
        return text.ljust(schema.get("minLength", 0), "x")
    if kind == "integer":
        return max(schema.get("minimum", 7), 7)
    if kind == "number":
        return min(max(schema.get("minimum", 7), 7), schema.get("maximum", 7))
    if kind == "boolean":
        return False
    raise AssertionError(f"cannot make a sample for {schema}")


def seller_operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    ops = [
        (method.upper(), path, op)
        for path, methods in doc["paths"].items()
        if path.startswith(SELLER_PREFIX)
        for method, op in methods.items()
    ]
    assert len(ops) >= 10, "the OpenAPI document lost the seller endpoints"
    return ops


def fill_path(
    path: str, product: Product, variant: Variant, extra: dict[str, str] | None = None
) -> str:
    values = {"product_id": product.public_id, "variant_id": variant.public_id, "currency": "EUR"}
    values.update(extra or {})

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"no tenancy probe value for path parameter {{{name}}} in {path}"
        return values[name]

    return re.sub(r"\{(\w+)\}", one, path)


def send(
    client: Client, doc: dict[str, Any], method: str, path: str, op: dict[str, Any], url: str
) -> Any:
    body_schema = (
        op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    kwargs: dict[str, Any] = {}
    if body_schema is not None:
        kwargs = {"data": json.dumps(sample(doc, body_schema)), "content_type": "application/json"}
    return getattr(client, method.lower())(url, **kwargs)


def snapshot(seller: Seller) -> dict[str, Any]:
    """Everything about a seller's catalogue and prices a request could change."""
    products = [
        product_out(selectors.product_get_for_seller(seller=seller, public_id=pid))
        for pid in Product.objects.filter(seller=seller)
        .order_by("id")
        .values_list("public_id", flat=True)
    ]
    variants = list(Variant.objects.filter(seller=seller).order_by("id").values())
    return {
        "products": products,
        "variants": variants,
        "prices": list(Price.objects.filter(seller=seller).order_by("id").values()),
        "price_changes": list(
            PriceChange.objects.filter(variant__seller=seller).order_by("id").values()
        ),
        "audit": AuditEntry.objects.filter(seller_id=seller.pk).count(),
        "events": OutboxEvent.objects.count(),
        "orders": list(Order.objects.filter(seller=seller).order_by("id").values()),
        "returns": list(OrderReturn.objects.filter(order__seller=seller).order_by("id").values()),
        "shipments": list(Shipment.objects.filter(seller=seller).order_by("id").values()),
        "webhook_endpoints": list(
            WebhookEndpoint.objects.filter(seller=seller).order_by("id").values()
        ),
        "webhook_deliveries": list(
            WebhookDelivery.objects.filter(endpoint__seller=seller).order_by("id").values()
        ),
        "shipping_zones": list(ShippingZone.objects.filter(seller=seller).order_by("id").values()),
        "shipping_methods": list(
            ShippingMethod.objects.filter(seller=seller).order_by("id").values()
        ),
        "shipping_rates": list(
            ShippingRate.objects.filter(method__seller=seller).order_by("id").values()
        ),
    }


def webhook_ids(seller: Seller, title: str) -> dict[str, str]:
    """Path values for the webhook endpoints: an endpoint of ``seller`` with one delivery."""
    endpoint, delivery = make_endpoint_with_delivery(seller, title)
    return {"endpoint_id": endpoint.public_id, "delivery_id": delivery.public_id}


@pytest.mark.django_db
def test_every_seller_endpoint_hides_other_sellers_objects(
    seller: Seller, other_api: Client, api: Client
) -> None:
    doc = openapi(Client())
    product = make_product(seller, "Alpha's teapot", sku="A-1", prices={"EUR": 2500, "GBP": 2100})
    variant = product.variants.get()
    hooks = webhook_ids(seller, "Alpha hook")
    hooks.update(tenancy_objects(seller))
    hooks.update(shipping_ids(seller, "Alpha shipping"))
    hooks.update(rental_probe(seller))
    hooks.update(resale_probe(seller))
    before = snapshot(seller)
    tried = []
    for method, path, op in seller_operations(doc):
        if (method, path) in WITHOUT_OBJECT:
            continue
        assert "{" in path, f"{method} {path} names no object; review it and add to WITHOUT_OBJECT"
        url = fill_path(path, product, variant, hooks)
        response = send(other_api, doc, method, path, op, url)
        body = assert_problem(response, 404, "not-found")
        named = [product.public_id, variant.public_id, *hooks.values()]
        assert any(public_id in body["detail"] for public_id in named), body
        assert snapshot(seller) == before, f"{method} {path} changed another seller's data"
        tried.append((method, path))
    assert len(tried) >= 8
    # the listed endpoints without an object still exist (else WITHOUT_OBJECT is stale)
    all_ops = {(m, p) for m, p, _ in seller_operations(doc)}
    assert all_ops >= WITHOUT_OBJECT


@pytest.mark.django_db
def test_the_owner_succeeds_with_the_same_requests(
    seller: Seller, api: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control for the test above: the very same generated requests work for the owner, so
    the other seller's 404 is tenancy and not a malformed probe."""
    doc = openapi(Client())
    for i, (method, path, op) in enumerate(seller_operations(doc)):
        if (method, path) in WITHOUT_OBJECT:
            continue
        product = make_product(seller, f"Own teapot {i}", sku=f"OWN-{i}")
        hooks = webhook_ids(seller, f"Own hook {i}")
        orders, body_values = tenancy_probe(seller, method, path)  # objects in the needed state
        hooks.update(orders)
        hooks.update(shipping_ids(seller, f"Own shipping {i}"))
        if "/rentals/" in path:
            hooks.update(rental_probe(seller, path))
        if "/resale/" in path:
            hooks.update(resale_probe(seller, path))
        if path.endswith("/refund"):  # a refund needs a paid order whose goods came back
            hooks["return_id"] = received_paid_return(seller).public_id
        for name, value in body_values.items():
            monkeypatch.setitem(OVERRIDES, name, value)
        variant = product.variants.get()
        if path.endswith(("/lots", "/items")):  # lots and serials belong to a GTIN's trade item
            body = f"400638133{i:03d}"
            Variant.objects.filter(pk=variant.pk).update(gtin=body + ean.calc_check_digit(body))
            variant.refresh_from_db()
        url = fill_path(path, product, variant, hooks)
        response = send(api, doc, method, path, op, url)
        assert 200 <= response.status_code < 300, (method, path, response.content)


@pytest.mark.django_db
def test_seller_lists_never_include_other_sellers_products(
    seller: Seller, other_seller: Seller, api: Client, other_api: Client
) -> None:
    mine = make_product(other_seller, "Beta's cup", sku="B-1")
    theirs = [make_product(seller, f"Alpha item {i}", sku=f"A-{i}", publish=True) for i in range(3)]
    for query in ("", f"?seller={seller.public_id}", "?q=Alpha", "?q=A-1", "?status=published"):
        response = other_api.get(f"/api/v1/seller/products{query}")
        assert response.status_code == 200, response.content
        text = response.content.decode()
        assert not any(p.public_id in text for p in theirs), query
    ids = [p["id"] for p in other_api.get("/api/v1/seller/products").json()["items"]]
    assert ids == [mine.public_id]
    assert {p["id"] for p in api.get("/api/v1/seller/products").json()["items"]} == {
        p.public_id for p in theirs
    }
