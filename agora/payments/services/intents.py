"""Paying for orders: create an intent, authorize it (with 3-D Secure when asked), capture it
into escrow, or cancel it.

Every step that reaches the provider is three short steps (DESIGN.md §4): record the state we are
entering (``authorizing``, ``capturing``) in a transaction; call the provider outside any
transaction with the intent's idempotency key; record its answer in a new transaction. A crash
between them leaves the intent in ``authorizing``/``capturing``, and
:func:`agora.payments.reconcile.payments_reconcile` asks the provider again with the same key.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import transaction

from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import IDEMPOTENCY_KEY_REUSED, INVALID_TRANSITION, AgoraError, invalid
from agora.core.events import publish
from agora.core.money import Money, MoneyError, normalize_currency
from agora.orders.models import Order
from agora.payments import errors
from agora.payments.events import PaymentCaptured, PaymentFailed
from agora.payments.ledger import ledger_post
from agora.payments.models import LedgerTransaction, PaymentIntent
from agora.payments.postings import capture_postings, credit_split
from agora.payments.providers import configured, get_provider
from agora.payments.providers.base import Authorization, Capture, ProviderError
from agora.payments.services._common import (
    PAID,
    Status,
    ask_provider,
    lock_intent,
    outside_transaction,
    provider_refused,
    require_payer,
    set_status,
)
from agora.payments.services.credit import credit_hold, credit_release


def _order_ids(intent: PaymentIntent) -> list[str]:
    return list(intent.orders.order_by("pk").values_list("public_id", flat=True))


def payment_intent_create(
    *,
    actor: Actor,
    orders: Sequence[Order],
    payment_method: str,
    idempotency_key: str,
    provider: str = "test",
    buyer_id: int | None = None,
    checkout_ref: str = "",
    return_url: str = "",
    credit_minor: int = 0,
) -> PaymentIntent:
    """Our record of one payment for ``orders`` (one currency; the amount is their total).
    Creating again with the same key returns the first intent; other orders with it are refused.

    ``credit_minor`` of the total is paid with the buyer's store credit: it is set aside now, in
    this transaction (refused when the buyer has less), and the provider is asked only for the
    rest; when credit pays everything the provider is not asked at all."""
    if not orders:
        raise invalid("orders", "a payment pays at least one order")
    if not idempotency_key or len(idempotency_key) > 150:
        raise invalid("idempotency_key", "give a key of 1 to 150 characters")
    if provider not in configured():
        raise invalid("provider", f"{provider!r} is not one of {sorted(configured())}")
    if not payment_method or len(payment_method) > 64:
        raise invalid("payment_method", "give the provider's card token (1 to 64 characters)")
    try:
        currency = normalize_currency(orders[0].currency)
    except MoneyError as exc:
        raise invalid("orders", str(exc)) from exc
    if any(o.currency != currency for o in orders):
        raise invalid("orders", f"all orders of one payment must be in {currency}")
    if any(o.total_minor <= 0 for o in orders):
        raise invalid("orders", "every order must have a positive total")
    amount = sum(o.total_minor for o in orders)
    if isinstance(credit_minor, bool) or not isinstance(credit_minor, int) or credit_minor < 0:
        raise invalid("store_credit_minor", f"{credit_minor!r} is not a number of minor units")
    if credit_minor > amount:
        raise invalid(
            "store_credit_minor",
            f"{Money(credit_minor, currency)} is more than the total {Money(amount, currency)}",
        )
    if credit_minor and buyer_id is None:
        raise invalid("store_credit_minor", "store credit is spent by a signed-in buyer")
    with transaction.atomic():
        existing = PaymentIntent.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if sorted(_order_ids(existing)) != sorted(o.public_id for o in orders):
                raise AgoraError(
                    IDEMPOTENCY_KEY_REUSED,
                    f"idempotency key {idempotency_key!r} already paid for other orders",
                )
            return existing
        now = clock.now()
        intent = PaymentIntent.objects.create(
            checkout_ref=checkout_ref,
            buyer_id=buyer_id,
            amount_minor=amount,
            credit_minor=credit_minor,
            currency=currency,
            provider=provider,
            payment_method=payment_method,
            return_url=return_url,
            idempotency_key=idempotency_key,
            created_at=now,
            updated_at=now,
        )
        intent.orders.set(sorted(orders, key=lambda o: o.pk))
        if credit_minor:
            users = get_user_model().objects
            buyer_ref = users.values_list("public_id", flat=True).get(pk=buyer_id)
            credit_hold(intent=intent, buyer_ref=buyer_ref)
        audit_record(
            actor=actor,
            action="payment.created",
            target=intent,
            changes={
                "amount_minor": amount,
                "credit_minor": credit_minor,
                "currency": currency,
                "orders": _order_ids(intent),
            },
        )
    return intent


# --- authorize --------------------------------------------------------------------------------
def ask_authorize(intent: PaymentIntent) -> Authorization | ProviderError:
    if not intent.charge_minor:  # store credit pays it all: it is held already
        return Authorization(status="authorized", provider_ref=f"credit:{intent.public_id}")
    return ask_provider(
        "payment_authorize",
        intent.provider,
        "authorize",
        amount_minor=intent.charge_minor,
        currency=intent.currency,
        payment_method=intent.payment_method,
        idempotency_key=f"{intent.idempotency_key}:authorize",
        return_url=intent.return_url,
    )


def record_authorization(
    intent: PaymentIntent, actor: Actor, answer: Authorization | ProviderError, *, step: str
) -> PaymentIntent:
    """Step 3 of authorize and of the 3-D Secure confirmation: the provider's answer, recorded
    once (a second recording of the same step finds the intent moved on and does nothing)."""
    with transaction.atomic():
        intent = lock_intent(intent.pk)
        if intent.status != step:
            return intent
        allowed = (step,)
        if isinstance(answer, ProviderError):
            _fail(intent, actor, answer.code, answer.message, allowed)
        elif answer.status == "declined":
            _fail(intent, actor, answer.decline_code, answer.message, allowed)
        elif answer.status == "requires_action":
            set_status(
                intent,
                actor,
                Status.REQUIRES_ACTION,
                allowed=allowed,
                provider_ref=answer.provider_ref,
                challenge_ref=answer.challenge_ref,
            )
        else:
            set_status(
                intent, actor, Status.AUTHORIZED, allowed=allowed, provider_ref=answer.provider_ref
            )
    return intent


def _fail(intent: PaymentIntent, actor: Actor, code: str, reason: str, allowed: tuple) -> None:
    set_status(
        intent,
        actor,
        Status.FAILED,
        allowed=allowed,
        failure_code=code[:64],
        failure_reason=reason[:300],
    )
    credit_release(intent=intent)
    publish(PaymentFailed(payment_id=intent.public_id, order_ids=_order_ids(intent), code=code))


def payment_authorize(*, actor: Actor, intent: PaymentIntent) -> PaymentIntent:
    """Asks the provider to authorize the intent's amount. The answer may be ``authorized``,
    ``requires_action`` (send the buyer to ``challenge_ref``'s 3-D Secure page) or ``failed``
    (declined: ``failure_code`` says why, nothing is charged and nothing enters the ledger).
    Calling it again is safe: it continues or returns where the intent stands."""
    require_payer(actor, intent)
    with transaction.atomic():
        intent = lock_intent(intent.pk)
        if intent.status == Status.REQUIRES_PAYMENT:
            set_status(intent, actor, Status.AUTHORIZING, allowed=(Status.REQUIRES_PAYMENT,))
        elif intent.status != Status.AUTHORIZING:
            return intent
    return record_authorization(intent, actor, ask_authorize(intent), step=Status.AUTHORIZING)


def payment_confirm_3ds(*, actor: Actor, intent: PaymentIntent, succeeded: bool) -> PaymentIntent:
    """Completes a 3-D Secure challenge (the provider's redirect comes back to us with its
    outcome): the intent becomes ``authorized``, or ``failed`` with ``authentication_failed``."""
    require_payer(actor, intent)
    intent.refresh_from_db()
    if intent.status != Status.REQUIRES_ACTION:
        raise AgoraError(
            INVALID_TRANSITION,
            f"payment {intent.public_id} is {intent.status}, not waiting for 3-D Secure",
        )
    answer = ask_provider(
        "payment_confirm_3ds",
        intent.provider,
        "confirm_challenge",
        provider_ref=intent.provider_ref,
        challenge_ref=intent.challenge_ref,
        succeeded=succeeded,
        idempotency_key=f"{intent.idempotency_key}:3ds",
    )
    return record_authorization(intent, actor, answer, step=Status.REQUIRES_ACTION)


# --- capture ----------------------------------------------------------------------------------
def ask_capture(intent: PaymentIntent) -> Capture | ProviderError:
    if not intent.charge_minor:
        return Capture(succeeded=True, provider_ref=intent.provider_ref, amount_minor=0)
    return ask_provider(
        "payment_capture",
        intent.provider,
        "capture",
        provider_ref=intent.provider_ref,
        amount_minor=intent.charge_minor,
        idempotency_key=f"{intent.idempotency_key}:capture",
    )


def record_capture(
    intent: PaymentIntent, actor: Actor, answer: Capture | ProviderError
) -> PaymentIntent:
    """Step 3 of capture: on success each order's amount enters its escrow account (one ledger
    transaction per order, keyed ``capture:<order>``, so it is posted once however often this
    runs), from the provider and from the credit hold as :func:`credit_split` shares the credit;
    on failure the intent fails and checkout compensates on ``payment.failed``."""
    with transaction.atomic():
        intent = lock_intent(intent.pk)
        if intent.status != Status.CAPTURING:
            return intent
        if isinstance(answer, ProviderError) or not answer.succeeded:
            code = answer.code if isinstance(answer, ProviderError) else answer.failure_code
            _fail(intent, actor, code, getattr(answer, "message", "") or code, (Status.CAPTURING,))
            return intent
        orders = list(intent.orders.order_by("pk"))
        credits = credit_split(
            intent.amount_minor, intent.credit_minor, [o.total_minor for o in orders]
        )
        for order, credit in zip(orders, credits, strict=True):
            ledger_post(
                kind=LedgerTransaction.Kind.CAPTURE,
                reference=order.public_id,
                idempotency_key=f"capture:{order.public_id}",
                postings=capture_postings(
                    order_ref=order.public_id,
                    amount_minor=order.total_minor,
                    currency=intent.currency,
                    provider=intent.provider,
                    credit_minor=credit,
                    payment_ref=intent.public_id,
                ),
                seller_id=order.seller_id,
                memo=f"payment {intent.public_id}",
                metadata={"credit_minor": credit} if credit else None,
            )
        set_status(intent, actor, Status.CAPTURED, allowed=(Status.CAPTURING,))
        publish(
            PaymentCaptured(
                payment_id=intent.public_id,
                order_ids=_order_ids(intent),
                amount_minor=intent.amount_minor,
                currency=intent.currency,
            )
        )
    return intent


def payment_capture(*, actor: Actor, intent: PaymentIntent) -> PaymentIntent:
    """Takes the authorized money and holds it in escrow, per order. A second capture of a
    captured payment is refused (nothing is posted twice; a crash between the provider's answer
    and our record is resumed by the reconcile sweep with the same key, not by capturing again);
    an order already paid by another intent is refused before the provider is asked."""
    require_payer(actor, intent)
    with transaction.atomic():
        intent = lock_intent(intent.pk)
        if intent.status in PAID:
            raise AgoraError(
                errors.ALREADY_CAPTURED,
                f"payment {intent.public_id} is already {intent.status}; "
                "it cannot be captured again",
            )
        if intent.status == Status.AUTHORIZED:
            paid_elsewhere = (
                PaymentIntent.objects.filter(
                    orders__in=intent.orders.all(), status__in=(Status.CAPTURING, *PAID)
                )
                .exclude(pk=intent.pk)
                .values_list("public_id", flat=True)
                .first()
            )
            if paid_elsewhere:
                raise AgoraError(
                    errors.PAYMENT_PROVIDER_REFUSED,
                    f"an order of payment {intent.public_id} is already paid by {paid_elsewhere}",
                )
        set_status(
            intent,
            actor,
            Status.CAPTURING,
            allowed=(Status.AUTHORIZED, Status.CAPTURING),
        )
    return record_capture(intent, actor, ask_capture(intent))


def payment_cancel(*, actor: Actor, intent: PaymentIntent, reason: str = "") -> PaymentIntent:
    """Voids a payment that was not captured (checkout's compensation, an abandoned 3-D Secure
    challenge). A captured payment is refunded instead."""
    require_payer(actor, intent)
    cancellable = (Status.REQUIRES_PAYMENT, Status.REQUIRES_ACTION, Status.AUTHORIZED)
    intent.refresh_from_db()
    if intent.status == Status.CANCELLED:
        return intent
    if intent.status not in cancellable:
        raise AgoraError(
            INVALID_TRANSITION,
            f"payment {intent.public_id} is {intent.status}; only {', '.join(cancellable)} "
            "can be cancelled",
        )
    if intent.provider_ref and intent.charge_minor:
        outside_transaction("payment_cancel")
        try:
            get_provider(intent.provider).cancel(
                provider_ref=intent.provider_ref, idempotency_key=f"{intent.idempotency_key}:cancel"
            )
        except ProviderError as exc:
            raise provider_refused(exc, f"cancelling payment {intent.public_id}") from exc
    with transaction.atomic():
        intent = lock_intent(intent.pk)
        set_status(
            intent, actor, Status.CANCELLED, allowed=cancellable, failure_reason=reason[:300]
        )
        credit_release(intent=intent)
        publish(
            PaymentFailed(
                payment_id=intent.public_id, order_ids=_order_ids(intent), code="cancelled"
            )
        )
    return intent
