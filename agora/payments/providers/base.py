"""What Agora needs from a payment provider, and the answers it gets back.

Every call that changes money carries an idempotency key: calling again with the same key and
the same parameters returns the first answer (this is how a retry after a crash or a time-out
learns what happened); the same key with other parameters is refused. Services call providers
outside any database transaction (DESIGN.md §4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

AuthorizationStatus = Literal["authorized", "requires_action", "declined"]


class ProviderError(Exception):
    """The provider refused the request itself (not a decline): a second capture, a refund over
    what was captured, an idempotency key reused with other parameters, a bad signature."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Authorization:
    status: AuthorizationStatus
    provider_ref: str = ""
    # 3-D Secure: the challenge to complete and where to send the buyer.
    challenge_ref: str = ""
    redirect_url: str = ""
    decline_code: str = ""
    message: str = ""


@dataclass(frozen=True)
class Capture:
    succeeded: bool
    provider_ref: str
    amount_minor: int
    failure_code: str = ""
    message: str = ""


@dataclass(frozen=True)
class ProviderRefund:
    provider_ref: str
    charge_ref: str
    amount_minor: int


@dataclass(frozen=True)
class WebhookEvent:
    """A signed notice from the provider (``charge.captured``, ``charge.failed``, …)."""

    event_id: str
    type: str
    provider_ref: str
    data: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class PaymentProvider(Protocol):
    name: str

    def authorize(
        self,
        *,
        amount_minor: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        return_url: str = "",
    ) -> Authorization:
        """Reserves the amount on the buyer's card (or asks for 3-D Secure, or declines)."""
        ...

    def confirm_challenge(
        self, *, provider_ref: str, challenge_ref: str, succeeded: bool, idempotency_key: str
    ) -> Authorization:
        """Reports the outcome of a 3-D Secure challenge; the test provider takes it as given."""
        ...

    def capture(self, *, provider_ref: str, amount_minor: int, idempotency_key: str) -> Capture:
        """Takes the authorized money; a second capture is a :class:`ProviderError`."""
        ...

    def refund(
        self, *, provider_ref: str, amount_minor: int, idempotency_key: str
    ) -> ProviderRefund:
        """Returns captured money; more than captured - refunded is a :class:`ProviderError`."""
        ...

    def cancel(self, *, provider_ref: str, idempotency_key: str) -> None:
        """Voids an authorization that was not captured."""
        ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        """Verifies the signature and freshness of a notice and returns it; raises
        :class:`ProviderError` (code ``bad_signature`` or ``stale``) otherwise."""
        ...
