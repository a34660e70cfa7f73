"""The sweep that finishes payment flows a crash or a time-out left half-way.

An intent in ``authorizing`` or ``capturing``, or a refund ``pending``, for longer than
``AGORA_PAYMENT_STUCK_MINUTES`` means a process died between asking the provider and recording
its answer (or the provider timed out). Asking again with the same idempotency key is safe: the
provider returns the answer it gave the first time (or performs the call now if it never got
it), and the answer is recorded as usual. So money is never charged without our record of it.
A 3-D Secure challenge left open longer than ``AGORA_PAYMENT_ACTION_MINUTES`` is cancelled, so
checkout can release the goods.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings

from agora.core import clock
from agora.core.actors import system
from agora.payments.models import PaymentIntent, Refund
from agora.payments.services.escrow import ask_refund, record_refund
from agora.payments.services.intents import (
    ask_authorize,
    ask_capture,
    payment_cancel,
    record_authorization,
    record_capture,
)

logger = logging.getLogger(__name__)
ACTOR = system("payments.reconcile")
Status = PaymentIntent.Status
STUCK_MINUTES = 5  # defaults; settings may override
ACTION_MINUTES = 60


@dataclass
class ReconcileReport:
    authorized: int = 0
    captured: int = 0
    refunded: int = 0
    expired: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "authorized": self.authorized,
            "captured": self.captured,
            "refunded": self.refunded,
            "expired": self.expired,
            "errors": self.errors,
        }


def _settled(report: ReconcileReport, what: str, public_id: str, step) -> None:  # type: ignore[no-untyped-def]
    try:
        step()
        setattr(report, what, getattr(report, what) + 1)
    except Exception as exc:  # one stuck payment must not stop the sweep of the others
        logger.exception("payments_reconcile: %s failed", public_id)
        report.errors.append(f"{public_id}: {exc}")


def payments_reconcile(*, stuck_minutes: int | None = None) -> ReconcileReport:
    """Resolves every stuck intent and refund by asking the provider again (see module doc)."""
    if stuck_minutes is None:
        stuck_minutes = getattr(settings, "AGORA_PAYMENT_STUCK_MINUTES", STUCK_MINUTES)
    minutes = stuck_minutes
    cutoff = clock.now() - timedelta(minutes=minutes)
    report = ReconcileReport()
    stuck = PaymentIntent.objects.filter(updated_at__lt=cutoff).order_by("pk")
    for intent in stuck.filter(status=Status.AUTHORIZING):
        _settled(
            report,
            "authorized",
            intent.public_id,
            lambda i=intent: record_authorization(
                i, ACTOR, ask_authorize(i), step=Status.AUTHORIZING
            ),
        )
    for intent in stuck.filter(status=Status.CAPTURING):
        _settled(
            report,
            "captured",
            intent.public_id,
            lambda i=intent: record_capture(i, ACTOR, ask_capture(i)),
        )
    pending = Refund.objects.filter(status=Refund.Status.PENDING, updated_at__lt=cutoff)
    for refund in pending.select_related("intent").order_by("pk"):
        _settled(
            report,
            "refunded",
            refund.public_id,
            lambda r=refund: record_refund(r, ACTOR, ask_refund(r)),
        )
    action_minutes = getattr(settings, "AGORA_PAYMENT_ACTION_MINUTES", ACTION_MINUTES)
    action_cutoff = clock.now() - timedelta(minutes=action_minutes)
    waiting = PaymentIntent.objects.filter(
        status=Status.REQUIRES_ACTION, updated_at__lt=action_cutoff
    )
    for intent in waiting.order_by("pk"):
        _settled(
            report,
            "expired",
            intent.public_id,
            lambda i=intent: payment_cancel(actor=ACTOR, intent=i, reason="3-D Secure timed out"),
        )
    return report
