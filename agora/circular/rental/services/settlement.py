"""Return inspection, the deposit's settlement (once) and damage claims."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from agora.circular.models import (
    DamageClaim,
    RentalBooking,
)
from agora.circular.rental import errors, pricing
from agora.circular.rental.events import (
    RentalClaimDisputed,
    RentalClaimOpened,
    RentalClosed,
)
from agora.circular.rental.services._common import (
    Deposit,
    Status,
    lock_booking,
    money_field,
    move,
    require_renter,
    require_seller,
    settle_hold,
)
from agora.core import clock
from agora.core.actors import Actor, system
from agora.core.audit import audit_record
from agora.core.errors import (
    FORBIDDEN,
    INVALID_TRANSITION,
    AgoraError,
    invalid,
    require_max_length,
)
from agora.core.events import publish
from agora.core.money import Money

MAX_PHOTOS = 10


def _photos(photos: Sequence[str]) -> list[str]:
    items = [p.strip() for p in photos if p and p.strip()]
    if len(items) > MAX_PHOTOS:
        raise invalid("photos", f"{len(items)} photos; at most {MAX_PHOTOS}")
    for n, url in enumerate(items):
        if not url.startswith(("https://", "http://", "/")) or len(url) > 500:
            raise invalid(f"photos[{n}]", "give an http(s) URL or a site path of at most 500 chars")
    return items


def rental_inspect(
    *,
    actor: Actor,
    booking: RentalBooking,
    damage_minor: int = 0,
    description: str = "",
    photos: Sequence[str] = (),
) -> RentalBooking:
    """The seller inspects the returned unit. No damage: the deposit is settled at once (late
    fees kept, the rest released) and the booking closes. Damage: a claim is opened and the
    deposit stays in escrow until the renter accepts it or an operator decides a dispute."""
    require_seller(actor, booking)
    money_field("damage_minor", damage_minor)
    description = (description or "").strip()
    photo_list = _photos(photos)
    if damage_minor and not description:
        raise invalid("description", "say what is damaged when claiming an amount")
    require_max_length("description", description, 2000)
    with transaction.atomic():
        booking = lock_booking(booking)
        move(booking, actor, Status.INSPECTED, allowed=(Status.RETURNED,))
        if damage_minor:
            now = clock.now()
            claim = DamageClaim.objects.create(
                booking=booking,
                amount_minor=damage_minor,
                description=description,
                photos=photo_list,
                created_at=now,
                updated_at=now,
            )
            audit_record(
                actor=actor,
                action="rental.claim_opened",
                target=claim,
                seller_id=booking.seller_id,
                changes={"amount_minor": damage_minor, "description": description},
            )
            publish(
                RentalClaimOpened(
                    claim_id=claim.public_id,
                    booking_id=booking.public_id,
                    amount_minor=damage_minor,
                    currency=booking.currency,
                )
            )
            return booking
    return rental_deposit_settle(actor=actor, booking=booking)


def rental_deposit_settle(
    *, actor: Actor, booking: RentalBooking, damage_minor: int = 0, reason: str = ""
) -> RentalBooking:
    """Settles an inspected booking's money once: the rent, the late fee and ``damage_minor``
    (both taken from the deposit, at most all of it) go to the seller less commission, the rest
    of the deposit back to the renter. A second settlement is ``rental-deposit-settled``."""
    require_seller(actor, booking)
    with transaction.atomic():
        booking = lock_booking(booking)
        deposit = booking.deposit
        if deposit.state not in (Deposit.HELD, Deposit.SETTLING):
            raise AgoraError(
                errors.RENTAL_DEPOSIT_SETTLED,
                f"the deposit of booking {booking.public_id} is already {deposit.state} "
                f"({Money(deposit.kept_minor, deposit.currency)} kept); it cannot be refunded "
                "twice",
            )
        if booking.status != Status.INSPECTED:
            raise AgoraError(
                INVALID_TRANSITION,
                f"booking {booking.public_id} is {booking.status}; the deposit is settled after "
                "the return inspection",
            )
        kept, released = pricing.deposit_split(
            deposit_minor=deposit.amount_minor,
            late_fee_minor=booking.late_fee_minor,
            damage_minor=damage_minor,
        )
        deposit.state = Deposit.SETTLING
        deposit.save(update_fields=["state"])
    settle_hold(actor, booking, to_seller_minor=booking.rent_minor + kept)
    with transaction.atomic():
        booking = lock_booking(booking)
        deposit = booking.deposit
        if deposit.state != Deposit.SETTLING:  # a concurrent settlement finished first
            return booking
        parts = []
        if booking.late_fee_minor:
            parts.append(f"late {booking.late_days} days")
        if damage_minor:
            parts.append(f"damage: {reason}".strip())
        deposit.kept_minor, deposit.kept_reason = kept, "; ".join(parts)[:300]
        deposit.state = (
            Deposit.RELEASED if not kept else Deposit.KEPT if not released else Deposit.PARTLY_KEPT
        )
        deposit.settled_at = clock.now()
        deposit.save(update_fields=["state", "kept_minor", "kept_reason", "settled_at"])
        move(booking, actor, Status.CLOSED, allowed=(Status.INSPECTED,))
        publish(
            RentalClosed(
                booking_id=booking.public_id,
                seller_id=booking.seller.public_id,
                rent_minor=booking.rent_minor,
                kept_minor=kept,
                released_minor=released,
                currency=booking.currency,
            )
        )
    return booking


def _lock_claim(claim: DamageClaim) -> DamageClaim:
    return (
        DamageClaim.objects.select_for_update(of=("self",))
        .select_related("booking")
        .get(pk=claim.pk)
    )


def _claim_status(
    claim: DamageClaim, actor: Actor, status: str, allowed: str, **fields: Any
) -> None:
    if claim.status != allowed:
        raise AgoraError(
            INVALID_TRANSITION,
            f"claim {claim.public_id} is {claim.status}; it can become {status} only when "
            f"{allowed}",
        )
    changes = {"status": [claim.status, status], **{k: [None, v] for k, v in fields.items()}}
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.status, claim.updated_at = status, clock.now()
    claim.save()
    audit_record(
        actor=actor,
        action=f"rental.claim_{status}",
        target=claim,
        seller_id=claim.booking.seller_id,
        changes=changes,
    )


def _settle_system(booking: RentalBooking, damage_minor: int, reason: str) -> RentalBooking:
    return rental_deposit_settle(
        actor=system("rental.claims"), booking=booking, damage_minor=damage_minor, reason=reason
    )


def rental_claim_accept(*, actor: Actor, claim: DamageClaim) -> RentalBooking:
    """The renter accepts the seller's damage claim: the deposit is settled with it."""
    require_renter(actor, claim.booking.renter_id, "accept a claim on another person's rental")
    return settle_claim(actor, claim)


def settle_claim(
    actor: Actor, claim: DamageClaim, *, accepted_by_default: bool = False
) -> RentalBooking:
    """Accepts an open claim (by the renter, or by the sweep when the renter stayed silent past
    the claim window) and settles the deposit with the amount claimed."""
    with transaction.atomic():
        claim = _lock_claim(claim)
        _claim_status(
            claim,
            actor,
            DamageClaim.Status.ACCEPTED,
            DamageClaim.Status.OPEN,
            decided_minor=claim.amount_minor,
            dispute_reason="(no answer within the claim window)" if accepted_by_default else "",
        )
    return _settle_system(claim.booking, claim.amount_minor, claim.description[:200])


def rental_claim_dispute(*, actor: Actor, claim: DamageClaim, reason: str) -> DamageClaim:
    """The renter disputes a damage claim; the deposit stays held until an operator decides."""
    require_renter(actor, claim.booking.renter_id, "dispute a claim on another person's rental")
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", "say why the claim is wrong (the operator reads it)")
    require_max_length("reason", reason, 1000)
    with transaction.atomic():
        claim = _lock_claim(claim)
        _claim_status(
            claim,
            actor,
            DamageClaim.Status.DISPUTED,
            DamageClaim.Status.OPEN,
            dispute_reason=reason,
        )
        publish(RentalClaimDisputed(claim_id=claim.public_id, booking_id=claim.booking.public_id))
    return claim


def rental_claim_resolve(*, actor: Actor, claim: DamageClaim, amount_minor: int) -> RentalBooking:
    """An operator decides a disputed claim: ``amount_minor`` (0 to the amount claimed) is kept
    from the deposit, and the deposit is settled. Upholding records the amount claimed (the
    money kept is capped at the deposit; the claim keeps the rest on record); a reduction must
    not exceed the deposit, since above it the reduction would keep exactly what upholding keeps;
    rejecting is 0 (the deposit goes back, less any late fee)."""
    if not (actor.is_operator or actor.kind == "system"):
        raise AgoraError(FORBIDDEN, f"{actor.label} may not decide disputes; operators do")
    money_field("amount_minor", amount_minor)
    currency = claim.booking.currency
    if amount_minor > claim.amount_minor:
        raise invalid(
            "amount_minor",
            f"{Money(amount_minor, currency)} is more than the "
            f"{Money(claim.amount_minor, currency)} claimed",
        )
    if amount_minor != claim.amount_minor and amount_minor > claim.booking.deposit_minor:
        raise invalid(
            "amount_minor",
            f"{Money(amount_minor, currency)} is more than the "
            f"{Money(claim.booking.deposit_minor, currency)} deposit held; reduce to at most "
            "the deposit or uphold the claim",
        )
    with transaction.atomic():
        claim = _lock_claim(claim)
        _claim_status(
            claim,
            actor,
            DamageClaim.Status.RESOLVED,
            DamageClaim.Status.DISPUTED,
            decided_minor=amount_minor,
        )
    return _settle_system(claim.booking, amount_minor, claim.description[:200])
