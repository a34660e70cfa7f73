"""Helpers shared by the payment use cases: the lock rule, the "no provider call inside a
transaction" guard, status changes with their audit entry."""

from __future__ import annotations

from typing import Any

from django.db import connection

from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import FORBIDDEN, INVALID_TRANSITION, AgoraError
from agora.orders.models import Order
from agora.payments import errors
from agora.payments.models import PaymentIntent
from agora.payments.providers import get_provider
from agora.payments.providers.base import ProviderError

Status = PaymentIntent.Status
PAID = (Status.CAPTURED, Status.PARTIALLY_REFUNDED, Status.REFUNDED)


def outside_transaction(what: str) -> None:
    """Refuses to reach the provider inside a database transaction (DESIGN.md §4): a slow
    provider would hold our locks, and a rollback could not undo the provider's side.

    Transactions opened by Django's test case around a test do not count.
    """
    if any(not block._from_testcase for block in connection.atomic_blocks):
        raise RuntimeError(
            f"{what} calls the payment provider; call it outside transaction.atomic()"
        )


def ask_provider(what: str, provider: str, method: str, **kwargs: Any) -> Any:
    """Calls ``provider.method(**kwargs)`` outside any transaction; a refusal by the provider is
    returned (not raised) so the caller records it in its next step."""
    outside_transaction(what)
    try:
        return getattr(get_provider(provider), method)(**kwargs)
    except ProviderError as exc:
        return exc


# Lock rule for every payments use case: lock the PaymentIntent rows involved, in ascending
# primary key, before reading any balance or refund; a payout locks the Seller row instead.
# Ledger rows are append-only and never locked. Two refunds, a release and a capture of the same
# order therefore queue on the same intent row and see each other's effects.
def lock_intent(intent_id: int) -> PaymentIntent:
    return PaymentIntent.objects.select_for_update().get(pk=intent_id)


def paid_intent_for(order: Order, *, lock: bool) -> PaymentIntent:
    """The captured intent that paid ``order`` (locked when ``lock``); refuses an unpaid order."""
    rows = PaymentIntent.objects.filter(orders=order, status__in=PAID).order_by("pk")
    intent = rows.first()
    if intent is None:
        raise AgoraError(errors.ORDER_NOT_PAID, f"order {order.public_id} has no captured payment")
    return lock_intent(intent.pk) if lock else intent


def require_payer(actor: Actor, intent: PaymentIntent) -> None:
    if actor.kind == "user" and not actor.is_operator and actor.user_id != intent.buyer_id:
        raise AgoraError(FORBIDDEN, f"{actor.label} may not act on payment {intent.public_id}")


def require_system(actor: Actor, what: str) -> None:
    if actor.kind != "system" and not actor.is_operator:
        raise AgoraError(FORBIDDEN, f"{what} is done by the platform, not by {actor.label}")


def set_status(
    intent: PaymentIntent, actor: Actor, status: str, *, allowed: tuple[str, ...], **fields: str
) -> None:
    """Moves a locked intent to ``status`` (only from ``allowed``), saves and audits it."""
    if intent.status not in allowed:
        raise AgoraError(
            INVALID_TRANSITION,
            f"payment {intent.public_id} is {intent.status}; it can become {status} only from "
            f"{', '.join(allowed)}",
        )
    changes = {"status": [intent.status, status]}
    for name, value in fields.items():
        changes[name] = [getattr(intent, name), value]
        setattr(intent, name, value)
    intent.status, intent.updated_at = status, clock.now()
    intent.save(update_fields=["status", "updated_at", *fields])
    audit_record(actor=actor, action=f"payment.{status}", target=intent, changes=changes)


def provider_refused(exc: ProviderError, what: str) -> AgoraError:
    return AgoraError(
        errors.PAYMENT_PROVIDER_REFUSED,
        f"{what}: the provider refused it ({exc.code}): {exc.message}",
        extra={"provider_code": exc.code},
    )
