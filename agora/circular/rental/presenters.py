"""Bookings and offers as the pages show them: money as :class:`Money`, the claim attached.
Shared by the buyer pages here and the seller center's rental page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from agora.circular.models import DamageClaim, RentalBooking, RentalOffer
from agora.circular.rental import selectors
from agora.core.money import Money


@dataclass(frozen=True)
class BookingView:
    booking: RentalBooking
    rent: Money
    deposit: Money
    late_fee: Money
    kept: Money
    deposit_state: str
    claim: DamageClaim | None
    claim_amount: Money | None


def booking_view(booking: RentalBooking) -> BookingView:
    c = booking.currency
    claim = selectors.claim_of(booking)
    return BookingView(
        booking=booking,
        rent=Money(booking.rent_minor, c),
        deposit=Money(booking.deposit_minor, c),
        late_fee=Money(booking.late_fee_minor, c),
        kept=Money(booking.deposit.kept_minor, c),
        deposit_state=booking.deposit.state,
        claim=claim,
        claim_amount=Money(claim.amount_minor, c) if claim else None,
    )


@dataclass(frozen=True)
class OfferView:
    offer: RentalOffer
    per_day: Money | None
    per_month: Money | None
    deposit: Money
    late_fee: Money
    units: list
    month: date
    previous_month: str
    next_month: str


def offer_view(offer: RentalOffer, *, month: date, today: date) -> OfferView:
    c = offer.currency
    units = [
        {
            "unit": unit,
            "weeks": selectors.month_grid(
                unit=unit, year=month.year, month=month.month, today=today
            ),
        }
        for unit in selectors.active_units(offer=offer)
    ]
    before = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    after = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return OfferView(
        offer=offer,
        per_day=Money(offer.price_per_day_minor, c)
        if offer.price_per_day_minor is not None
        else None,
        per_month=Money(offer.price_per_month_minor, c)
        if offer.price_per_month_minor is not None
        else None,
        deposit=Money(offer.deposit_minor, c),
        late_fee=Money(offer.late_fee_per_day_minor, c),
        units=units,
        month=month,
        previous_month=before.strftime("%Y-%m"),
        next_month=after.strftime("%Y-%m"),
    )
