"""Fixtures for payments: orders created directly as rows (checkout arrives later), and a helper
that pays for them through the services."""

from __future__ import annotations

import itertools

import pytest

from agora.accounts.models import User
from agora.core import clock
from agora.core.actors import system
from agora.marketplace.models import Seller
from agora.orders.models import Order
from agora.payments.models import PaymentIntent
from agora.payments.providers.test import SUCCEEDS
from agora.payments.services import payment_authorize, payment_capture, payment_intent_create

SYSTEM = system("tests.payments")
_keys = itertools.count()


def make_order(seller: Seller, total_minor: int, currency: str = "EUR") -> Order:
    return Order.objects.create(
        seller=seller,
        channel=Order.Channel.WEB,
        status=Order.Status.PLACED,
        currency=currency,
        subtotal_minor=total_minor,
        total_minor=total_minor,
        placed_at=clock.now(),
    )


def new_intent(
    orders: list[Order], card: str = SUCCEEDS, buyer: User | None = None
) -> PaymentIntent:
    return payment_intent_create(
        actor=SYSTEM,
        orders=orders,
        payment_method=card,
        idempotency_key=f"test-intent-{next(_keys)}",
        buyer_id=buyer.pk if buyer else None,
        return_url="https://shop.example/return",
    )


def pay(orders: list[Order], card: str = SUCCEEDS) -> PaymentIntent:
    """Authorizes and captures a payment for ``orders`` with a card that succeeds."""
    intent = payment_authorize(actor=SYSTEM, intent=new_intent(orders, card))
    return payment_capture(actor=SYSTEM, intent=intent)


@pytest.fixture
def buyer(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_user("buyer@example.com", "correct horse battery")
