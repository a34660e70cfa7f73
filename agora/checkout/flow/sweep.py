"""The scheduled sweep that finishes or undoes every checkout a crash or a silent buyer left
half-way (DESIGN.md §4). It runs every minute (``checkout.sweep`` in ``apps.py``):

- ``started``/``orders_placed`` older than ``AGORA_CHECKOUT_STUCK_MINUTES``: the buyer's request
  died before the provider was asked; nothing was charged, so it is compensated;
- ``authorizing`` that old: the provider may have answered without us recording it; it is
  asked again with the same idempotency key (payments' own step 3), and the checkout resumes
  from the answer (paid, waiting for 3-D Secure, or compensated);
- ``requires_action`` older than ``AGORA_CHECKOUT_3DS_MINUTES``: the challenge is abandoned,
  the intent cancelled and the checkout compensated;
- ``refunding``: once the refunds are recorded on the orders, the orders are cancelled.

One checkout's failure is logged and does not stop the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings

from agora.checkout.flow.pay import ACTOR, advance, checkout_compensate
from agora.checkout.models import Checkout
from agora.core import clock
from agora.orders.models import Order
from agora.orders.services import order_cancel
from agora.payments.models import PaymentIntent
from agora.payments.services.intents import ask_authorize, record_authorization

logger = logging.getLogger(__name__)
State = Checkout.State
STUCK_MINUTES = 5
THREE_DS_MINUTES = 15


@dataclass
class SweepReport:
    resumed: int = 0
    compensated: int = 0
    refunded: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "resumed": self.resumed,
            "compensated": self.compensated,
            "refunded": self.refunded,
            "errors": self.errors,
        }


def checkouts_sweep(*, batch: int = 200) -> SweepReport:
    """Resumes or compensates stuck checkouts (see the module doc); returns what it did."""
    now = clock.now()
    stuck = now - timedelta(
        minutes=getattr(settings, "AGORA_CHECKOUT_STUCK_MINUTES", STUCK_MINUTES)
    )
    action = now - timedelta(
        minutes=getattr(settings, "AGORA_CHECKOUT_3DS_MINUTES", THREE_DS_MINUTES)
    )
    report = SweepReport()
    rows = Checkout.objects.select_related("payment").order_by("pk")
    for checkout in rows.filter(
        state__in=(State.STARTED, State.ORDERS_PLACED), updated_at__lt=stuck
    )[:batch]:
        _one(report, checkout, _abandon)
    for checkout in rows.filter(state=State.AUTHORIZING, updated_at__lt=stuck)[:batch]:
        _one(report, checkout, _resume)
    for checkout in rows.filter(state=State.REQUIRES_ACTION, updated_at__lt=action)[:batch]:
        _one(report, checkout, _abandon)
    for checkout in rows.filter(state=State.REFUNDING)[:batch]:
        _one(report, checkout, _close_refunded)
    return report


def _one(report: SweepReport, checkout: Checkout, step) -> None:  # type: ignore[no-untyped-def]
    try:
        outcome = step(checkout)
    except Exception as exc:  # one stuck checkout must not stop the sweep of the others
        logger.exception("checkouts_sweep: %s failed", checkout.public_id)
        report.errors.append(f"{checkout.public_id}: {exc}")
        return
    if outcome == State.PAID or outcome == State.REQUIRES_ACTION:
        report.resumed += 1
    elif outcome in (State.FAILED, State.COMPENSATED):
        report.compensated += 1
    elif outcome == "refunded":
        report.refunded += 1


def _abandon(checkout: Checkout) -> str:
    done = checkout_compensate(
        checkout=checkout,
        state=State.COMPENSATED,
        code="abandoned",
        reason=f"checkout left {checkout.state} since {checkout.updated_at:%Y-%m-%d %H:%M} UTC",
    )
    return done.state


def _resume(checkout: Checkout) -> str:
    intent = checkout.payment
    if intent is None:
        return _abandon(checkout)
    intent.refresh_from_db()
    if intent.status == PaymentIntent.Status.AUTHORIZING:  # ask again, same key
        intent = record_authorization(
            intent, ACTOR, ask_authorize(intent), step=PaymentIntent.Status.AUTHORIZING
        )
    elif intent.status == PaymentIntent.Status.REQUIRES_PAYMENT:
        return _abandon(checkout)  # the provider was never asked
    return advance(checkout, intent).state


def _close_refunded(checkout: Checkout) -> str:
    orders = list(Order.objects.filter(checkout_ref=checkout.public_id))
    for order in orders:
        if order.status == Order.Status.PAID and order.refunded_minor == order.total_minor:
            order_cancel(actor=ACTOR, order=order, reason="refunded: out of stock after payment")
    if all(
        o.status == Order.Status.CANCELLED
        for o in Order.objects.filter(checkout_ref=checkout.public_id)
    ):
        Checkout.objects.filter(pk=checkout.pk, state=State.REFUNDING).update(
            state=State.FAILED, updated_at=clock.now()
        )
        return "refunded"
    return State.REFUNDING
