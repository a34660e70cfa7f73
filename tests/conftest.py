"""Shared fixtures: a real database (SQLite file or PostgreSQL from DATABASE_URL), an active
seller, and API clients holding real keys."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from agora.accounts.scopes import ALL_SCOPES
from agora.accounts.services import api_key_issue
from agora.catalog.models import Category, Product
from agora.catalog.services import category_create, product_publish
from agora.core.actors import system
from agora.core.errors import registered_problem_types
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_apply, seller_transition
from agora.pricing.services import PricedVariantInput, product_create_priced

SYSTEM = system("tests")
PROBLEM_JSON = "application/problem+json"


def make_seller(
    slug: str, *, country: str = "DE", currency: str = "EUR", active: bool = True
) -> Seller:
    seller = seller_apply(
        actor=SYSTEM,
        display_name=slug.title(),
        legal_name=f"{slug.title()} Ltd",
        country=country,
        payout_currency=currency,
        slug=slug,
    )
    if active:
        seller = seller_transition(actor=SYSTEM, seller=seller, to="verified")
        seller = seller_transition(actor=SYSTEM, seller=seller, to="active")
    return seller


def key_client(seller: Seller, scopes: list[str] | None = None) -> Client:
    _, token = api_key_issue(
        actor=SYSTEM, name="test key", scopes=scopes or list(ALL_SCOPES), seller_id=seller.pk
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.token = token  # type: ignore[attr-defined]
    return client


def make_category(name: str, parent: Category | None = None) -> Category:
    return category_create(actor=SYSTEM, name=name, parent=parent)


def make_product(
    seller: Seller,
    title: str = "Tea cup",
    *,
    sku: str | None = None,
    prices: dict[str, int] | None = None,
    category: Category | None = None,
    publish: bool = False,
) -> Product:
    """A product with one variant, priced in ``prices`` (default 12.99 EUR; ``{}`` for none),
    created through the services as the API would."""
    variant = PricedVariantInput(
        sku=sku or f"{title[:40]}-sku",
        prices=list(({"EUR": 1299} if prices is None else prices).items()),
    )
    product = product_create_priced(
        actor=SYSTEM, seller=seller, title=title, category=category, variants=[variant]
    )
    if publish:
        product = product_publish(actor=SYSTEM, product=product)
    return product


def post_json(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(
        path, json.dumps(body), content_type="application/json", headers=headers or None
    )


def patch_json(client: Client, path: str, body: Any) -> Any:
    return client.patch(path, json.dumps(body), content_type="application/json")


def put_json(client: Client, path: str, body: Any) -> Any:
    return client.put(path, json.dumps(body), content_type="application/json")


def assert_problem(
    response: Any, status: int, slug: str | None = None, field: str | None = None
) -> dict:
    """Checks an RFC 9457 answer: status, media type, a registered ``type`` (the given one when
    ``slug`` is set) and, when ``field`` is set, that ``errors[].field`` names it."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM_JSON), response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/"), body
    registered = body["type"].removeprefix("/problems/")
    assert registered in registered_problem_types(), (
        f"{body['type']} is not a registered problem type"
    )
    if slug is not None:
        assert body["type"] == f"/problems/{slug}", body
    if field is not None:
        fields = [e["field"] for e in body.get("errors", [])]
        assert field in fields, f"{field!r} not in {fields}: {body}"
    return body


@pytest.fixture
def seller(db) -> Seller:  # type: ignore[no-untyped-def]
    return make_seller("alpha")


@pytest.fixture
def other_seller(db) -> Seller:  # type: ignore[no-untyped-def]
    return make_seller("beta")


@pytest.fixture
def api(seller: Seller) -> Client:
    return key_client(seller)


@pytest.fixture
def other_api(other_seller: Seller) -> Client:
    return key_client(other_seller)


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    """pytest-django's fixture asks the manager for its ``USERNAME_FIELD``: here the email's
    digest, which no one types. An operator made the way the platform makes them."""
    from agora.accounts.models import User

    return User.objects.create_superuser("admin@example.com", "password")
