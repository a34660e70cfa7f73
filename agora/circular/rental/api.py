"""Rental over the API: public offers, quotes and calendars; a renter's bookings and claims
(session with CSRF, or a buyer's key for reading); a seller's offers, units and bookings
(seller key: ``catalog:*`` for offers and units, ``orders:*`` for bookings)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Status
from pydantic import BaseModel

from agora.accounts.services import actor_for_user
from agora.api.auth import seller_auth
from agora.api.schemas import MoneyOut, NoNulInput, StrictInput
from agora.api.scopes import require_scope
from agora.catalog.models import Product, Variant
from agora.checkout.auth import buyer_session_auth
from agora.circular.models import DamageClaim, RentalBooking, RentalOffer, RentalUnit
from agora.circular.rental import selectors, services
from agora.core.errors import UNAUTHENTICATED, AgoraError, invalid, not_found
from agora.core.pagination import paginate

router = Router(tags=["rental"])
seller_router = Router(tags=["seller: rental"], auth=seller_auth)
buyer_router = Router(tags=["buyer: rental"], auth=buyer_session_auth)


# --- schemas ----------------------------------------------------------------------------------
class UnitOut(BaseModel):
    id: str
    label: str
    gtin: str
    serial: str
    active: bool


class OfferOut(BaseModel):
    id: str
    product: str
    variant: str | None
    price_per_day: MoneyOut | None
    price_per_month: MoneyOut | None
    deposit: MoneyOut
    late_fee_per_day: MoneyOut
    min_days: int
    max_days: int
    active: bool
    units: list[UnitOut]


class QuoteOut(BaseModel):
    start_date: date
    end_date: date
    rented_days: int
    months: int
    days: int
    rent: MoneyOut
    deposit: MoneyOut
    total: MoneyOut


class CalendarOut(BaseModel):
    unit: str
    month: str
    booked_days: list[date]


class ClaimOut(BaseModel):
    id: str
    amount: MoneyOut
    decided: MoneyOut | None
    description: str
    photos: list[str]
    status: str
    dispute_reason: str


class BookingOut(BaseModel):
    id: str
    offer: str
    unit: str
    unit_label: str
    product: str
    start_date: date
    end_date: date = Field(description="exclusive: the day the unit is due back")
    status: str
    rent: MoneyOut
    deposit: MoneyOut
    deposit_state: str
    deposit_kept: MoneyOut
    late_days: int
    late_fee: MoneyOut
    claim: ClaimOut | None


class BookingPage(BaseModel):
    items: list[BookingOut]
    next_cursor: str | None = Field(description="pass it back as `cursor` for the next page")


class OfferPage(BaseModel):
    items: list[OfferOut]
    next_cursor: str | None = Field(description="pass it back as `cursor` for the next page")


class PageQuery(NoNulInput):
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=100)


class SellerBookingQuery(PageQuery):
    status: str | None = None


def _money(amount: int | None, currency: str) -> MoneyOut | None:
    return None if amount is None else MoneyOut.of(amount, currency)


def offer_out(offer: RentalOffer) -> OfferOut:
    c = offer.currency
    return OfferOut(
        id=offer.public_id,
        product=offer.product.public_id,
        variant=offer.variant.public_id if offer.variant_id else None,
        price_per_day=_money(offer.price_per_day_minor, c),
        price_per_month=_money(offer.price_per_month_minor, c),
        deposit=MoneyOut.of(offer.deposit_minor, c),
        late_fee_per_day=MoneyOut.of(offer.late_fee_per_day_minor, c),
        min_days=offer.min_days,
        max_days=offer.max_days,
        active=offer.active,
        units=[unit_out(u) for u in offer.units.all()],
    )


def unit_out(unit: RentalUnit) -> UnitOut:
    return UnitOut(
        id=unit.public_id, label=unit.label, gtin=unit.gtin, serial=unit.serial, active=unit.active
    )


def claim_out(claim: DamageClaim, currency: str) -> ClaimOut:
    return ClaimOut(
        id=claim.public_id,
        amount=MoneyOut.of(claim.amount_minor, currency),
        decided=_money(claim.decided_minor, currency),
        description=claim.description,
        photos=claim.photos,
        status=claim.status,
        dispute_reason=claim.dispute_reason,
    )


def booking_out(booking: RentalBooking) -> BookingOut:
    c = booking.currency
    deposit = booking.deposit
    claim = selectors.claim_of(booking)
    return BookingOut(
        id=booking.public_id,
        offer=booking.offer.public_id,
        unit=booking.unit.public_id,
        unit_label=booking.unit.label,
        product=booking.offer.product.public_id,
        start_date=booking.start_date,
        end_date=booking.end_date,
        status=booking.status,
        rent=MoneyOut.of(booking.rent_minor, c),
        deposit=MoneyOut.of(booking.deposit_minor, c),
        deposit_state=deposit.state,
        deposit_kept=MoneyOut.of(deposit.kept_minor, c),
        late_days=booking.late_days,
        late_fee=MoneyOut.of(booking.late_fee_minor, c),
        claim=claim_out(claim, c) if claim else None,
    )


def _month(value: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in value.split("-"))
    except ValueError:
        raise invalid("month", f"{value!r} is not a month like 2026-03") from None
    selectors.month_bounds(year, month)
    return year, month


# --- public -----------------------------------------------------------------------------------
@router.get("/rentals/offers/{offer_id}", response=OfferOut, summary="A rental offer")
def offer_get(request: HttpRequest, offer_id: str) -> OfferOut:
    return offer_out(selectors.offer_get(public_id=offer_id))


class QuoteQuery(BaseModel):
    start_date: date
    end_date: date = Field(description="exclusive: the day the unit is returned")


@router.get(
    "/rentals/offers/{offer_id}/quote",
    response=QuoteOut,
    summary="The price of dates: whole months, then days, plus the deposit",
)
def offer_quote(request: HttpRequest, offer_id: str, query: Query[QuoteQuery]) -> QuoteOut:
    offer = selectors.offer_get(public_id=offer_id)
    q = services.rental_quote(offer=offer, start=query.start_date, end=query.end_date)
    c = offer.currency
    return QuoteOut(
        start_date=query.start_date,
        end_date=query.end_date,
        rented_days=q.rented_days,
        months=q.months,
        days=q.days,
        rent=MoneyOut.of(q.rent_minor, c),
        deposit=MoneyOut.of(q.deposit_minor, c),
        total=MoneyOut.of(q.total_minor, c),
    )


@router.get(
    "/rentals/units/{unit_id}/calendar",
    response=CalendarOut,
    summary="The days of a month on which a unit is booked",
)
def unit_calendar(request: HttpRequest, unit_id: str, month: str) -> CalendarOut:
    unit = selectors.unit_get(public_id=unit_id)
    year, number = _month(month)
    return CalendarOut(
        unit=unit.public_id,
        month=f"{year}-{number:02d}",
        booked_days=selectors.booked_days(unit=unit, year=year, month=number),
    )


# --- buyer ------------------------------------------------------------------------------------
def _renter(request: HttpRequest) -> Any:
    user = request.auth.user  # type: ignore[attr-defined]
    if user is None:
        raise AgoraError(UNAUTHENTICATED, "sign in to rent: bookings belong to an account")
    return user


class BookingIn(StrictInput):
    unit: str = Field(max_length=40, examples=["run_…"])
    start_date: date
    end_date: date = Field(description="exclusive: the day the unit is returned")
    card: str = Field(max_length=64, examples=["4242424242424242"])


class DisputeIn(StrictInput):
    reason: str = Field(max_length=1000)


@buyer_router.post(
    "/rentals/bookings", response={201: BookingOut}, summary="Book a unit (rent + deposit held)"
)
def booking_create(request: HttpRequest, payload: BookingIn) -> Status[BookingOut]:
    renter = _renter(request)
    booking = services.rental_book(
        actor=actor_for_user(renter),
        unit=selectors.unit_get(public_id=payload.unit),
        renter=renter,
        start=payload.start_date,
        end=payload.end_date,
        payment_method=payload.card,
    )
    return Status(201, booking_out(booking))


@buyer_router.get(
    "/rentals/bookings", response=BookingPage, summary="My rentals, newest first (cursor pages)"
)
def my_bookings(request: HttpRequest, query: Query[PageQuery]) -> BookingPage:
    rows = selectors.bookings_for_renter(renter=_renter(request))
    page = paginate(rows, cursor=query.cursor, limit=query.limit)
    return BookingPage(items=[booking_out(b) for b in page.items], next_cursor=page.next_cursor)


@buyer_router.get("/rentals/bookings/{booking_id}", response=BookingOut, summary="My rental")
def my_booking(request: HttpRequest, booking_id: str) -> BookingOut:
    return booking_out(selectors.booking_for_renter(renter=_renter(request), public_id=booking_id))


@buyer_router.post(
    "/rentals/bookings/{booking_id}/cancel", response=BookingOut, summary="Cancel my rental"
)
def my_booking_cancel(request: HttpRequest, booking_id: str) -> BookingOut:
    renter = _renter(request)
    booking = selectors.booking_for_renter(renter=renter, public_id=booking_id)
    return booking_out(services.rental_cancel(actor=actor_for_user(renter), booking=booking))


@buyer_router.post(
    "/rentals/claims/{claim_id}/accept", response=BookingOut, summary="Accept a damage claim"
)
def claim_accept(request: HttpRequest, claim_id: str) -> BookingOut:
    renter = _renter(request)
    claim = selectors.claim_for_renter(renter=renter, public_id=claim_id)
    return booking_out(services.rental_claim_accept(actor=actor_for_user(renter), claim=claim))


@buyer_router.post(
    "/rentals/claims/{claim_id}/dispute", response=BookingOut, summary="Dispute a damage claim"
)
def claim_dispute(request: HttpRequest, claim_id: str, payload: DisputeIn) -> BookingOut:
    renter = _renter(request)
    claim = selectors.claim_for_renter(renter=renter, public_id=claim_id)
    claim = services.rental_claim_dispute(
        actor=actor_for_user(renter), claim=claim, reason=payload.reason
    )
    return booking_out(claim.booking)


# --- seller -----------------------------------------------------------------------------------
class OfferIn(StrictInput):
    product: str = Field(max_length=40)
    variant: str | None = Field(None, max_length=40)
    currency: str = Field(max_length=3)
    price_per_day_minor: int | None = Field(None, ge=0)
    price_per_month_minor: int | None = Field(None, ge=0)
    deposit_minor: int = Field(0, ge=0)
    late_fee_per_day_minor: int = Field(0, ge=0)
    min_days: int = Field(1, ge=1)
    max_days: int = Field(365, ge=1)


class OfferPatch(StrictInput):
    currency: str | None = Field(None, max_length=3)
    price_per_day_minor: int | None = Field(None, ge=0)
    price_per_month_minor: int | None = Field(None, ge=0)
    deposit_minor: int | None = Field(None, ge=0)
    late_fee_per_day_minor: int | None = Field(None, ge=0)
    min_days: int | None = Field(None, ge=1)
    max_days: int | None = Field(None, ge=1)
    active: bool | None = None


class UnitIn(StrictInput):
    label: str = Field(max_length=100)
    gtin: str = Field("", max_length=14)
    serial: str = Field("", max_length=20)


class InspectIn(StrictInput):
    damage_minor: int = Field(0, ge=0)
    description: str = Field("", max_length=2000)
    photos: list[str] = Field(
        default_factory=list, max_length=10, examples=[["https://example.org/damage-1.jpg"]]
    )


class CancelIn(StrictInput):
    reason: str = Field("", max_length=300)


def _seller_booking(request: HttpRequest, booking_id: str) -> RentalBooking:
    return selectors.booking_for_seller(seller=request.seller, public_id=booking_id)  # type: ignore[attr-defined]


@seller_router.get(
    "/seller/rentals/offers", response=OfferPage, summary="My rental offers, newest first"
)
def seller_offers(request: HttpRequest, query: Query[PageQuery]) -> OfferPage:
    require_scope(request, "catalog:read")
    rows = selectors.offers_for_seller(seller=request.seller)  # type: ignore[attr-defined]
    page = paginate(rows, cursor=query.cursor, limit=query.limit)
    return OfferPage(items=[offer_out(o) for o in page.items], next_cursor=page.next_cursor)


@seller_router.post(
    "/seller/rentals/offers", response={201: OfferOut}, summary="Offer a product for rent"
)
def seller_offer_create(request: HttpRequest, payload: OfferIn) -> Status[OfferOut]:
    seller = request.seller  # type: ignore[attr-defined]
    product = Product.objects.filter(public_id=payload.product, seller=seller).first()
    if product is None:
        raise not_found("product", payload.product)
    variant = None
    if payload.variant:
        variant = Variant.objects.filter(public_id=payload.variant, product=product).first()
        if variant is None:
            raise not_found("variant", payload.variant)
    offer = services.rental_offer_create(
        actor=request.actor,  # type: ignore[attr-defined]
        seller=seller,
        product=product,
        variant=variant,
        **payload.model_dump(exclude={"product", "variant"}),
    )
    return Status(201, offer_out(offer))


@seller_router.patch(
    "/seller/rentals/offers/{offer_id}", response=OfferOut, summary="Change a rental offer"
)
def seller_offer_update(request: HttpRequest, offer_id: str, payload: OfferPatch) -> OfferOut:
    offer = selectors.offer_for_seller(seller=request.seller, public_id=offer_id)  # type: ignore[attr-defined]
    changes = payload.model_dump(exclude_unset=True)
    offer = services.rental_offer_update(actor=request.actor, offer=offer, changes=changes)  # type: ignore[attr-defined]
    return offer_out(offer)


@seller_router.post(
    "/seller/rentals/offers/{offer_id}/units",
    response={201: UnitOut},
    summary="Add a rentable unit",
)
def seller_unit_add(request: HttpRequest, offer_id: str, payload: UnitIn) -> Status[UnitOut]:
    offer = selectors.offer_for_seller(seller=request.seller, public_id=offer_id)  # type: ignore[attr-defined]
    unit = services.rental_unit_add(actor=request.actor, offer=offer, **payload.model_dump())  # type: ignore[attr-defined]
    return Status(201, unit_out(unit))


@seller_router.get(
    "/seller/rentals/bookings", response=BookingPage, summary="Bookings of my units, newest first"
)
def seller_bookings(request: HttpRequest, query: Query[SellerBookingQuery]) -> BookingPage:
    require_scope(request, "orders:read")
    status = query.status
    if status and status not in RentalBooking.Status.values:
        raise invalid(
            "status", f"{status!r} is not one of {', '.join(RentalBooking.Status.values)}"
        )
    rows = selectors.bookings_for_seller(seller=request.seller, status=status)  # type: ignore[attr-defined]
    page = paginate(rows, cursor=query.cursor, limit=query.limit)
    return BookingPage(items=[booking_out(b) for b in page.items], next_cursor=page.next_cursor)


@seller_router.post(
    "/seller/rentals/bookings/{booking_id}/hand-over",
    response=BookingOut,
    summary="Hand the unit over (reserved -> active)",
)
def seller_hand_over(request: HttpRequest, booking_id: str) -> BookingOut:
    booking = _seller_booking(request, booking_id)
    return booking_out(services.rental_hand_over(actor=request.actor, booking=booking))  # type: ignore[attr-defined]


@seller_router.post(
    "/seller/rentals/bookings/{booking_id}/return",
    response=BookingOut,
    summary="Record the unit back (late fee from the end date)",
)
def seller_return(request: HttpRequest, booking_id: str) -> BookingOut:
    booking = _seller_booking(request, booking_id)
    return booking_out(services.rental_return(actor=request.actor, booking=booking))  # type: ignore[attr-defined]


@seller_router.post(
    "/seller/rentals/bookings/{booking_id}/inspect",
    response=BookingOut,
    summary="Inspect the returned unit: release the deposit or claim damage",
)
def seller_inspect(request: HttpRequest, booking_id: str, payload: InspectIn) -> BookingOut:
    booking = _seller_booking(request, booking_id)
    booking = services.rental_inspect(
        actor=request.actor,  # type: ignore[attr-defined]
        booking=booking,
        damage_minor=payload.damage_minor,
        description=payload.description,
        photos=payload.photos,
    )
    return booking_out(booking)


@seller_router.post(
    "/seller/rentals/bookings/{booking_id}/cancel",
    response=BookingOut,
    summary="Cancel a booking before hand-over (full refund)",
)
def seller_cancel(request: HttpRequest, booking_id: str, payload: CancelIn) -> BookingOut:
    booking = _seller_booking(request, booking_id)
    booking = services.rental_cancel(actor=request.actor, booking=booking, reason=payload.reason)  # type: ignore[attr-defined]
    return booking_out(booking)


router.add_router("", buyer_router)
router.add_router("", seller_router)
