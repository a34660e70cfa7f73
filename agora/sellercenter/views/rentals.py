"""Rentals (issue 7 C1): the seller's bookings with hand-over, return and inspection. The rules
live in :mod:`agora.circular.rental.services`; this page parses the forms and calls them."""

from __future__ import annotations

from decimal import InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.circular.models import RentalBooking
from agora.circular.rental import selectors as rentals
from agora.circular.rental import services as rental
from agora.circular.rental.presenters import booking_view
from agora.core.errors import VALIDATION, AgoraError
from agora.core.money import Money, MoneyError
from agora.sellercenter.access import seller_page
from agora.sellercenter.views.common import page

TABS = ("", *RentalBooking.Status.values)


@seller_page("orders:read")
def rental_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in TABS:
        status = ""
    seller = request.desk.seller  # type: ignore[attr-defined]
    rows = [
        booking_view(b)
        for b in rentals.bookings_for_seller(seller=seller, status=status or None)[:100]
    ]
    return page(
        request,
        "sellercenter/rentals/list.html",
        _("Rentals"),
        "rentals",
        {"rows": rows, "status": status, "tabs": TABS},
    )


@seller_page("orders:write")
@require_POST
def rental_action(request: HttpRequest, booking_id: str, action: str) -> HttpResponse:
    """Hand over, return or inspect one booking of this seller (another's is a 404)."""
    seller, actor = request.desk.seller, request.desk.actor  # type: ignore[attr-defined]
    booking = rentals.booking_for_seller(seller=seller, public_id=booking_id)
    try:
        if action == "hand_over":
            rental.rental_hand_over(actor=actor, booking=booking)
        elif action == "return":
            booking = rental.rental_return(actor=actor, booking=booking)
        else:
            damage = (request.POST.get("damage") or "0").strip()
            try:
                damage_minor = Money.from_decimal(damage, booking.currency).amount_minor
            except (MoneyError, InvalidOperation, ValueError):
                raise AgoraError(
                    VALIDATION, _("The damage amount %(v)s is not a number.") % {"v": damage}
                ) from None
            rental.rental_inspect(
                actor=actor,
                booking=booking,
                damage_minor=damage_minor,
                description=request.POST.get("description", ""),
                photos=request.POST.get("photos", "").split(),
            )
    except AgoraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Booking %(id)s updated.") % {"id": booking.public_id})
    return redirect(f"{reverse('sellercenter:rentals')}#{booking.public_id}")
