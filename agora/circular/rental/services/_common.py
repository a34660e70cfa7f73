"""What the rental use cases share: the lock rule's helpers, state moves with their audit
entry, permission checks and the one call that empties a booking's escrow."""

from __future__ import annotations

from datetime import date
from typing import Any

from agora.catalog.selectors import commission_bps_for
from agora.circular.models import (
    RentalBooking,
    RentalDeposit,
)
from agora.circular.rental import errors
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import (
    FORBIDDEN,
    INVALID_TRANSITION,
    AgoraError,
    FieldError,
    invalid,
)
from agora.marketplace.permissions import require_seller_access
from agora.payments.services.holds import hold_settle, hold_settlement

Status = RentalBooking.Status
Deposit = RentalDeposit.State
OFFER_SCOPE = "catalog:write"
BOOKING_SCOPE = "orders:write"
MAX_MONEY = 10**12


def today() -> date:
    """Rental days are UTC calendar days (the clock's date)."""
    return clock.now().date()


# --- offers and units -------------------------------------------------------------------------
def money_field(name: str, value: Any, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MONEY:
        raise invalid(name, f"{value!r} is not a number of minor units from 0 to {MAX_MONEY}")


def dates_invalid(message: str, field: str = "end_date") -> AgoraError:
    return AgoraError(errors.RENTAL_DATES_INVALID, message, [FieldError(field, message)])


def require_renter(actor: Actor, renter_id: int, what: str) -> None:
    if actor.kind == "system" or actor.is_operator:
        return
    if actor.kind != "user" or actor.user_id != renter_id:
        raise AgoraError(FORBIDDEN, f"{actor.label} may not {what}")


def lock_booking(booking: RentalBooking) -> RentalBooking:
    return (
        RentalBooking.objects.select_for_update(of=("self",))
        .select_related("deposit", "unit", "seller", "offer__product")
        .get(pk=booking.pk)
    )


def move(
    booking: RentalBooking, actor: Actor, status: str, *, allowed: tuple[str, ...], **fields: Any
) -> None:
    """Moves a locked booking to ``status`` (only from ``allowed``), saves and audits it."""
    if booking.status not in allowed:
        raise AgoraError(
            INVALID_TRANSITION,
            f"booking {booking.public_id} is {booking.status}; it can become {status} only from "
            f"{', '.join(allowed)}",
        )
    changes: dict[str, Any] = {"status": [booking.status, status]}
    for name, value in fields.items():
        changes[name] = [str(getattr(booking, name)), str(value)]
        setattr(booking, name, value)
    booking.status, booking.updated_at = status, clock.now()
    booking.save()
    audit_record(
        actor=actor,
        action=f"rental.{status}",
        target=booking,
        seller_id=booking.seller_id,
        changes=changes,
    )


def require_seller(actor: Actor, booking: RentalBooking) -> None:
    require_seller_access(actor, booking.seller, BOOKING_SCOPE)


def settle_hold(actor: Actor, booking: RentalBooking, *, to_seller_minor: int) -> None:
    """Empties the booking's escrow once (a retry after a crash finds it settled and goes on)."""
    if hold_settlement(reference=booking.hold_reference) is not None:
        return
    product = booking.offer.product
    hold_settle(
        actor=actor,
        reference=booking.hold_reference,
        seller_id=booking.seller_id,
        seller_ref=booking.seller.public_id,
        currency=booking.currency,
        to_seller_minor=to_seller_minor,
        commission_bps=commission_bps_for(seller=booking.seller, category=product.category),
    )
