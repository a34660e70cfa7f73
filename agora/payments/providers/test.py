"""A built-in provider that behaves like a real one (Stripe's test cards), for development,
tests and the demo. It keeps its own state (:mod:`.teststate`), honours idempotency keys and
refuses what a real provider refuses.

Cards (``payment_method`` is the test card number or one of the ``tok_…`` tokens):

=====================  ==============================  ==================================
card                   token                           behaviour
=====================  ==============================  ==================================
4242 4242 4242 4242    tok_visa                        authorizes and captures
4000 0000 0000 0002    tok_chargeDeclined              declined: ``card_declined``
4000 0000 0000 9995    tok_insufficientFunds           declined: ``insufficient_funds``
4000 0025 0000 3155    tok_threeDSecureRequired        needs 3-D Secure, then authorizes
4000 0000 0000 0341    tok_chargeFailLater             authorizes, capture fails later
=====================  ==============================  ==================================

A number failing the Luhn check is declined ``incorrect_number``; any other number is declined
``test_mode_live_card`` (a test provider never charges a real card).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from agora.core import clock
from agora.payments.providers.base import (
    Authorization,
    Capture,
    ProviderError,
    ProviderRefund,
    WebhookEvent,
)
from agora.payments.providers.teststate import TestProviderCharge, TestProviderRequest

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
THREE_D_SECURE = "4000002500003155"
FAIL_LATER = "4000000000000341"

_BEHAVIOUR = {
    SUCCEEDS: "succeed",
    DECLINED: "card_declined",
    INSUFFICIENT_FUNDS: "insufficient_funds",
    THREE_D_SECURE: "three_d_secure",
    FAIL_LATER: "fail_on_capture",
}
TOKENS = {
    "tok_visa": SUCCEEDS,
    "tok_chargeDeclined": DECLINED,
    "tok_insufficientFunds": INSUFFICIENT_FUNDS,
    "tok_threeDSecureRequired": THREE_D_SECURE,
    "tok_chargeFailLater": FAIL_LATER,
}
SIGNATURE_HEADER = "test-provider-signature"
WEBHOOK_TOLERANCE_SECONDS = 300
Charge = TestProviderCharge.Status


def luhn_valid(number: str) -> bool:
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for index, digit in enumerate(int(d) for d in reversed(number)):
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def webhook_secret() -> str:
    configured = getattr(settings, "AGORA_TEST_PROVIDER_WEBHOOK_SECRET", "")
    if configured:
        return configured
    return hmac.new(settings.SECRET_KEY.encode(), b"test-provider-webhooks", "sha256").hexdigest()


def _sign(timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(webhook_secret().encode(), message, hashlib.sha256).hexdigest()


def _ref(prefix: str) -> str:
    return f"tp_{prefix}_{secrets.token_hex(12)}"


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": code, "message": message}


class TestProvider:
    """The ``test`` provider. Each call is one transaction of its own "servers"."""

    name = "test"
    __test__ = False  # not a pytest test class

    # --- idempotency ------------------------------------------------------------------------
    def _idempotent(
        self, operation: str, key: str, params: dict[str, Any], run: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        if not key:
            raise ProviderError("idempotency_key_missing", f"{operation} needs an idempotency key")
        fingerprint = hashlib.sha256(
            json.dumps([operation, params], sort_keys=True).encode()
        ).hexdigest()
        try:
            with transaction.atomic():
                seen = TestProviderRequest.objects.filter(idempotency_key=key).first()
                if seen is None:
                    try:
                        response = run()
                    except ProviderError as exc:
                        response = _error(exc.code, exc.message)
                    TestProviderRequest.objects.create(
                        idempotency_key=key,
                        operation=operation,
                        fingerprint=fingerprint,
                        response=response,
                        created_at=clock.now(),
                    )
        except IntegrityError:  # the same key raced in from another request and won
            seen = TestProviderRequest.objects.get(idempotency_key=key)
        if seen is not None:
            if seen.fingerprint != fingerprint:
                raise ProviderError(
                    "idempotency_key_reused",
                    f"idempotency key {key!r} was used for a different {seen.operation} request",
                )
            response = seen.response
        if "error" in response:
            raise ProviderError(response["error"], response["message"])
        return response

    @staticmethod
    def _charge(provider_ref: str) -> TestProviderCharge:
        charge = TestProviderCharge.objects.select_for_update().filter(ref=provider_ref).first()
        if charge is None:
            raise ProviderError("resource_missing", f"no such charge {provider_ref!r}")
        return charge

    # --- authorize --------------------------------------------------------------------------
    def authorize(
        self,
        *,
        amount_minor: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        return_url: str = "",
    ) -> Authorization:
        params = {
            "amount_minor": amount_minor,
            "currency": currency,
            "payment_method": payment_method,
            "return_url": return_url,
        }

        def run() -> dict[str, Any]:
            if amount_minor <= 0:
                raise ProviderError("amount_invalid", f"amount {amount_minor} must be positive")
            number = TOKENS.get(payment_method, payment_method.replace(" ", ""))
            if not luhn_valid(number):
                behaviour = "incorrect_number"
            else:
                behaviour = _BEHAVIOUR.get(number, "test_mode_live_card")
            charge = TestProviderCharge(
                ref=_ref("ch"),
                amount_minor=amount_minor,
                currency=currency,
                card_last4=number[-4:],
                behaviour=behaviour,
                created_at=clock.now(),
            )
            if behaviour in ("succeed", "fail_on_capture"):
                charge.status = Charge.AUTHORIZED
            elif behaviour == "three_d_secure":
                charge.status, charge.challenge_ref = Charge.REQUIRES_ACTION, _ref("3ds")
            else:
                charge.status, charge.decline_code = Charge.DECLINED, behaviour
            charge.save()
            return self._authorization(charge, return_url)

        return Authorization(**self._idempotent("authorize", idempotency_key, params, run))

    @staticmethod
    def _authorization(charge: TestProviderCharge, return_url: str = "") -> dict[str, Any]:
        if charge.status == Charge.REQUIRES_ACTION:
            return {
                "status": "requires_action",
                "provider_ref": charge.ref,
                "challenge_ref": charge.challenge_ref,
                "redirect_url": f"https://test-provider.invalid/3ds/{charge.challenge_ref}"
                f"?return_url={return_url}",
            }
        if charge.status == Charge.DECLINED:
            return {
                "status": "declined",
                "provider_ref": charge.ref,
                "decline_code": charge.decline_code,
                "message": f"the card was declined ({charge.decline_code})",
            }
        return {"status": "authorized", "provider_ref": charge.ref}

    def confirm_challenge(
        self, *, provider_ref: str, challenge_ref: str, succeeded: bool, idempotency_key: str
    ) -> Authorization:
        params = {"provider_ref": provider_ref, "challenge": challenge_ref, "ok": succeeded}

        def run() -> dict[str, Any]:
            charge = self._charge(provider_ref)
            if charge.status != Charge.REQUIRES_ACTION or charge.challenge_ref != challenge_ref:
                raise ProviderError(
                    "challenge_invalid",
                    f"charge {provider_ref} has no open challenge {challenge_ref!r}",
                )
            if succeeded:
                charge.status = Charge.AUTHORIZED
            else:
                charge.status, charge.decline_code = Charge.DECLINED, "authentication_failed"
            charge.save(update_fields=["status", "decline_code"])
            return self._authorization(charge)

        return Authorization(**self._idempotent("confirm", idempotency_key, params, run))

    # --- capture, refund, cancel ------------------------------------------------------------
    def capture(self, *, provider_ref: str, amount_minor: int, idempotency_key: str) -> Capture:
        params = {"provider_ref": provider_ref, "amount_minor": amount_minor}

        def run() -> dict[str, Any]:
            charge = self._charge(provider_ref)
            if charge.status in (Charge.CAPTURED, Charge.FAILED):
                raise ProviderError(
                    "charge_already_captured", f"charge {provider_ref} was already captured"
                )
            if charge.status != Charge.AUTHORIZED:
                raise ProviderError(
                    "charge_not_authorized", f"charge {provider_ref} is {charge.status}"
                )
            if not 0 < amount_minor <= charge.amount_minor:
                raise ProviderError(
                    "amount_too_large",
                    f"capture of {amount_minor} is outside 1..{charge.amount_minor} authorized",
                )
            result = {"provider_ref": charge.ref, "amount_minor": amount_minor}
            if charge.behaviour == "fail_on_capture":
                charge.status, charge.decline_code = Charge.FAILED, "card_declined"
                charge.save(update_fields=["status", "decline_code"])
                return {**result, "succeeded": False, "failure_code": "card_declined"}
            charge.status, charge.captured_minor = Charge.CAPTURED, amount_minor
            charge.save(update_fields=["status", "captured_minor"])
            return {**result, "succeeded": True}

        return Capture(**self._idempotent("capture", idempotency_key, params, run))

    def refund(
        self, *, provider_ref: str, amount_minor: int, idempotency_key: str
    ) -> ProviderRefund:
        params = {"provider_ref": provider_ref, "amount_minor": amount_minor}

        def run() -> dict[str, Any]:
            charge = self._charge(provider_ref)
            if charge.status != Charge.CAPTURED:
                raise ProviderError(
                    "charge_not_captured", f"charge {provider_ref} is {charge.status}"
                )
            left = charge.captured_minor - charge.refunded_minor
            if not 0 < amount_minor <= left:
                raise ProviderError(
                    "amount_too_large",
                    f"refund of {amount_minor} is outside 1..{left} (captured - refunded)",
                )
            charge.refunded_minor += amount_minor
            charge.save(update_fields=["refunded_minor"])
            return {
                "provider_ref": _ref("re"),
                "charge_ref": charge.ref,
                "amount_minor": amount_minor,
            }

        return ProviderRefund(**self._idempotent("refund", idempotency_key, params, run))

    def cancel(self, *, provider_ref: str, idempotency_key: str) -> None:
        def run() -> dict[str, Any]:
            charge = self._charge(provider_ref)
            if charge.status == Charge.CAPTURED:
                raise ProviderError(
                    "charge_already_captured", f"charge {provider_ref} is captured; refund it"
                )
            if charge.status in (Charge.AUTHORIZED, Charge.REQUIRES_ACTION):
                charge.status = Charge.CANCELLED
                charge.save(update_fields=["status"])
            return {"provider_ref": charge.ref}

        self._idempotent("cancel", idempotency_key, {"provider_ref": provider_ref}, run)

    # --- webhooks ---------------------------------------------------------------------------
    def webhook(
        self, event_type: str, provider_ref: str, data: dict[str, Any] | None = None
    ) -> tuple[dict[str, str], bytes]:
        """The headers and body the provider would POST to us for an event (for tests/demo)."""
        body = json.dumps(
            {
                "id": _ref("evt"),
                "type": event_type,
                "data": {"charge": provider_ref, **(data or {})},
            }
        ).encode()
        timestamp = int(time.time())
        return {SIGNATURE_HEADER: f"t={timestamp},v1={_sign(timestamp, body)}"}, body

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        lowered = {k.lower(): v for k, v in headers.items()}
        parts = dict(
            item.split("=", 1)
            for item in lowered.get(SIGNATURE_HEADER, "").split(",")
            if "=" in item
        )
        try:
            timestamp = int(parts.get("t", ""))
        except ValueError:
            raise ProviderError("bad_signature", f"{SIGNATURE_HEADER} has no timestamp") from None
        if not hmac.compare_digest(parts.get("v1", ""), _sign(timestamp, body)):
            raise ProviderError("bad_signature", "the webhook signature does not match its body")
        if abs(time.time() - timestamp) > WEBHOOK_TOLERANCE_SECONDS:
            raise ProviderError(
                "stale", f"the webhook is older than {WEBHOOK_TOLERANCE_SECONDS} seconds"
            )
        payload = json.loads(body)
        data = dict(payload.get("data") or {})
        return WebhookEvent(
            event_id=payload["id"],
            type=payload["type"],
            provider_ref=data.pop("charge", ""),
            data=data,
        )
