"""Shared fixtures: a real database (SQLite file or PostgreSQL from DATABASE_URL), an active
seller, and API clients holding real keys."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts.services import api_key_issue
from agora.accounts.scopes import ALL_SCOPES
from agora.core.actors import system
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_apply, seller_transition

SYSTEM = system("tests")


def make_seller(slug: str, *, country: str = "DE", currency: str = "EUR", active: bool = True) -> Seller:
    seller = seller_apply(
        actor=SYSTEM, display_name=slug.title(), legal_name=f"{slug.title()} Ltd", country=country,
        payout_currency=currency, slug=slug,
    )  # fmt: skip
    if active:
        seller = seller_transition(actor=SYSTEM, seller=seller, to="verified")
        seller = seller_transition(actor=SYSTEM, seller=seller, to="active")
    return seller


def key_client(seller: Seller, scopes: list[str] | None = None) -> Client:
    _, token = api_key_issue(actor=SYSTEM, name="test key", scopes=scopes or list(ALL_SCOPES), seller_id=seller.pk)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.token = token  # type: ignore[attr-defined]
    return client


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
