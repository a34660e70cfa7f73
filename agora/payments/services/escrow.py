"""Money after capture: release an order's escrow to its seller, refund a buyer, pay a seller
out. The amounts come from the pure rules in :mod:`agora.payments.postings`; this module loads,
locks (see the lock rule in :mod:`._common`), calls the rule and saves."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum

from agora.catalog.selectors import commission_bps_for
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import IDEMPOTENCY_KEY_REUSED, AgoraError, invalid
from agora.core.events import publish
from agora.core.ids import new_public_id
from agora.core.money import Money, UnknownCurrency, normalize_currency
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access
from agora.orders.models import Order
from agora.payments import errors
from agora.payments.events import PaymentReleased, PayoutCreated, RefundIssued
from agora.payments.ledger import ledger_post
from agora.payments.models import LedgerTransaction, Payout, Refund
from agora.payments.postings import (
    MAX_BPS,
    PLATFORM_COMMISSION,
    SELLER_PAYABLE,
    AccountKey,
    OrderPosition,
    payout_postings,
    refund_credit_part,
    refund_postings,
    release_postings,
)
from agora.payments.providers.base import ProviderError, ProviderRefund
from agora.payments.selectors import balance, order_position
from agora.payments.services._common import (
    Status,
    ask_provider,
    lock_intent,
    paid_intent_for,
    provider_refused,
    require_system,
)
from agora.payments.services.credit import credit_owner


def _position(order: Order) -> OrderPosition:
    return order_position(
        order_ref=order.public_id, seller_ref=order.seller.public_id, currency=order.currency
    )


# --- release ----------------------------------------------------------------------------------
def escrow_release(
    *, actor: Actor, order: Order, commission_bps: int | None = None
) -> LedgerTransaction:
    """Releases everything held in the order's escrow to the seller, less the platform's
    commission (``commission_bps``, default the seller's rate from catalog). Done by the platform
    when the order is delivered or its return window closes; releasing again returns the first
    release and posts nothing."""
    require_system(actor, "releasing escrow")
    if commission_bps is None:
        commission_bps = commission_bps_for(seller=order.seller, category=None)
    if not 0 <= commission_bps <= MAX_BPS:
        raise invalid("commission_bps", f"{commission_bps} is outside 0..{MAX_BPS}")
    with transaction.atomic():
        paid_intent_for(order, lock=True)
        earlier = LedgerTransaction.objects.filter(
            reference=order.public_id, kind=LedgerTransaction.Kind.RELEASE
        ).first()
        if earlier is not None:
            return earlier
        position = _position(order)
        if position.escrow_minor <= 0:
            raise AgoraError(
                errors.NOTHING_TO_RELEASE, f"order {order.public_id} has nothing left in escrow"
            )
        postings = release_postings(
            order_ref=order.public_id,
            seller_ref=order.seller.public_id,
            escrow_minor=position.escrow_minor,
            commission_bps=commission_bps,
            currency=order.currency,
        )
        ltx = ledger_post(
            kind=LedgerTransaction.Kind.RELEASE,
            reference=order.public_id,
            idempotency_key=f"release:{order.public_id}",
            postings=postings,
            seller_id=order.seller_id,
            metadata={"commission_bps": commission_bps},
        )
        commission = sum(p.amount_minor for p in postings if p.account.kind == PLATFORM_COMMISSION)
        audit_record(
            actor=actor,
            action="escrow.released",
            target=ltx,
            seller_id=order.seller_id,
            changes={"order": order.public_id, "gross_minor": position.escrow_minor},
        )
        publish(
            PaymentReleased(
                order_id=order.public_id,
                seller_id=order.seller.public_id,
                gross_minor=position.escrow_minor,
                commission_minor=commission,
                seller_amount_minor=position.escrow_minor - commission,
                currency=order.currency,
            )
        )
    return ltx


# --- refunds ----------------------------------------------------------------------------------
def _reserved(order: Order, *, excluding: int | None = None) -> tuple[int, int]:
    """Refunds of the order in progress: (all of them, the part going back to the card)."""
    pending = Refund.objects.filter(order=order, status=Refund.Status.PENDING).exclude(pk=excluding)
    sums = pending.aggregate(total=Sum("amount_minor"), credit=Sum("credit_minor"))
    total = sums["total"] or 0
    return total, total - (sums["credit"] or 0)


def _refund_start(
    actor: Actor, order: Order, amount_minor: int, reason: str, idempotency_key: str
) -> Refund:
    """Step 1: checks the amount against what is still refundable (captured - refunded -
    refunds in progress) under the intent's lock and reserves it as a pending refund."""
    with transaction.atomic():
        existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.order_id != order.pk or existing.amount_minor != amount_minor:
                raise AgoraError(
                    IDEMPOTENCY_KEY_REUSED,
                    f"idempotency key {idempotency_key!r} already refunded another amount or order",
                )
            return existing
        intent = paid_intent_for(order, lock=True)
        position = _position(order)
        reserved, card_reserved = _reserved(order)
        left = position.refundable_minor - reserved
        if amount_minor > left:
            raise AgoraError(
                errors.REFUND_EXCEEDS_PAID,
                f"order {order.public_id}: a refund of {Money(amount_minor, order.currency)} is "
                f"more than the {Money(max(left, 0), order.currency)} still refundable (paid "
                f"{Money(position.captured_minor, order.currency)}, refunded or in progress "
                f"{Money(position.captured_minor - left, order.currency)})",
            )
        now = clock.now()
        refund = Refund.objects.create(
            intent=intent,
            order=order,
            amount_minor=amount_minor,
            credit_minor=refund_credit_part(position, amount_minor, card_reserved),
            currency=order.currency,
            reason=reason,
            idempotency_key=idempotency_key,
            created_at=now,
            updated_at=now,
        )
        audit_record(
            actor=actor,
            action="refund.requested",
            target=refund,
            seller_id=order.seller_id,
            changes={"order": order.public_id, "amount_minor": amount_minor, "reason": reason},
        )
    return refund


def ask_refund(refund: Refund) -> ProviderRefund | ProviderError:
    """Step 2: the provider call for the card's part, keyed by our refund's public id so a retry
    never refunds twice; a refund wholly to store credit asks no one."""
    card_minor = refund.amount_minor - refund.credit_minor
    if not card_minor:
        return ProviderRefund(provider_ref="", charge_ref="", amount_minor=0)
    return ask_provider(
        "refund_issue",
        refund.intent.provider,
        "refund",
        provider_ref=refund.intent.provider_ref,
        amount_minor=card_minor,
        idempotency_key=refund.public_id,
    )


def record_refund(refund: Refund, actor: Actor, answer: ProviderRefund | ProviderError) -> Refund:
    """Step 3: a succeeded refund leaves escrow (or the released part) by the pure rule; a
    refused one frees its reservation."""
    with transaction.atomic():
        intent = lock_intent(refund.intent_id)
        refund = Refund.objects.select_related("order__seller").get(pk=refund.pk)
        if refund.status != Refund.Status.PENDING:
            return refund
        order, now = refund.order, clock.now()
        if isinstance(answer, ProviderError):
            refund.status, refund.failure_reason = Refund.Status.FAILED, answer.message[:300]
            refund.updated_at = now
            refund.save(update_fields=["status", "failure_reason", "updated_at"])
            audit_record(
                actor=actor, action="refund.failed", target=refund, seller_id=order.seller_id
            )
            return refund
        ledger_post(
            kind=LedgerTransaction.Kind.REFUND,
            reference=order.public_id,
            idempotency_key=f"refund:{refund.public_id}",
            postings=refund_postings(
                position=_position(order),
                amount_minor=refund.amount_minor,
                provider=intent.provider,
                credit_minor=refund.credit_minor,
                buyer_ref=credit_owner(intent) if refund.credit_minor else "",
            ),
            seller_id=order.seller_id,
            memo=refund.reason,
        )
        refund.status, refund.provider_ref = Refund.Status.SUCCEEDED, answer.provider_ref
        refund.updated_at = now
        refund.save(update_fields=["status", "provider_ref", "updated_at"])
        audit_record(actor=actor, action="refund.issued", target=refund, seller_id=order.seller_id)
        refunded = Refund.objects.filter(intent=intent, status=Refund.Status.SUCCEEDED).aggregate(
            total=Sum("amount_minor")
        )["total"]
        new_status = (
            Status.REFUNDED if refunded >= intent.amount_minor else Status.PARTIALLY_REFUNDED
        )
        if intent.status != new_status:
            intent.status, intent.updated_at = new_status, now
            intent.save(update_fields=["status", "updated_at"])
        publish(
            RefundIssued(
                refund_id=refund.public_id,
                order_id=order.public_id,
                payment_id=intent.public_id,
                amount_minor=refund.amount_minor,
                currency=refund.currency,
                reason=refund.reason,
            )
        )
    return refund


def refund_issue(
    *, actor: Actor, order: Order, amount_minor: int, reason: str, idempotency_key: str
) -> Refund:
    """Returns ``amount_minor`` of what the buyer paid for ``order``. Refuses more than was paid
    less what was refunded or is being refunded; a retry with the same key returns the same
    refund (finishing it if a crash interrupted it) and never refunds twice."""
    require_seller_access(actor, order.seller, "orders:write")
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise invalid("amount_minor", f"{amount_minor!r} is not a positive number of minor units")
    if not idempotency_key or len(idempotency_key) > 150:
        raise invalid("idempotency_key", "give a key of 1 to 150 characters")
    refund = _refund_start(
        actor, order, amount_minor, (reason or "").strip()[:300], idempotency_key
    )
    if refund.status != Refund.Status.PENDING:
        return refund
    refund = record_refund(refund, actor, ask_refund(refund))
    if refund.status == Refund.Status.FAILED:
        raise provider_refused(ProviderError("refund_failed", refund.failure_reason), "refund")
    return refund


# --- payouts ----------------------------------------------------------------------------------
def payout_create(
    *, actor: Actor, seller: Seller, currency: str, idempotency_key: str = ""
) -> Payout:
    """Moves the seller's whole positive payable balance in ``currency`` to "paid out"."""
    require_seller_access(actor, seller, "sellers:write")
    try:  # an unknown code is the caller's mistake, named as such (found by scripts/api-fuzz)
        currency = normalize_currency(currency)
    except UnknownCurrency as exc:
        raise invalid("currency", str(exc)) from None
    with transaction.atomic():
        Seller.objects.select_for_update().filter(pk=seller.pk).first()  # the payout lock
        if idempotency_key:
            existing = Payout.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        payable = balance(AccountKey(SELLER_PAYABLE, seller.public_id, currency))
        if payable <= 0:
            raise AgoraError(
                errors.NOTHING_TO_PAY_OUT,
                f"seller {seller.public_id} has {Money(payable, currency)} payable; nothing to pay",
            )
        public_id = new_public_id("po")
        payout = Payout.objects.create(
            public_id=public_id,
            seller=seller,
            amount_minor=payable,
            currency=currency,
            idempotency_key=idempotency_key or public_id,
            created_at=clock.now(),
        )
        ledger_post(
            kind=LedgerTransaction.Kind.PAYOUT,
            reference=payout.public_id,
            idempotency_key=f"payout:{payout.public_id}",
            postings=payout_postings(
                seller_ref=seller.public_id, payable_minor=payable, currency=currency
            ),
            seller_id=seller.pk,
        )
        audit_record(
            actor=actor,
            action="payout.created",
            target=payout,
            seller_id=seller.pk,
            changes={"amount_minor": payable, "currency": currency},
        )
        publish(
            PayoutCreated(
                payout_id=payout.public_id,
                seller_id=seller.public_id,
                amount_minor=payable,
                currency=currency,
            )
        )
    return payout
