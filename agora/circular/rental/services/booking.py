"""Quotes, booking (the double-booking guarantee), cancelling, hand-over and return."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from agora.circular.models import (
    RentalBooking,
    RentalDay,
    RentalDeposit,
    RentalOffer,
    RentalUnit,
)
from agora.circular.rental import errors, pricing
from agora.circular.rental.events import (
    RentalBooked,
    RentalCancelled,
    RentalReturned,
)
from agora.circular.rental.services._common import (
    Deposit,
    Status,
    dates_invalid,
    lock_booking,
    move,
    require_renter,
    require_seller,
    settle_hold,
    today,
)
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import (
    INVALID_TRANSITION,
    AgoraError,
    FieldError,
    invalid,
    require_max_length,
)
from agora.core.events import publish
from agora.payments.services.holds import hold_capture


def rental_quote(*, offer: RentalOffer, start: date, end: date) -> pricing.Quote:
    """The price of ``[start, end)`` (rent by the months-then-days rule, plus the deposit),
    refusing dates the offer does not allow."""
    if end <= start:
        raise dates_invalid(
            f"the end date {end.isoformat()} must be after the start date {start.isoformat()} "
            "(the end date is the day the unit is due back)"
        )
    if start < today():
        raise dates_invalid(
            f"the start date {start.isoformat()} is in the past (today is {today().isoformat()})",
            "start_date",
        )
    days = (end - start).days
    if not offer.min_days <= days <= offer.max_days:
        raise dates_invalid(
            f"{days} days is outside this offer's {offer.min_days} to {offer.max_days} days"
        )
    return pricing.quote(
        start=start,
        end=end,
        per_day_minor=offer.price_per_day_minor,
        per_month_minor=offer.price_per_month_minor,
        deposit_minor=offer.deposit_minor,
    )


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days)]


def _clash(unit: RentalUnit, start: date, end: date) -> list[date]:
    return list(
        RentalDay.objects.filter(unit=unit, day__gte=start, day__lt=end)
        .order_by("day")
        .values_list("day", flat=True)
    )


def _precheck(unit: RentalUnit, start: date, end: date) -> None:
    """Unlocked: most clashes get their answer here without a write; the UNIQUE key decides
    the races that slip past it."""
    clashing = _clash(unit, start, end)
    if clashing:
        raise _overlap_error(unit, clashing)


def _overlap_error(unit: RentalUnit, clashing: Sequence[date]) -> AgoraError:
    shown = ", ".join(d.isoformat() for d in clashing[:10])
    more = f" and {len(clashing) - 10} more" if len(clashing) > 10 else ""
    return AgoraError(
        errors.RENTAL_DATES_UNAVAILABLE,
        f"unit {unit.label!r} ({unit.public_id}) is already booked on {shown}{more}",
        [FieldError("start_date", "the unit is booked on some of these days")],
        extra={"unit": unit.public_id, "clashing_days": [d.isoformat() for d in clashing]},
    )


def rental_book(
    *,
    actor: Actor,
    unit: RentalUnit,
    renter: Any,
    start: date,
    end: date,
    payment_method: str,
) -> RentalBooking:
    """Books ``unit`` for ``[start, end)`` and charges the rent plus deposit into escrow.

    Step 1 (one transaction) writes the booking, its deposit and one :class:`RentalDay` per day;
    the UNIQUE ``(unit, day)`` key makes a concurrent booking of any of those days fail there,
    and the loser gets ``rental-dates-unavailable`` naming the unit and the days. Step 2 charges
    the card (no transaction open); step 3 records the answer: ``reserved``, or ``cancelled``
    with the days freed and ``rental-payment-declined`` raised.
    """
    require_renter(actor, renter.pk, "book for another person")
    offer = unit.offer
    if not (offer.active and unit.active):
        raise AgoraError(
            errors.RENTAL_DATES_UNAVAILABLE, f"unit {unit.public_id} is not offered for rent now"
        )
    if not payment_method or len(payment_method) > 64:
        raise invalid("payment_method", "give the card token (1 to 64 characters)")
    quote = rental_quote(offer=offer, start=start, end=end)
    _precheck(unit, start, end)
    try:
        with transaction.atomic():
            now = clock.now()
            booking = RentalBooking.objects.create(
                offer=offer,
                unit=unit,
                seller_id=offer.seller_id,
                renter=renter,
                start_date=start,
                end_date=end,
                currency=offer.currency,
                rent_minor=quote.rent_minor,
                months=quote.months,
                days=quote.days,
                deposit_minor=quote.deposit_minor,
                late_fee_per_day_minor=offer.late_fee_per_day_minor,
                payment_method=payment_method,
                created_at=now,
                updated_at=now,
            )
            RentalDay.objects.bulk_create(
                RentalDay(unit=unit, day=day, booking=booking) for day in _days(start, end)
            )
            RentalDeposit.objects.create(
                booking=booking, amount_minor=quote.deposit_minor, currency=offer.currency
            )
            audit_record(
                actor=actor,
                action="rental.booking_created",
                target=booking,
                seller_id=offer.seller_id,
                changes={
                    "unit": unit.public_id,
                    "start_date": start.isoformat(),
                    "end_date": end.isoformat(),
                    "rent_minor": quote.rent_minor,
                    "deposit_minor": quote.deposit_minor,
                },
            )
    except IntegrityError:
        # Another booking took some of these days between the pre-check and our insert.
        raise _overlap_error(unit, _clash(unit, start, end) or _days(start, end)) from None
    return rental_book_finish(actor=actor, booking=booking)


def rental_book_finish(*, actor: Actor, booking: RentalBooking) -> RentalBooking:
    """Steps 2 and 3 of :func:`rental_book`; also resumes a booking left ``pending_payment`` by
    a crash (the provider answers again for the same keys, nothing is charged twice)."""
    result = hold_capture(
        actor=actor,
        reference=booking.hold_reference,
        seller_id=booking.seller_id,
        amount_minor=booking.rent_minor + booking.deposit_minor,
        currency=booking.currency,
        payment_method=booking.payment_method,
    )
    with transaction.atomic():
        booking = lock_booking(booking)
        if booking.status != Status.PENDING_PAYMENT:
            return booking
        deposit = booking.deposit
        if result.status == "held":
            move(booking, actor, Status.RESERVED, allowed=(Status.PENDING_PAYMENT,))
            deposit.state = Deposit.HELD
            deposit.save(update_fields=["state"])
            publish(
                RentalBooked(
                    booking_id=booking.public_id,
                    unit_id=booking.unit.public_id,
                    seller_id=booking.seller.public_id,
                    start_date=booking.start_date.isoformat(),
                    end_date=booking.end_date.isoformat(),
                    rent_minor=booking.rent_minor,
                    deposit_minor=booking.deposit_minor,
                    currency=booking.currency,
                )
            )
            return booking
        booking.failure_reason = f"{result.code}: {result.message}"[:300]
        move(booking, actor, Status.CANCELLED, allowed=(Status.PENDING_PAYMENT,))
        RentalDay.objects.filter(booking=booking).delete()
        deposit.state = Deposit.FAILED
        deposit.save(update_fields=["state"])
    raise AgoraError(
        errors.RENTAL_PAYMENT_DECLINED,
        f"booking {booking.public_id}: the card was declined ({result.code}); the dates were freed",
        extra={"decline_code": result.code},
    )


# --- cancel, hand over, return ----------------------------------------------------------------
def rental_cancel(*, actor: Actor, booking: RentalBooking, reason: str = "") -> RentalBooking:
    """Cancels a booking before hand-over (renter or seller): the days are freed and the rent
    and deposit are refunded in full."""
    if actor.kind == "user" and actor.user_id == booking.renter_id:
        pass
    else:
        require_seller(actor, booking)
    reason = (reason or "").strip()
    require_max_length("reason", reason, 300)
    with transaction.atomic():
        booking = lock_booking(booking)
        if booking.status != Status.RESERVED:
            raise AgoraError(
                INVALID_TRANSITION,
                f"booking {booking.public_id} is {booking.status}; only a reserved booking "
                "(not yet handed over) can be cancelled",
            )
        deposit = booking.deposit
        deposit.state = Deposit.SETTLING
        deposit.save(update_fields=["state"])
    settle_hold(actor, booking, to_seller_minor=0)
    with transaction.atomic():
        booking = lock_booking(booking)
        move(booking, actor, Status.CANCELLED, allowed=(Status.RESERVED,))
        RentalDay.objects.filter(booking=booking).delete()
        deposit = booking.deposit
        deposit.state, deposit.settled_at = Deposit.REFUNDED, clock.now()
        deposit.save(update_fields=["state", "settled_at"])
        publish(
            RentalCancelled(
                booking_id=booking.public_id, seller_id=booking.seller.public_id, reason=reason
            )
        )
    return booking


def rental_hand_over(*, actor: Actor, booking: RentalBooking) -> RentalBooking:
    """The seller hands the unit to the renter: reserved -> active."""
    require_seller(actor, booking)
    with transaction.atomic():
        booking = lock_booking(booking)
        if booking.end_date <= today():
            raise dates_invalid(
                f"booking {booking.public_id} ended on {booking.end_date.isoformat()}; it can "
                "no longer be handed over"
            )
        move(booking, actor, Status.ACTIVE, allowed=(Status.RESERVED,), handed_over_at=clock.now())
    return booking


def rental_return(*, actor: Actor, booking: RentalBooking) -> RentalBooking:
    """The seller records the unit back: active -> returned, with the late fee for each day
    after the due day (the booking's end date) by the clock's date."""
    require_seller(actor, booking)
    with transaction.atomic():
        booking = lock_booking(booking)
        late = pricing.late_days(due=booking.end_date, returned_on=today())
        fee = late * booking.late_fee_per_day_minor
        move(
            booking,
            actor,
            Status.RETURNED,
            allowed=(Status.ACTIVE,),
            returned_at=clock.now(),
            late_days=late,
            late_fee_minor=fee,
        )
        publish(
            RentalReturned(
                booking_id=booking.public_id,
                seller_id=booking.seller.public_id,
                late_days=late,
                late_fee_minor=fee,
                currency=booking.currency,
            )
        )
    return booking
