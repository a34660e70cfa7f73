"""Resale fixtures through the real pages and services: a seller's cup, a signed-in buyer who
bought it and had it delivered, and an operator."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from agora.accounts.services import actor_for_user, user_create
from agora.core import clock
from agora.core.actors import Actor
from agora.core.outbox import dispatch_pending
from agora.orders.models import Order
from tests.checkout.flow_helpers import setup_two_sellers
from tests.storefront.buying import CARD_OK, Browser, ship

BOUGHT_AT = datetime(2025, 3, 10, 9, tzinfo=UTC)


def signed_in(email: str) -> tuple[Browser, Any]:
    user = user_create(email=email, password="correct horse battery")
    browser = Browser()
    browser.client.force_login(user)
    return browser, user


def buy(browser: Browser, variant: Any, quantity: int = 1) -> Order:
    before = set(Order.objects.values_list("pk", flat=True))
    browser.add(variant, quantity)
    browser.give_address()
    r = browser.pay(CARD_OK)
    assert r["Location"].endswith("/done/"), r.content.decode()[:2000]
    dispatch_pending()
    return Order.objects.exclude(pk__in=before).get()


@pytest.fixture
def world(seller, other_seller):  # type: ignore[no-untyped-def]
    with clock.frozen_at(BOUGHT_AT):
        yield setup_two_sellers(seller, other_seller)


@pytest.fixture
def delivered(world):  # type: ignore[no-untyped-def]
    """(browser, user, order): the buyer bought two cups on 2025-03-10, delivered."""
    with clock.frozen_at(BOUGHT_AT):
        browser, user = signed_in("ada@example.org")
        order = buy(browser, world["cup"], 2)
        ship(order.public_id, world["cup_at"], deliver=True)
        dispatch_pending()
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED
    return browser, user, order


@pytest.fixture
def operator() -> Actor:
    user = user_create(email="ops@example.org", password="correct horse battery")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return actor_for_user(user)
