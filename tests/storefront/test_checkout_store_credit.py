"""The payment page with store credit: offered only to a buyer who has some, pays part or all
of the orders beside the card, and says clearly when a card is still needed."""

from __future__ import annotations

import pytest

from agora.accounts.models import User
from agora.core.actors import system
from agora.orders.models import Order
from agora.payments.models import PaymentIntent
from agora.payments.providers.teststate import TestProviderCharge
from agora.payments.selectors import store_credit_balance
from agora.payments.services import store_credit_issue
from tests.checkout.flow_helpers import setup_two_sellers
from tests.storefront.buying import CARD_OK, Browser

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase"


@pytest.fixture
def world(seller, other_seller):  # type: ignore[no-untyped-def]
    return setup_two_sellers(seller, other_seller)


def signed_in(world) -> tuple[Browser, User]:  # type: ignore[no-untyped-def]
    user = User.objects.create_user("credit@example.org", PASSWORD)
    b = Browser()
    b.client.force_login(user)
    assert b.add(world["cup"], 1).status_code == 302
    assert b.give_address().status_code == 302
    return b, user


def grant(user: User, amount: int) -> None:
    store_credit_issue(
        actor=system("tests"),
        buyer=user,
        amount_minor=amount,
        currency="EUR",
        program="trade_in",
        reference="tri_page",
        idempotency_key=f"page-{amount}",
    )


def test_no_credit_no_offer(world) -> None:  # type: ignore[no-untyped-def]
    b, _user = signed_in(world)
    assert "Store credit" not in b.get("/checkout/").content.decode()


def test_credit_pays_part_and_the_card_the_rest(world) -> None:  # type: ignore[no-untyped-def]
    b, user = signed_in(world)
    grant(user, 500)
    page = b.get("/checkout/").content.decode()
    assert "You have €5.00 of store credit." in page
    assert "Pay €5.00 with store credit" in page
    form = b.payment_form()
    form["use_store_credit"] = "on"
    r = b.pay(CARD_OK, form)
    assert r.status_code == 302 and r["Location"].endswith("/done/"), r.content.decode()[:2000]
    intent = PaymentIntent.objects.get()
    assert intent.credit_minor == 500
    assert TestProviderCharge.objects.get().captured_minor == intent.amount_minor - 500
    assert store_credit_balance(buyer=user, currency="EUR") == 0
    assert Order.objects.get().status == "paid"


def test_credit_that_covers_all_needs_no_card(world) -> None:  # type: ignore[no-untyped-def]
    b, user = signed_in(world)
    grant(user, 100_000)
    form = b.payment_form()
    form["use_store_credit"] = "on"
    r = b.pay("", form)
    assert r.status_code == 302 and r["Location"].endswith("/done/"), r.content.decode()[:2000]
    assert not TestProviderCharge.objects.exists()
    total = Order.objects.get().total_minor
    assert store_credit_balance(buyer=user, currency="EUR") == 100_000 - total


def test_too_little_credit_without_a_card_says_so(world) -> None:  # type: ignore[no-untyped-def]
    b, user = signed_in(world)
    grant(user, 100)
    form = b.payment_form()
    form["use_store_credit"] = "on"
    r = b.pay("", form)
    assert r.status_code == 422
    assert "give a card for the rest" in r.content.decode()
    assert not Order.objects.exists()
    assert store_credit_balance(buyer=user, currency="EUR") == 100


def test_no_card_and_no_credit_asks_for_the_card(world) -> None:  # type: ignore[no-untyped-def]
    b, _user = signed_in(world)
    r = b.pay("")
    assert r.status_code == 422 and "Enter the card number." in r.content.decode()


def test_the_order_page_says_what_store_credit_paid(world) -> None:  # type: ignore[no-untyped-def]
    b, user = signed_in(world)
    grant(user, 500)
    form = b.payment_form()
    form["use_store_credit"] = "on"
    assert b.pay(CARD_OK, form).status_code == 302
    order = Order.objects.get()
    page = b.get(f"/orders/{order.public_id}/").content.decode()
    assert "Paid with store credit" in page and "€5.00" in page
