"""Rental reads: offers on a product page, a unit's month calendar, a renter's and a seller's
bookings. Seller reads are tenant-scoped (another seller's id is "not found")."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet

from agora.catalog.models import Product
from agora.circular.models import DamageClaim, RentalBooking, RentalDay, RentalOffer, RentalUnit
from agora.core.errors import invalid, not_found
from agora.core.pagination import Page, paginate
from agora.marketplace.models import Seller

_BOOKING_RELATED = ("unit", "offer__product", "seller", "deposit", "renter", "damage_claim")


def offers_for_product(*, product_public_id: str) -> list[RentalOffer]:
    """Active offers of a published product that have at least one active unit."""
    return list(
        RentalOffer.objects.filter(
            product__public_id=product_public_id,
            product__status=Product.Status.PUBLISHED,
            active=True,
            units__active=True,
        )
        .distinct()
        .prefetch_related("units")
        .order_by("pk")
    )


def offer_get(*, public_id: str) -> RentalOffer:
    """An active offer, for anyone."""
    offer = (
        RentalOffer.objects.filter(public_id=public_id, active=True)
        .select_related("product", "seller")
        .first()
    )
    if offer is None:
        raise not_found("rental offer", public_id)
    return offer


def unit_get(*, public_id: str) -> RentalUnit:
    """An active unit of an active offer, for anyone."""
    unit = (
        RentalUnit.objects.filter(public_id=public_id, active=True, offer__active=True)
        .select_related("offer__product", "offer__seller")
        .first()
    )
    if unit is None:
        raise not_found("rental unit", public_id)
    return unit


def active_units(*, offer: RentalOffer) -> list[RentalUnit]:
    return list(offer.units.filter(active=True).order_by("pk"))


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """``[first day, first day of the next month)``; refuses an impossible month."""
    if not (2000 <= year <= 2200 and 1 <= month <= 12):
        raise invalid("month", f"{year}-{month:02d} is not a month between 2000 and 2200")
    return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)


def booked_days(*, unit: RentalUnit, year: int, month: int) -> list[date]:
    """The days of ``year-month`` on which ``unit`` is booked (one indexed query)."""
    first, after = month_bounds(year, month)
    return list(
        RentalDay.objects.filter(unit=unit, day__gte=first, day__lt=after)
        .order_by("day")
        .values_list("day", flat=True)
    )


@dataclass(frozen=True)
class CalendarDay:
    day: date | None  # None: padding before the 1st / after the last day
    booked: bool = False
    past: bool = False


def month_grid(*, unit: RentalUnit, year: int, month: int, today: date) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) of days marked booked or past, for the page."""
    booked = set(booked_days(unit=unit, year=year, month=month))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                CalendarDay(d, d in booked, d < today) if d.month == month else CalendarDay(None)
                for d in week
            ]
        )
    return weeks


def bookings_for_renter(*, renter: object) -> QuerySet[RentalBooking]:
    return (
        RentalBooking.objects.filter(renter=renter)
        .select_related(*_BOOKING_RELATED)
        .order_by("-pk")
    )


def booking_for_renter(*, renter: object, public_id: str) -> RentalBooking:
    booking = bookings_for_renter(renter=renter).filter(public_id=public_id).first()
    if booking is None:
        raise not_found("rental booking", public_id)
    return booking


def bookings_for_seller(*, seller: Seller, status: str | None = None) -> QuerySet[RentalBooking]:
    rows = RentalBooking.objects.filter(seller=seller).select_related(*_BOOKING_RELATED)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-pk")


def booking_for_seller(*, seller: Seller, public_id: str) -> RentalBooking:
    booking = bookings_for_seller(seller=seller).filter(public_id=public_id).first()
    if booking is None:
        raise not_found("rental booking", public_id)
    return booking


def offers_for_seller(*, seller: Seller) -> QuerySet[RentalOffer]:
    return (
        RentalOffer.objects.filter(seller=seller)
        .select_related("product")
        .prefetch_related("units")
        .order_by("-pk")
    )


def offer_for_seller(*, seller: Seller, public_id: str) -> RentalOffer:
    offer = offers_for_seller(seller=seller).filter(public_id=public_id).first()
    if offer is None:
        raise not_found("rental offer", public_id)
    return offer


def claim_for_renter(*, renter: object, public_id: str) -> DamageClaim:
    claim = (
        DamageClaim.objects.filter(public_id=public_id, booking__renter=renter)
        .select_related("booking")
        .first()
    )
    if claim is None:
        raise not_found("damage claim", public_id)
    return claim


def claim_of(booking: RentalBooking) -> DamageClaim | None:
    """The booking's damage claim (no query when the booking was loaded by a selector here)."""
    try:
        return booking.damage_claim
    except DamageClaim.DoesNotExist:
        return None


_CLAIM_RELATED = tuple(f"booking__{name}" for name in _BOOKING_RELATED if name != "damage_claim")


def claims_page(*, status: str | None = None, cursor: str | None = None, limit: int = 50) -> Page:
    """Damage claims of every seller (the operator's queue), newest first, optionally of one
    status; cursor-paginated. An unknown status is refused by name."""
    rows = DamageClaim.objects.select_related(*_CLAIM_RELATED)
    if status:
        if status not in DamageClaim.Status.values:
            raise invalid(
                "status", f"{status!r} is not one of {', '.join(DamageClaim.Status.values)}"
            )
        rows = rows.filter(status=status)
    return paginate(rows, cursor=cursor, limit=limit)


def claim_status_counts() -> dict[str, int]:
    """How many claims are in each status (one grouped query), for the queue's tabs."""
    counts = dict.fromkeys(DamageClaim.Status.values, 0)
    for row in DamageClaim.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def claim_get(*, public_id: str) -> DamageClaim:
    """Any seller's claim with its booking, for the operator."""
    claim = DamageClaim.objects.select_related(*_CLAIM_RELATED).filter(public_id=public_id).first()
    if claim is None:
        raise not_found("damage claim", public_id)
    return claim
