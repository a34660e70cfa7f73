"""Booking through the services: prices copied, overlapping dates refused with the unit and the
days named, the half-open boundary, min/max days, declines, cancelling frees the days."""

from __future__ import annotations

from datetime import date

import pytest

from agora.accounts.services import actor_for_user
from agora.circular.models import RentalBooking, RentalDay, RentalDeposit
from agora.circular.rental import selectors
from agora.circular.rental.services import rental_book, rental_cancel, rental_quote
from agora.core.errors import AgoraError
from agora.payments.services.holds import held_minor
from tests.circular.rental.conftest import CARD, add_unit, make_renter

pytestmark = pytest.mark.django_db


def book(unit, renter, actor, start, end, card=CARD):  # type: ignore[no-untyped-def]
    return rental_book(
        actor=actor, unit=unit, renter=renter, start=start, end=end, payment_method=card
    )


def test_booking_holds_rent_and_deposit_in_escrow(unit, renter, renter_actor):
    booking = book(unit, renter, renter_actor, date(2026, 3, 5), date(2026, 3, 8))
    assert booking.status == RentalBooking.Status.RESERVED
    assert (booking.rent_minor, booking.deposit_minor) == (3 * 1500, 10000)
    assert booking.deposit.state == RentalDeposit.State.HELD
    assert held_minor(reference=booking.public_id, currency="EUR") == 3 * 1500 + 10000
    days = selectors.booked_days(unit=unit, year=2026, month=3)
    assert days == [date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 7)]


def test_overlap_is_refused_naming_the_unit_and_the_days(unit, renter, renter_actor):
    book(unit, renter, renter_actor, date(2026, 3, 5), date(2026, 3, 8))
    other = make_renter("other@example.org")

    with pytest.raises(AgoraError) as caught:
        book(unit, other, actor_for_user(other), date(2026, 3, 7), date(2026, 3, 10))
    error = caught.value
    assert error.problem.slug == "rental-dates-unavailable"
    assert "Drill #1" in error.detail and unit.public_id in error.detail
    assert "2026-03-07" in error.detail
    assert error.extra["clashing_days"] == ["2026-03-07"]
    assert RentalBooking.objects.count() == 1  # nothing half-written


def test_end_date_is_exclusive_so_back_to_back_bookings_are_allowed(unit, renter, renter_actor):
    first = book(unit, renter, renter_actor, date(2026, 3, 5), date(2026, 3, 8))
    second = book(unit, renter, renter_actor, date(2026, 3, 8), date(2026, 3, 9))
    assert first.status == second.status == RentalBooking.Status.RESERVED
    with pytest.raises(AgoraError, match=r"booked on 2026-03-05$"):
        book(unit, renter, renter_actor, date(2026, 3, 4), date(2026, 3, 6))
    # a booking ending where another starts is fine too
    book(unit, renter, renter_actor, date(2026, 3, 4), date(2026, 3, 5))


def test_another_unit_of_the_same_offer_is_free(offer, unit, renter, renter_actor):
    book(unit, renter, renter_actor, date(2026, 3, 5), date(2026, 3, 8))
    spare = add_unit(offer, "Drill #2")
    assert book(spare, renter, renter_actor, date(2026, 3, 5), date(2026, 3, 8)).unit == spare


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 3, 5), date(2026, 3, 5), "must be after the start date"),
        (date(2026, 3, 1), date(2026, 3, 3), "is in the past"),
        (date(2026, 3, 5), date(2026, 7, 5), "outside this offer's 1 to 90 days"),
    ],
)
def test_bad_dates_are_refused_clearly(unit, renter, renter_actor, start, end, message):
    with pytest.raises(AgoraError, match=message) as caught:
        book(unit, renter, renter_actor, start, end)
    assert caught.value.problem.slug == "rental-dates-invalid"
    assert not RentalDay.objects.exists()


def test_quote_uses_months_then_days(offer):
    q = rental_quote(offer=offer, start=date(2026, 3, 5), end=date(2026, 4, 7))
    assert (q.months, q.days, q.rent_minor, q.deposit_minor) == (1, 2, 20000 + 3000, 10000)


def test_a_declined_card_cancels_the_booking_and_frees_the_days(unit, renter, renter_actor):
    with pytest.raises(AgoraError) as caught:
        book(unit, renter, renter_actor, date(2026, 3, 5), date(2026, 3, 8), "tok_chargeDeclined")
    assert caught.value.problem.slug == "rental-payment-declined"
    assert caught.value.extra["decline_code"] == "card_declined"
    booking = RentalBooking.objects.get()
    assert booking.status == RentalBooking.Status.CANCELLED
    assert booking.deposit.state == RentalDeposit.State.FAILED
    assert not RentalDay.objects.exists()
    book(unit, renter, renter_actor, date(2026, 3, 5), date(2026, 3, 8))  # free again


def test_cancel_refunds_everything_and_frees_the_days(unit, renter, renter_actor):
    booking = book(unit, renter, renter_actor, date(2026, 3, 5), date(2026, 3, 8))
    booking = rental_cancel(actor=renter_actor, booking=booking, reason="plans changed")
    assert booking.status == RentalBooking.Status.CANCELLED
    assert booking.deposit.state == RentalDeposit.State.REFUNDED
    assert held_minor(reference=booking.public_id, currency="EUR") == 0
    assert not RentalDay.objects.filter(booking=booking).exists()
    with pytest.raises(AgoraError, match="only a reserved booking"):
        rental_cancel(actor=renter_actor, booking=booking)


def test_nobody_books_for_someone_else(unit, renter):
    other = make_renter("other@example.org")

    with pytest.raises(AgoraError) as caught:
        book(unit, renter, actor_for_user(other), date(2026, 3, 5), date(2026, 3, 8))
    assert caught.value.problem.slug == "forbidden"


def test_the_database_refuses_a_second_row_for_a_unit_and_day(unit, renter, renter_actor):
    """The guarantee itself, without any service code in the way."""
    from django.db import IntegrityError, transaction

    booking = book(unit, renter, renter_actor, date(2026, 3, 5), date(2026, 3, 6))
    with pytest.raises(IntegrityError), transaction.atomic():
        RentalDay.objects.create(unit=unit, day=date(2026, 3, 5), booking=booking)
