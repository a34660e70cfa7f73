"""The packaging deposit as real money: the buyer opts in at checkout (:func:`packaging_choose`),
the deposit is charged to the card that paid the order as a payments hold named by the choice
(``pkc_…``), and the hold is emptied exactly once: back to the card when the empty package
returns or when the seller shipped without one, to the seller (less commission) when the package
is not returned in time.

Why a hold on the order's card rather than a line of the order: commerce (checkout, orders,
payments) never imports a capability app, and the deposit is not the seller's revenue but money
held for the buyer. The card is the captured intent's provider token
(:func:`agora.payments.selectors.payment_method_for_order`); a card that needs 3-D Secure is
declined for holds, which the order page then says (the order itself stays paid).

Provider calls run outside transactions (DESIGN.md §4): each step reads, asks the provider with
an idempotency key derived from the choice's public id, then records the answer under a row
lock. A crash between the two leaves the choice ``pending`` (charged again with the same key:
the provider answers as before, the ledger posts once) or decided but not ``settled_at`` (the
sweep settles it). ``order.paid`` handlers run inside the outbox's transaction, so the handler
only enqueues :func:`packaging_charge_due` for after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from agora.catalog.selectors import commission_bps_for
from agora.circular.models import PackagingChoice, PackagingType, PackagingUse
from agora.core import clock
from agora.core.actors import Actor, system
from agora.core.audit import audit_record
from agora.core.errors import FORBIDDEN, NOT_FOUND, AgoraError, invalid
from agora.orders.models import Order
from agora.payments.selectors import payment_method_for_order
from agora.payments.services.holds import hold_capture, hold_settle, hold_settlement

logger = logging.getLogger(__name__)
Status = PackagingChoice.Status
PAID_ORDER = (
    Order.Status.PAID,
    Order.Status.PARTIALLY_FULFILLED,
    Order.Status.FULFILLED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
)
GONE_ORDER = (Order.Status.CANCELLED, Order.Status.REFUNDED)
SWEEP_ACTOR = system("circular.packaging_sweep")


def unused_days() -> int:
    """Days after delivery a held deposit waits for a package before it is refunded."""
    return int(getattr(settings, "AGORA_PACKAGING_UNUSED_DAYS", 7))


def return_days() -> int:
    """Days after delivery the buyer has to send the empty package back."""
    return int(getattr(settings, "AGORA_PACKAGING_RETURN_DAYS", 60))


def _lock(choice: PackagingChoice) -> PackagingChoice:
    return (
        PackagingChoice.objects.select_for_update(of=("self",))
        .select_related("seller")
        .get(pk=choice.pk)
    )


def _audit(actor: Actor, choice: PackagingChoice, action: str, **changes: object) -> None:
    audit_record(
        actor=actor,
        action=f"packaging.deposit_{action}",
        target=choice,
        seller_id=choice.seller_id,
        changes={"order": choice.order_public_id, "status": choice.status, **changes},
    )


def packaging_choose(
    *, actor: Actor, order_public_id: str, ptype: PackagingType
) -> PackagingChoice:
    """The buyer asks for ``order_public_id`` to come in ``ptype``'s reusable packaging and
    agrees to its deposit. Charged now when the order is paid, else once it is (``order.paid``).
    Choosing again for the same order returns the first choice (a resent checkout form)."""
    order = Order.objects.filter(public_id=order_public_id).select_related("seller").first()
    if order is None:
        raise AgoraError(NOT_FOUND, f"there is no order {order_public_id}")
    user_other = actor.kind == "user" and not actor.is_operator and actor.user_id != order.buyer_id
    if user_other or (actor.kind == "guest" and order.buyer_id is not None):
        raise AgoraError(FORBIDDEN, f"{actor.label} did not place order {order_public_id}")
    if ptype.seller_id != order.seller_id:
        raise invalid(
            "packaging_type",
            f"{ptype.public_id} is not a packaging type of {order.seller.display_name}",
        )
    if not ptype.active or ptype.deposit_minor <= 0:
        raise invalid("packaging_type", f"{ptype.name} is not offered with a deposit")
    if ptype.currency != order.currency:
        raise invalid(
            "packaging_type",
            f"{ptype.name}'s deposit is in {ptype.currency}, the order in {order.currency}",
        )
    if order.status in GONE_ORDER:
        raise invalid("order", f"order {order_public_id} is {order.status}")
    with transaction.atomic():
        choice, created = PackagingChoice.objects.get_or_create(
            order_public_id=order.public_id,
            defaults={
                "seller_id": order.seller_id,
                "buyer_id": order.buyer_id,
                "type": ptype,
                "deposit_minor": ptype.deposit_minor,
                "currency": ptype.currency,
                "created_at": clock.now(),
            },
        )
        if created:
            _audit(actor, choice, "chosen", deposit_minor=choice.deposit_minor)
    if choice.status == Status.PENDING and order.status in PAID_ORDER:
        choice = packaging_charge(actor=actor, choice=choice)
    return choice


def packaging_charge(*, actor: Actor, choice: PackagingChoice) -> PackagingChoice:
    """Charges a pending choice's deposit to the card that paid its order (once the order is
    paid): ``held``, or ``declined`` with the provider's reason. Safe to repeat."""
    if choice.status != Status.PENDING:
        return choice
    order = Order.objects.filter(public_id=choice.order_public_id).first()
    if order is None or order.status not in PAID_ORDER:
        return choice
    card = payment_method_for_order(choice.order_public_id)
    code, reason = "", ""
    if card is None:
        code, reason = "no_card", "no card paid this order (store credit paid it all)"
    else:
        result = hold_capture(
            actor=actor,
            reference=choice.public_id,
            seller_id=choice.seller_id,
            amount_minor=choice.deposit_minor,
            currency=choice.currency,
            payment_method=card.payment_method,
            provider=card.provider,
        )
        if result.status != "held":
            code, reason = result.code, result.message
    with transaction.atomic():
        locked = _lock(choice)
        if locked.status != Status.PENDING:
            return locked
        if code:
            locked.status = Status.DECLINED
            locked.decline_reason = f"{code}: {reason}"[:300]
            locked.save(update_fields=["status", "decline_reason"])
            _audit(actor, locked, "declined", reason=locked.decline_reason)
        else:
            locked.status, locked.charged_at = Status.HELD, clock.now()
            locked.save(update_fields=["status", "charged_at"])
            _audit(actor, locked, "held", deposit_minor=locked.deposit_minor)
    return locked


def packaging_charge_due(*, limit: int = 200) -> int:
    """Charges the pending deposits whose order is now paid (after ``order.paid``, and from the
    sweep for any whose enqueue was lost); pending choices of cancelled orders are declined.
    Returns how many were charged or declined."""
    done = 0
    pending = list(PackagingChoice.objects.filter(status=Status.PENDING).order_by("pk")[:limit])
    states = dict(
        Order.objects.filter(public_id__in=[c.order_public_id for c in pending]).values_list(
            "public_id", "status"
        )
    )
    for choice in pending:
        state = states.get(choice.order_public_id)
        if state in GONE_ORDER or state is None:
            with transaction.atomic():
                locked = _lock(choice)
                if locked.status == Status.PENDING:
                    locked.status = Status.DECLINED
                    locked.decline_reason = f"order_{state or 'missing'}: nothing was charged"
                    locked.save(update_fields=["status", "decline_reason"])
                    _audit(SWEEP_ACTOR, locked, "declined", reason=locked.decline_reason)
                    done += 1
            continue
        if state in PAID_ORDER:
            try:
                after = packaging_charge(actor=SWEEP_ACTOR, choice=choice)
            except AgoraError as exc:  # one bad row must not stop the others
                logger.warning("packaging deposit %s not charged: %s", choice.public_id, exc)
                continue
            done += after.status != Status.PENDING
    return done


def settle(actor: Actor, choice: PackagingChoice) -> PackagingChoice:
    """Empties the hold of a decided choice (refunded/released: all back to the card; kept: to
    the seller less commission) and records ``settled_at``. A provider refusal is logged and
    left to the sweep (the decision stands)."""
    if choice.settled_at is not None or choice.status not in (
        Status.REFUNDED,
        Status.RELEASED,
        Status.KEPT,
    ):
        return choice
    to_seller = choice.deposit_minor if choice.status == Status.KEPT else 0
    if hold_settlement(reference=choice.public_id) is None:
        try:
            hold_settle(
                actor=actor,
                reference=choice.public_id,
                seller_id=choice.seller_id,
                seller_ref=choice.seller.public_id,
                currency=choice.currency,
                to_seller_minor=to_seller,
                commission_bps=commission_bps_for(seller=choice.seller, category=None),
            )
        except AgoraError as exc:
            if hold_settlement(reference=choice.public_id) is None:
                logger.warning("packaging deposit %s not settled: %s", choice.public_id, exc)
                return choice
    with transaction.atomic():
        locked = _lock(choice)
        if locked.settled_at is None:
            locked.settled_at = clock.now()
            locked.save(update_fields=["settled_at"])
            _audit(actor, locked, "settled", to_seller_minor=to_seller)
    return locked


def _decide(actor: Actor, choice: PackagingChoice, status: str, *, allowed: str) -> bool:
    """Moves a choice from ``allowed`` to ``status`` under its row lock; False when another
    worker moved it first."""
    with transaction.atomic():
        locked = _lock(choice)
        if locked.status != allowed:
            return False
        locked.status, locked.closed_at = status, clock.now()
        locked.save(update_fields=["status", "closed_at"])
        _audit(actor, locked, status)
    return True


@dataclass
class SweepReport:
    charged: int = 0
    released: int = 0
    kept: int = 0
    settled: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "charged": self.charged,
            "released": self.released,
            "kept": self.kept,
            "settled": self.settled,
        }


def packaging_deposit_sweep() -> SweepReport:
    """Daily: charge what ``order.paid`` left pending; refund held deposits no package used
    ``AGORA_PACKAGING_UNUSED_DAYS`` after delivery (or whose order was cancelled); keep the
    deposits of packages not back ``AGORA_PACKAGING_RETURN_DAYS`` after delivery; finish any
    settlement a provider failure interrupted."""
    report = SweepReport(charged=packaging_charge_due())
    now = clock.now()
    held = list(PackagingChoice.objects.filter(status=Status.HELD).select_related("seller"))
    orders = {
        o.public_id: o
        for o in Order.objects.filter(public_id__in=[c.order_public_id for c in held]).only(
            "public_id", "status", "delivered_at"
        )
    }
    unused_before = now - timedelta(days=unused_days())
    for choice in held:
        order = orders.get(choice.order_public_id)
        gone = order is None or order.status in GONE_ORDER
        late = order is not None and order.delivered_at and order.delivered_at <= unused_before
        if (gone or late) and _decide(SWEEP_ACTOR, choice, Status.RELEASED, allowed=Status.HELD):
            report.released += 1
    return_before = now - timedelta(days=return_days())
    overdue = PackagingChoice.objects.filter(
        status=Status.USED,
        use__state=PackagingUse.State.OUT,
        use__delivered_at__lte=return_before,
    )
    for choice in overdue:
        if _decide(SWEEP_ACTOR, choice, Status.KEPT, allowed=Status.USED):
            report.kept += 1
    unsettled = PackagingChoice.objects.filter(
        settled_at__isnull=True, status__in=(Status.REFUNDED, Status.RELEASED, Status.KEPT)
    ).select_related("seller")
    for choice in unsettled:
        if settle(SWEEP_ACTOR, choice).settled_at is not None:
            report.settled += 1
        else:
            report.errors.append(choice.public_id)
    return report
