"""The test provider behaves like a real one: its cards, idempotency keys, refusals, webhooks."""

from __future__ import annotations

import time

import pytest

from agora.payments.providers import get_provider
from agora.payments.providers.base import PaymentProvider, ProviderError
from agora.payments.providers.test import (
    DECLINED,
    FAIL_LATER,
    INSUFFICIENT_FUNDS,
    SIGNATURE_HEADER,
    SUCCEEDS,
    THREE_D_SECURE,
    TestProvider,
    _sign,
)
from agora.payments.providers.teststate import TestProviderCharge

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider() -> TestProvider:
    return get_provider("test")  # type: ignore[return-value]


def _authorize(provider: TestProvider, card: str, key: str, amount: int = 1000):  # type: ignore[no-untyped-def]
    return provider.authorize(
        amount_minor=amount, currency="EUR", payment_method=card, idempotency_key=key
    )


def test_registry_and_protocol(provider):
    assert isinstance(provider, PaymentProvider)
    with pytest.raises(KeyError, match="not configured"):
        get_provider("stripe")


def test_success_card_authorizes_and_captures(provider):
    auth = _authorize(provider, "4242 4242 4242 4242", "k1")
    assert auth.status == "authorized" and auth.provider_ref.startswith("tp_ch_")
    capture = provider.capture(
        provider_ref=auth.provider_ref, amount_minor=1000, idempotency_key="c"
    )
    assert capture.succeeded and capture.amount_minor == 1000
    assert TestProviderCharge.objects.get(ref=auth.provider_ref).captured_minor == 1000


@pytest.mark.parametrize(
    ("card", "code"),
    [
        (DECLINED, "card_declined"),
        (INSUFFICIENT_FUNDS, "insufficient_funds"),
        ("tok_chargeDeclined", "card_declined"),
        ("4242424242424241", "incorrect_number"),  # fails the Luhn check
        ("5555555555554444", "test_mode_live_card"),  # valid, but not a test card
    ],
)
def test_declining_cards(provider, card, code):
    auth = _authorize(provider, card, f"k-{card}")
    assert (auth.status, auth.decline_code) == ("declined", code)
    with pytest.raises(ProviderError) as exc:
        provider.capture(provider_ref=auth.provider_ref, amount_minor=1000, idempotency_key="c")
    assert exc.value.code == "charge_not_authorized"


def test_three_d_secure_then_confirm(provider):
    auth = _authorize(provider, THREE_D_SECURE, "k3ds")
    assert auth.status == "requires_action"
    assert auth.challenge_ref in auth.redirect_url
    with pytest.raises(ProviderError, match="is requires_action"):
        provider.capture(provider_ref=auth.provider_ref, amount_minor=1000, idempotency_key="c0")
    done = provider.confirm_challenge(
        provider_ref=auth.provider_ref,
        challenge_ref=auth.challenge_ref,
        succeeded=True,
        idempotency_key="k3ds-ok",
    )
    assert done.status == "authorized"
    assert provider.capture(
        provider_ref=auth.provider_ref, amount_minor=1000, idempotency_key="c1"
    ).succeeded


def test_three_d_secure_failed_challenge_declines(provider):
    auth = _authorize(provider, THREE_D_SECURE, "k3ds-bad")
    done = provider.confirm_challenge(
        provider_ref=auth.provider_ref,
        challenge_ref=auth.challenge_ref,
        succeeded=False,
        idempotency_key="k3ds-no",
    )
    assert (done.status, done.decline_code) == ("declined", "authentication_failed")


def test_fail_later_card_fails_on_capture(provider):
    auth = _authorize(provider, FAIL_LATER, "kfl")
    assert auth.status == "authorized"
    capture = provider.capture(
        provider_ref=auth.provider_ref, amount_minor=1000, idempotency_key="c"
    )
    assert not capture.succeeded and capture.failure_code == "card_declined"


def test_idempotency_same_key_same_answer_other_params_refused(provider):
    first = _authorize(provider, SUCCEEDS, "same")
    again = _authorize(provider, SUCCEEDS, "same")
    assert again == first
    assert TestProviderCharge.objects.count() == 1
    with pytest.raises(ProviderError) as exc:
        _authorize(provider, SUCCEEDS, "same", amount=999)
    assert exc.value.code == "idempotency_key_reused"


def test_second_capture_refused_and_retry_with_key_is_not_a_second_capture(provider):
    auth = _authorize(provider, SUCCEEDS, "k")
    ref = auth.provider_ref
    first = provider.capture(provider_ref=ref, amount_minor=1000, idempotency_key="cap")
    assert provider.capture(provider_ref=ref, amount_minor=1000, idempotency_key="cap") == first
    with pytest.raises(ProviderError) as exc:
        provider.capture(provider_ref=ref, amount_minor=1000, idempotency_key="cap-2")
    assert exc.value.code == "charge_already_captured"


def test_refund_larger_than_captured_refused(provider):
    ref = _authorize(provider, SUCCEEDS, "k").provider_ref
    with pytest.raises(ProviderError, match="is authorized"):
        provider.refund(provider_ref=ref, amount_minor=1, idempotency_key="r0")
    provider.capture(provider_ref=ref, amount_minor=800, idempotency_key="cap")
    provider.refund(provider_ref=ref, amount_minor=500, idempotency_key="r1")
    with pytest.raises(ProviderError) as exc:
        provider.refund(provider_ref=ref, amount_minor=301, idempotency_key="r2")
    assert exc.value.code == "amount_too_large"
    # The refusal is remembered under its key, like a real provider's stored 4xx answer.
    with pytest.raises(ProviderError, match=r"outside 1\.\.300"):
        provider.refund(provider_ref=ref, amount_minor=301, idempotency_key="r2")
    provider.refund(provider_ref=ref, amount_minor=300, idempotency_key="r3")
    charge = TestProviderCharge.objects.get(ref=ref)
    assert (charge.captured_minor, charge.refunded_minor) == (800, 800)


def test_cancel_voids_an_authorization_but_not_a_capture(provider):
    ref = _authorize(provider, SUCCEEDS, "k").provider_ref
    provider.cancel(provider_ref=ref, idempotency_key="x")
    assert TestProviderCharge.objects.get(ref=ref).status == "cancelled"
    with pytest.raises(ProviderError):
        provider.capture(provider_ref=ref, amount_minor=1000, idempotency_key="c")
    ref2 = _authorize(provider, SUCCEEDS, "k2").provider_ref
    provider.capture(provider_ref=ref2, amount_minor=1000, idempotency_key="c2")
    with pytest.raises(ProviderError, match="refund it"):
        provider.cancel(provider_ref=ref2, idempotency_key="x2")


def test_webhooks_are_signed_and_fresh(provider):
    headers, body = provider.webhook("charge.failed", "tp_ch_1", {"code": "card_declined"})
    event = provider.parse_webhook(headers, body)
    assert (event.type, event.provider_ref, event.data) == (
        "charge.failed",
        "tp_ch_1",
        {"code": "card_declined"},
    )
    with pytest.raises(ProviderError) as exc:
        provider.parse_webhook(headers, body.replace(b"failed", b"captured"))
    assert exc.value.code == "bad_signature"
    old = int(time.time()) - 3600
    with pytest.raises(ProviderError) as exc:
        provider.parse_webhook({SIGNATURE_HEADER: f"t={old},v1={_sign(old, body)}"}, body)
    assert exc.value.code == "stale"
    with pytest.raises(ProviderError, match="no timestamp"):
        provider.parse_webhook({}, body)
