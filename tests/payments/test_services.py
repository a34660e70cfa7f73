"""The payment use cases end to end on the database: authorize, 3-D Secure, capture into
escrow, release, refunds before and after release, payouts, idempotent retries, the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from agora.core import clock
from agora.core.actors import Actor
from agora.core.errors import AgoraError
from agora.core.models import OutboxEvent
from agora.payments.models import LedgerEntry, LedgerTransaction, PaymentIntent, Refund
from agora.payments.providers.test import (
    DECLINED,
    FAIL_LATER,
    INSUFFICIENT_FUNDS,
    THREE_D_SECURE,
)
from agora.payments.providers.teststate import TestProviderCharge
from agora.payments.reconcile import payments_reconcile
from agora.payments.selectors import (
    order_position,
    platform_commission,
    seller_balance,
    unbalanced_transactions,
)
from agora.payments.services import (
    escrow_release,
    payment_authorize,
    payment_cancel,
    payment_capture,
    payment_confirm_3ds,
    payout_create,
    refund_issue,
)
from agora.payments.services.intents import ask_authorize
from tests.payments.conftest import SYSTEM, make_order, new_intent, pay

pytestmark = pytest.mark.django_db
S = PaymentIntent.Status


def _events(name: str) -> list[dict]:
    return list(
        OutboxEvent.objects.filter(name=name).order_by("pk").values_list("payload", flat=True)
    )


def _refund(order, amount: int, key: str) -> Refund:  # type: ignore[no-untyped-def]
    return refund_issue(
        actor=SYSTEM, order=order, amount_minor=amount, reason="r", idempotency_key=key
    )


def test_pay_two_sellers_holds_each_order_in_escrow(seller, other_seller):
    a, b = make_order(seller, 1999), make_order(other_seller, 501)
    intent = pay([a, b])
    assert intent.status == S.CAPTURED and intent.amount_minor == 2500
    assert seller_balance(seller=seller, currency="EUR").in_escrow_minor == 1999
    assert seller_balance(seller=other_seller, currency="EUR").in_escrow_minor == 501
    assert LedgerTransaction.objects.filter(kind="capture").count() == 2
    assert _events("payment.captured")[0]["order_ids"] == [a.public_id, b.public_id]
    assert not unbalanced_transactions()


def test_release_refund_after_release_and_payout(seller):
    order = make_order(seller, 10_000)
    pay([order])
    _refund(order, 1_000, "before")  # from escrow
    escrow_release(actor=SYSTEM, order=order, commission_bps=1250)
    assert seller_balance(seller=seller, currency="EUR").payable_minor == 7_875  # 9000 - 1125
    assert platform_commission(currency="EUR") == 1_125
    released = _events("payment.released")[0]
    assert (released["gross_minor"], released["commission_minor"]) == (9_000, 1_125)
    payout_create(actor=SYSTEM, seller=seller, currency="EUR")
    _refund(order, 2_001, "after")  # taken back from the seller (now owing) and the platform
    position = order_position(
        order_ref=order.public_id, seller_ref=seller.public_id, currency="EUR"
    )
    assert position.refunded_minor == 3_001 and position.released_minor == 6_999
    assert position.commission_minor == 875  # 6999 * 12.5 % = 874.875 -> 875
    balance = seller_balance(seller=seller, currency="EUR")
    assert (balance.paid_out_minor, balance.payable_minor) == (7_875, 6_124 - 7_875)
    assert balance.payable_minor + balance.paid_out_minor == 6_999 - 875
    with pytest.raises(AgoraError) as exc:
        payout_create(actor=SYSTEM, seller=seller, currency="EUR")
    assert exc.value.problem.slug == "nothing-to-pay-out"
    assert [e["amount_minor"] for e in _events("refund.issued")] == [1_000, 2_001]
    assert PaymentIntent.objects.get().status == S.PARTIALLY_REFUNDED
    assert not unbalanced_transactions()


def test_refund_more_than_paid_is_refused_and_full_refund_marks_refunded(seller):
    order = make_order(seller, 500)
    pay([order])
    with pytest.raises(AgoraError) as exc:
        _refund(order, 501, "too-much")
    assert exc.value.problem.slug == "refund-exceeds-paid"
    assert "5.01" in exc.value.detail and "5.00" in exc.value.detail
    _refund(order, 500, "all")
    assert PaymentIntent.objects.get().status == S.REFUNDED
    with pytest.raises(AgoraError) as exc:
        _refund(order, 1, "more")
    assert exc.value.problem.slug == "refund-exceeds-paid"
    with pytest.raises(AgoraError) as exc:
        escrow_release(actor=SYSTEM, order=order)
    assert exc.value.problem.slug == "nothing-to-release"


def test_unpaid_order_cannot_be_refunded_or_released(seller):
    order = make_order(seller, 500)
    for call in (lambda: _refund(order, 1, "k"), lambda: escrow_release(actor=SYSTEM, order=order)):
        with pytest.raises(AgoraError) as exc:
            call()
        assert exc.value.problem.slug == "order-not-paid"


@pytest.mark.parametrize(
    ("card", "code"), [(DECLINED, "card_declined"), (INSUFFICIENT_FUNDS, "insufficient_funds")]
)
def test_decline_leaves_nothing_in_the_ledger(seller, card, code):
    order = make_order(seller, 700)
    intent = payment_authorize(actor=SYSTEM, intent=new_intent([order], card))
    assert (intent.status, intent.failure_code) == (S.FAILED, code)
    assert _events("payment.failed")[0]["code"] == code
    with pytest.raises(AgoraError) as exc:
        payment_capture(actor=SYSTEM, intent=intent)
    assert exc.value.problem.slug == "invalid-state-transition"
    assert not LedgerEntry.objects.exists()


def test_three_d_secure_flow(seller):
    order = make_order(seller, 1200)
    intent = payment_authorize(actor=SYSTEM, intent=new_intent([order], THREE_D_SECURE))
    assert intent.status == S.REQUIRES_ACTION and intent.challenge_ref
    with pytest.raises(AgoraError):
        payment_capture(actor=SYSTEM, intent=intent)
    intent = payment_confirm_3ds(actor=SYSTEM, intent=intent, succeeded=True)
    assert intent.status == S.AUTHORIZED
    assert payment_capture(actor=SYSTEM, intent=intent).status == S.CAPTURED
    assert seller_balance(seller=seller, currency="EUR").in_escrow_minor == 1200


def test_three_d_secure_failure_and_timeout(seller):
    failed = payment_authorize(
        actor=SYSTEM, intent=new_intent([make_order(seller, 100)], THREE_D_SECURE)
    )
    failed = payment_confirm_3ds(actor=SYSTEM, intent=failed, succeeded=False)
    assert (failed.status, failed.failure_code) == (S.FAILED, "authentication_failed")
    waiting = payment_authorize(
        actor=SYSTEM, intent=new_intent([make_order(seller, 100)], THREE_D_SECURE)
    )
    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        assert payments_reconcile().expired == 1
    waiting.refresh_from_db()
    assert waiting.status == S.CANCELLED
    assert TestProviderCharge.objects.get(ref=waiting.provider_ref).status == "cancelled"


def test_fail_later_card_fails_on_capture_and_posts_nothing(seller):
    order = make_order(seller, 900)
    intent = payment_authorize(actor=SYSTEM, intent=new_intent([order], FAIL_LATER))
    assert intent.status == S.AUTHORIZED
    intent = payment_capture(actor=SYSTEM, intent=intent)
    assert (intent.status, intent.failure_code) == (S.FAILED, "card_declined")
    assert not LedgerEntry.objects.exists()


def test_retries_never_post_twice(seller):
    order = make_order(seller, 1000)
    intent = pay([order])
    assert payment_authorize(actor=SYSTEM, intent=intent).status == S.CAPTURED
    with pytest.raises(AgoraError) as second_capture:
        payment_capture(actor=SYSTEM, intent=intent)
    assert second_capture.value.problem.slug == "payment-already-captured"
    first = _refund(order, 300, "same-key")
    assert _refund(order, 300, "same-key") == first
    with pytest.raises(AgoraError) as exc:
        _refund(order, 301, "same-key")
    assert exc.value.problem.slug == "idempotency-key-reused"
    release = escrow_release(actor=SYSTEM, order=order)
    assert escrow_release(actor=SYSTEM, order=order) == release
    assert LedgerTransaction.objects.filter(kind="capture").count() == 1
    assert LedgerTransaction.objects.filter(kind="refund").count() == 1
    assert LedgerTransaction.objects.filter(kind="release").count() == 1
    assert TestProviderCharge.objects.get().refunded_minor == 300


def test_an_order_paid_twice_is_refused_before_the_provider(seller):
    order = make_order(seller, 1000)
    pay([order])
    second = payment_authorize(actor=SYSTEM, intent=new_intent([order]))
    with pytest.raises(AgoraError, match="already paid"):
        payment_capture(actor=SYSTEM, intent=second)
    assert TestProviderCharge.objects.filter(status="captured").count() == 1


def test_cancel_voids_the_authorization(seller):
    intent = payment_authorize(actor=SYSTEM, intent=new_intent([make_order(seller, 100)]))
    intent = payment_cancel(actor=SYSTEM, intent=intent, reason="stock gone")
    assert intent.status == S.CANCELLED
    assert TestProviderCharge.objects.get().status == "cancelled"
    assert _events("payment.failed")[0]["code"] == "cancelled"


def test_provider_is_never_called_inside_a_transaction(seller):
    intent = new_intent([make_order(seller, 100)])
    with transaction.atomic(), pytest.raises(RuntimeError, match="outside transaction"):
        payment_authorize(actor=SYSTEM, intent=intent)


def test_only_the_buyer_or_the_platform_acts_on_a_payment(seller, buyer):
    intent = new_intent([make_order(seller, 100)], buyer=buyer)
    stranger = Actor(kind="user", label="someone", user_id=buyer.pk + 1000)
    with pytest.raises(AgoraError) as exc:
        payment_authorize(actor=stranger, intent=intent)
    assert exc.value.problem.slug == "forbidden"
    me = Actor(kind="user", label="buyer", user_id=buyer.pk)
    assert payment_authorize(actor=me, intent=intent).status == S.AUTHORIZED
    with pytest.raises(AgoraError) as exc:
        escrow_release(actor=me, order=intent.orders.get())
    assert exc.value.problem.slug == "forbidden"


def test_reconcile_finishes_a_crashed_authorize_and_capture(seller):
    """A crash after the provider answered but before we recorded it: the sweep asks again
    with the same key, gets the same charge, and records it; money is never left unrecorded."""
    order = make_order(seller, 4200)
    intent = new_intent([order])
    PaymentIntent.objects.filter(pk=intent.pk).update(status=S.AUTHORIZING)
    ask_authorize(intent)  # the provider authorized; then we "crashed"
    assert TestProviderCharge.objects.count() == 1
    with clock.frozen_at(clock.now() + timedelta(minutes=10)):
        report = payments_reconcile()
    assert report.authorized == 1 and not report.errors
    intent.refresh_from_db()
    assert intent.status == S.AUTHORIZED
    assert TestProviderCharge.objects.count() == 1  # the same charge, not a second one
    PaymentIntent.objects.filter(pk=intent.pk).update(status=S.CAPTURING)
    with clock.frozen_at(clock.now() + timedelta(minutes=30)):
        assert payments_reconcile().captured == 1
    intent.refresh_from_db()
    assert intent.status == S.CAPTURED
    assert seller_balance(seller=seller, currency="EUR").in_escrow_minor == 4200
    assert payments_reconcile().captured == 0  # nothing stuck any more


def test_reconcile_finishes_a_pending_refund(seller):
    order = make_order(seller, 1000)
    intent = pay([order])
    now = clock.now()
    refund = Refund.objects.create(
        intent=intent,
        order=order,
        amount_minor=400,
        currency="EUR",
        idempotency_key="crashed",
        created_at=now,
        updated_at=now,
    )
    with clock.frozen_at(now + timedelta(minutes=10)):
        assert payments_reconcile().refunded == 1
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert TestProviderCharge.objects.get().refunded_minor == 400
    position = order_position(
        order_ref=order.public_id, seller_ref=seller.public_id, currency="EUR"
    )
    assert position.escrow_minor == 600


def test_reconcile_is_scheduled_as_a_task():
    from agora.core.schedule import jobs
    from agora.payments.tasks import payments_reconcile as task

    assert any(job.name == "payments.reconcile" and job.task is task for job in jobs())
    assert task.call() == {
        "authorized": 0,
        "captured": 0,
        "refunded": 0,
        "expired": 0,
        "errors": [],
    }
