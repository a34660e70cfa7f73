"""Store credit as a tender: granted by a program, held when a payment is created, moved into
escrow at capture beside the card's money, given back when the payment fails, and refunded card
first. Every test ends with a balanced ledger."""

from __future__ import annotations

from typing import Any

import pytest

from agora.accounts.models import User
from agora.accounts.services import actor_for_user
from agora.core.actors import system
from agora.core.errors import AgoraError
from agora.orders.models import Order
from agora.payments.models import LedgerTransaction, PaymentIntent
from agora.payments.postings import PostingError, credit_split
from agora.payments.providers.teststate import TestProviderCharge
from agora.payments.selectors import (
    order_position,
    store_credit_balance,
    store_credit_history,
    unbalanced_transactions,
)
from agora.payments.services import payment_intent_create, refund_issue, store_credit_issue
from tests.checkout.flow_helpers import Guest, setup_two_sellers
from tests.conftest import assert_problem
from tests.sellercenter.helpers import Buyer as SignedIn

pytestmark = pytest.mark.django_db
PLATFORM = system("tests")
CARD, DECLINED, THREE_D_SECURE = "4242424242424242", "4000000000000002", "4000002500003155"


class Buyer(SignedIn):
    """A signed-in buyer's browser that can spend store credit."""

    def pay(self, card: str = CARD, credit: int = 0) -> Any:
        cart = self.client.get("/api/v1/cart").json()
        shipping = {
            g["seller"]["id"]: g["shipping"]["options"][0]["method_id"] for g in cart["sellers"]
        }
        body = {"shipping": shipping, "card": card, "store_credit_minor": credit}
        return self.send("post", "/api/v1/checkout", body)


@pytest.fixture
def user() -> User:
    return User.objects.create_user("credit@example.com", "a long password 1")


def grant(user: User, amount: int, key: str = "t1") -> LedgerTransaction:
    return store_credit_issue(
        actor=PLATFORM,
        buyer=user,
        amount_minor=amount,
        currency="EUR",
        program="trade_in",
        reference=f"tri_{key}",
        idempotency_key=key,
        memo="trade-in",
    )


def balance(user: User) -> int:
    return store_credit_balance(buyer=user, currency="EUR")


def test_a_grant_is_posted_once_and_only_by_the_platform(user) -> None:  # type: ignore[no-untyped-def]
    first = grant(user, 5000)
    again = grant(user, 5000)
    assert again.pk == first.pk and balance(user) == 5000
    with pytest.raises(AgoraError) as exc:
        store_credit_issue(
            actor=actor_for_user(user),
            buyer=user,
            amount_minor=100,
            currency="EUR",
            program="trade_in",
            reference="tri_x",
            idempotency_key="mine",
        )
    assert exc.value.problem.status == 403
    with pytest.raises(AgoraError, match="program"):
        grant_bad = dict(actor=PLATFORM, buyer=user, amount_minor=1, currency="EUR")
        store_credit_issue(**grant_bad, program="lottery", reference="r", idempotency_key="k")
    assert [m.kind for m in store_credit_history(buyer=user, currency="EUR")] == ["credit_issue"]
    assert balance(user) == 5000 and not unbalanced_transactions()


def test_credit_that_pays_everything_asks_no_provider(user, seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    grant(user, 100_000)
    buyer = Buyer(user)
    buyer.fill((world["cup"], 1), (world["pot"], 1))
    r = buyer.pay(card="", credit=0)
    assert_problem(r, 422, "validation-error")  # no card and no credit: refused by name
    body = assert_problem(buyer.pay(card="", credit=100_000), 422, "validation-error")
    assert "more than the total" in body["detail"]
    orders_total = _cart_total(buyer)
    body = assert_problem(buyer.pay(card="", credit=orders_total - 1), 422, "validation-error")
    assert "give a card for the rest" in body["detail"]
    r = buyer.pay(card="", credit=orders_total)
    assert r.status_code == 201, r.content
    assert r.json()["state"] == "paid"
    assert r.json()["paid_with_store_credit"]["amount_minor"] == orders_total
    assert not TestProviderCharge.objects.exists()
    assert balance(user) == 100_000 - orders_total
    for order in Order.objects.all():
        position = order_position(
            order_ref=order.public_id, seller_ref=order.seller.public_id, currency="EUR"
        )
        assert position.escrow_minor == order.total_minor == position.credit_captured_minor
    assert not unbalanced_transactions()


def _cart_total(buyer: Buyer) -> int:
    """What the orders will total: the cart's gross per seller plus its first delivery option."""
    cart = buyer.client.get("/api/v1/cart").json()
    return sum(
        g["tax"]["gross"]["amount_minor"] + g["shipping"]["options"][0]["price"]["amount_minor"]
        for g in cart["sellers"]
    )


def test_split_tender_charges_the_card_only_the_rest(user, seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    grant(user, 1500)
    buyer = Buyer(user)
    buyer.fill((world["cup"], 2), (world["pot"], 1))
    total = _cart_total(buyer)
    r = buyer.pay(credit=1500)
    assert r.status_code == 201 and r.json()["state"] == "paid", r.content
    charge = TestProviderCharge.objects.get()
    assert charge.captured_minor == total - 1500
    intent = PaymentIntent.objects.get()
    assert (intent.amount_minor, intent.credit_minor) == (total, 1500)
    assert balance(user) == 0
    orders = list(Order.objects.order_by("pk"))
    positions = [
        order_position(order_ref=o.public_id, seller_ref=o.seller.public_id, currency="EUR")
        for o in orders
    ]
    assert [p.escrow_minor for p in positions] == [o.total_minor for o in orders]
    assert sum(p.credit_captured_minor for p in positions) == 1500
    assert not unbalanced_transactions()


def test_more_credit_than_held_is_refused_and_nothing_is_written(
    user, seller, other_seller
) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    grant(user, 300)
    buyer = Buyer(user)
    buyer.fill(
        (world["cup"], 1),
    )
    body = assert_problem(buyer.pay(credit=500), 409, "store-credit-insufficient")
    assert "3.00" in body["detail"] and "5.00" in body["detail"]
    assert not Order.objects.exists() and not PaymentIntent.objects.exists()
    assert balance(user) == 300


def test_a_declined_card_gives_the_held_credit_back(user, seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    grant(user, 800)
    buyer = Buyer(user)
    buyer.fill((world["cup"], 1))
    assert_problem(buyer.pay(card=DECLINED, credit=800), 402, "payment-declined")
    assert balance(user) == 800
    kinds = list(LedgerTransaction.objects.values_list("kind", flat=True).order_by("pk"))
    assert kinds == ["credit_issue", "credit_hold", "credit_release"]
    assert not unbalanced_transactions()


def test_held_credit_cannot_be_spent_twice(user, seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    """A checkout waiting for 3-D Secure holds its credit: another payment cannot spend it;
    once the first is refused, the credit is back."""
    world = setup_two_sellers(seller, other_seller)
    grant(user, 1000)
    laptop = Buyer(user)
    laptop.fill((world["cup"], 1))
    first = laptop.pay(card=THREE_D_SECURE, credit=1000)
    assert first.status_code == 201 and first.json()["state"] == "requires_action", first.content
    assert balance(user) == 0
    orders = list(Order.objects.all())
    with pytest.raises(AgoraError) as exc:  # another payment wanting the same credit
        payment_intent_create(
            actor=actor_for_user(user),
            orders=orders,
            payment_method=CARD,
            idempotency_key="second-device",
            buyer_id=user.pk,
            credit_minor=1000,
        )
    assert exc.value.problem.slug == "store-credit-insufficient"
    assert PaymentIntent.objects.count() == 1
    r = laptop.send("post", f"/api/v1/checkout/{first.json()['id']}/3ds", {"result": "fail"})
    assert_problem(r, 402, "payment-declined")
    assert balance(user) == 1000
    assert not unbalanced_transactions()


def test_refunds_go_to_the_card_first_then_back_to_credit(user, seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    buyer = Buyer(user)
    buyer.fill((world["cup"], 1))
    total = _cart_total(buyer)
    grant(user, total - 500)  # the card pays 5.00
    assert buyer.pay(credit=total - 500).json()["state"] == "paid"
    order = Order.objects.get()
    first = refund_issue(
        actor=PLATFORM, order=order, amount_minor=700, reason="late", idempotency_key="r1"
    )
    assert (first.amount_minor, first.credit_minor) == (700, 200)
    charge = TestProviderCharge.objects.get()
    assert charge.refunded_minor == 500  # the card got back all it paid
    assert balance(user) == 200
    rest = total - 700
    second = refund_issue(
        actor=PLATFORM, order=order, amount_minor=rest, reason="returned", idempotency_key="r2"
    )
    assert second.credit_minor == rest
    charge.refresh_from_db()
    assert charge.refunded_minor == 500
    assert balance(user) == total - 500
    position = order_position(
        order_ref=order.public_id, seller_ref=order.seller.public_id, currency="EUR"
    )
    assert position.refundable_minor == 0 and position.card_refundable_minor == 0
    assert PaymentIntent.objects.get().status == "refunded"
    with pytest.raises(AgoraError) as exc:
        refund_issue(actor=PLATFORM, order=order, amount_minor=1, reason="", idempotency_key="r3")
    assert exc.value.problem.slug == "refund-exceeds-paid"
    assert not unbalanced_transactions()


def test_guests_cannot_spend_store_credit(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    guest = Guest()
    guest.fill((world["cup"], 1))
    cart = guest.client.get("/api/v1/cart").json()
    shipping = {
        g["seller"]["id"]: g["shipping"]["options"][0]["method_id"] for g in cart["sellers"]
    }
    body = {"shipping": shipping, "card": CARD, "store_credit_minor": 100}
    problem = assert_problem(guest.send("post", "/api/v1/checkout", body), 422, "validation-error")
    assert "sign in" in str(problem)


@pytest.mark.parametrize(
    ("total", "credit", "orders", "expected"),
    [
        (1000, 0, [400, 600], [0, 0]),
        (1000, 500, [400, 600], [400, 100]),
        (1000, 1000, [400, 600], [400, 600]),
    ],
)
def test_credit_split_fills_orders_in_turn(total, credit, orders, expected) -> None:  # type: ignore[no-untyped-def]
    assert credit_split(total, credit, orders) == expected


def test_credit_split_refuses_what_does_not_fit() -> None:
    with pytest.raises(PostingError):
        credit_split(1000, 1001, [1000])
    with pytest.raises(PostingError):
        credit_split(1000, 10, [400, 500])
