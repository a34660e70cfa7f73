"""Money held in escrow for something that is not an order (a rental's rent and deposit, later
a trade-in or a packaging deposit): charge it into escrow, then settle it once, part to the
seller and the rest back to the buyer.

Why not a :class:`~agora.payments.models.PaymentIntent`: an intent pays orders (its refunds and
releases are per order). A hold is named by its ``reference`` (the capability's public id,
e.g. ``rbk_…``), which owns the escrow account ``escrow:<reference>:<currency>``; the same
ledger, the same provider interface and the same pure posting rules as orders, no second
bookkeeping and no new table. The provider's charge reference is kept in the capture's ledger
metadata, which is all a later refund needs.

Steps follow DESIGN.md §4: provider calls run outside any transaction with idempotency keys
derived from the reference, so calling :func:`hold_capture` or :func:`hold_settle` again after a
crash asks the provider again with the same key (it answers as before) and posts once (the
ledger's keys). The caller records its own state around the calls (e.g. ``pending`` → ``held``)
and checks who may act; these functions are called by services only, never by the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import AgoraError, invalid
from agora.core.money import Money
from agora.payments import errors
from agora.payments.ledger import ledger_post
from agora.payments.models import LedgerTransaction
from agora.payments.postings import (
    BUYER_REFUNDS,
    AccountKey,
    Posting,
    capture_postings,
    check_balanced,
    escrow_account,
    release_postings,
)
from agora.payments.providers.base import Authorization, Capture, ProviderError, ProviderRefund
from agora.payments.selectors import balance
from agora.payments.services._common import ask_provider, provider_refused


@dataclass(frozen=True)
class HoldResult:
    """What :func:`hold_capture` did: ``held`` (the money is in escrow) or ``declined``
    (nothing was charged; ``code`` and ``message`` say why)."""

    status: str
    reference: str
    amount_minor: int
    currency: str
    provider_ref: str = ""
    code: str = ""
    message: str = ""


def _capture_key(reference: str) -> str:
    return f"hold:{reference}"


def _check_amount(amount_minor: int, name: str) -> None:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor < 0:
        raise invalid(name, f"{amount_minor!r} is not a non-negative number of minor units")


def hold_capture(
    *,
    actor: Actor,
    reference: str,
    seller_id: int,
    amount_minor: int,
    currency: str,
    payment_method: str,
    provider: str = "test",
) -> HoldResult:
    """Charges ``amount_minor`` to the buyer's card and holds it in ``escrow:<reference>``.

    A card that needs 3-D Secure is declined here (``authentication_required``): holds are
    charged in one step, without a redirect. Calling again for the same reference returns the
    first result and never charges twice.
    """
    _check_amount(amount_minor, "amount_minor")
    if amount_minor == 0:
        raise invalid("amount_minor", "a hold needs a positive amount")
    key = _capture_key(reference)
    done = LedgerTransaction.objects.filter(idempotency_key=key).first()
    if done is not None:
        return HoldResult(
            "held", reference, amount_minor, currency, done.metadata.get("provider_ref", "")
        )
    auth: Authorization | ProviderError = ask_provider(
        "hold_capture",
        provider,
        "authorize",
        amount_minor=amount_minor,
        currency=currency,
        payment_method=payment_method,
        idempotency_key=f"{key}:authorize",
    )
    if isinstance(auth, ProviderError):
        return HoldResult(
            "declined", reference, amount_minor, currency, "", auth.code, auth.message
        )
    if auth.status != "authorized":
        code = auth.decline_code or "authentication_required"
        message = auth.message or "this card needs 3-D Secure; holds take cards without it"
        if auth.provider_ref:
            ask_provider(
                "hold_capture",
                provider,
                "cancel",
                provider_ref=auth.provider_ref,
                idempotency_key=f"{key}:cancel",
            )
        return HoldResult("declined", reference, amount_minor, currency, "", code, message)
    cap: Capture | ProviderError = ask_provider(
        "hold_capture",
        provider,
        "capture",
        provider_ref=auth.provider_ref,
        amount_minor=amount_minor,
        idempotency_key=f"{key}:capture",
    )
    if isinstance(cap, ProviderError) or not cap.succeeded:
        code = cap.code if isinstance(cap, ProviderError) else cap.failure_code
        message = cap.message
        return HoldResult("declined", reference, amount_minor, currency, "", code, message)
    with transaction.atomic():
        ltx = ledger_post(
            kind=LedgerTransaction.Kind.CAPTURE,
            reference=reference,
            idempotency_key=key,
            postings=capture_postings(
                order_ref=reference, amount_minor=amount_minor, currency=currency, provider=provider
            ),
            seller_id=seller_id,
            memo=f"hold {reference}",
            metadata={"hold": True, "provider": provider, "provider_ref": auth.provider_ref},
        )
        audit_record(
            actor=actor,
            action="hold.captured",
            target=ltx,
            seller_id=seller_id,
            changes={"reference": reference, "amount_minor": amount_minor, "currency": currency},
        )
    return HoldResult("held", reference, amount_minor, currency, auth.provider_ref)


def hold_settlement(*, reference: str) -> LedgerTransaction | None:
    """The settlement of ``reference``'s hold, or None while the money is still held."""
    return LedgerTransaction.objects.filter(idempotency_key=f"hold-settle:{reference}").first()


def held_minor(*, reference: str, currency: str) -> int:
    """What is still held in escrow for ``reference``."""
    return balance(escrow_account(reference, currency))


def settle_postings(
    *,
    reference: str,
    seller_ref: str,
    held_minor: int,
    to_seller_minor: int,
    commission_bps: int,
    currency: str,
    provider: str,
) -> list[Posting]:
    """Pure: everything held leaves escrow; ``to_seller_minor`` to the seller less commission
    (the release rule), the rest back to the buyer through the provider."""
    if not 0 <= to_seller_minor <= held_minor:
        raise ValueError(f"to_seller_minor {to_seller_minor} is outside 0..{held_minor}")
    postings: list[Posting] = []
    if to_seller_minor:
        postings += release_postings(
            order_ref=reference,
            seller_ref=seller_ref,
            escrow_minor=to_seller_minor,
            commission_bps=commission_bps,
            currency=currency,
        )
    back = held_minor - to_seller_minor
    if back:
        postings += [
            Posting(escrow_account(reference, currency), -back),
            Posting(AccountKey(BUYER_REFUNDS, provider, currency), back),
        ]
    merged: dict[AccountKey, int] = {}
    for posting in postings:
        merged[posting.account] = merged.get(posting.account, 0) + posting.amount_minor
    return check_balanced(Posting(k, v) for k, v in merged.items() if v)


def hold_settle(
    *,
    actor: Actor,
    reference: str,
    seller_id: int,
    seller_ref: str,
    currency: str,
    to_seller_minor: int,
    commission_bps: int,
) -> LedgerTransaction:
    """Empties the hold once: ``to_seller_minor`` is released to the seller (less
    ``commission_bps``), the rest is refunded to the buyer's card. A second settlement is
    refused with ``nothing-to-release`` (the money has left escrow), never paid twice."""
    _check_amount(to_seller_minor, "to_seller_minor")
    capture = LedgerTransaction.objects.filter(idempotency_key=_capture_key(reference)).first()
    if capture is None:
        raise AgoraError(errors.ORDER_NOT_PAID, f"nothing was ever held for {reference}")
    settle_key = f"hold-settle:{reference}"
    if LedgerTransaction.objects.filter(idempotency_key=settle_key).exists():
        raise AgoraError(
            errors.NOTHING_TO_RELEASE,
            f"the money held for {reference} was settled already; it cannot be paid out twice",
        )
    held = held_minor(reference=reference, currency=currency)
    if to_seller_minor > held:
        raise invalid(
            "to_seller_minor",
            f"{Money(to_seller_minor, currency)} is more than the {Money(held, currency)} held",
        )
    provider = capture.metadata["provider"]
    back = held - to_seller_minor
    if back:
        answer: ProviderRefund | ProviderError = ask_provider(
            "hold_settle",
            provider,
            "refund",
            provider_ref=capture.metadata["provider_ref"],
            amount_minor=back,
            idempotency_key=f"{settle_key}:refund",
        )
        if isinstance(answer, ProviderError):
            raise provider_refused(answer, f"refunding the hold {reference}")
    with transaction.atomic():
        if LedgerTransaction.objects.filter(idempotency_key=settle_key).exists():
            raise AgoraError(
                errors.NOTHING_TO_RELEASE, f"the money held for {reference} was settled already"
            )
        ltx = ledger_post(
            kind=LedgerTransaction.Kind.RELEASE,
            reference=reference,
            idempotency_key=settle_key,
            postings=settle_postings(
                reference=reference,
                seller_ref=seller_ref,
                held_minor=held,
                to_seller_minor=to_seller_minor,
                commission_bps=commission_bps,
                currency=currency,
                provider=provider,
            ),
            seller_id=seller_id,
            metadata={"hold": True, "commission_bps": commission_bps, "refunded_minor": back},
        )
        audit_record(
            actor=actor,
            action="hold.settled",
            target=ltx,
            seller_id=seller_id,
            changes={"reference": reference, "to_seller_minor": to_seller_minor, "back": back},
        )
    return ltx
