"""The renter's pages: book from the product page's form, "My rentals" with cancel, accept or
dispute a damage claim. Thin: parse the form, call one service, say what happened."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agora.accounts.services import actor_for_user
from agora.circular.rental import selectors, services
from agora.circular.rental.presenters import booking_view
from agora.core.errors import NOT_FOUND, AgoraError


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(f"{target.split('#')[0]}#rent")
    return redirect(fallback)


def _date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("%(label)s is not a date (YYYY-MM-DD).") % {"label": label}) from None


@login_required
@require_POST
def book(request: HttpRequest) -> HttpResponse:
    """Books from the product page's form; errors go back to the product page as a message."""
    try:
        unit = selectors.unit_get(public_id=request.POST.get("unit", ""))
        start = _date(request.POST.get("start_date", ""), _("The start date"))
        end = _date(request.POST.get("end_date", ""), _("The return date"))
        booking = services.rental_book(
            actor=actor_for_user(request.user),  # type: ignore[arg-type]
            unit=unit,
            renter=request.user,
            start=start,
            end=end,
            payment_method=request.POST.get("card", "").replace(" ", ""),
        )
    except (AgoraError, ValueError) as exc:
        messages.error(request, _("The booking was not made: %(why)s") % {"why": exc})
        return _back(request, "rental:mine")
    messages.success(
        request,
        _("Booked %(unit)s from %(start)s; bring it back on %(end)s (booking %(id)s).")
        % {
            "unit": unit.label,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "id": booking.public_id,
        },
    )
    return redirect("rental:mine")


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in renter's bookings, newest first."""
    rows = [booking_view(b) for b in selectors.bookings_for_renter(renter=request.user)[:100]]
    return render(request, "circular/rental/my_rentals.html", {"rows": rows, "tab": "rentals"})


def _mine(lookup, **criteria):  # type: ignore[no-untyped-def]
    """The renter's own booking or claim; anyone else's id is a 404 like an unknown one."""
    try:
        return lookup(**criteria)
    except AgoraError as exc:
        if exc.problem == NOT_FOUND:
            raise Http404(str(exc)) from exc
        raise


def _act(request: HttpRequest, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    try:
        action(actor_for_user(request.user))  # type: ignore[arg-type]
    except AgoraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("rental:mine")


@login_required
@require_POST
def cancel(request: HttpRequest, booking_id: str) -> HttpResponse:
    booking = _mine(selectors.booking_for_renter, renter=request.user, public_id=booking_id)
    return _act(request, lambda actor: services.rental_cancel(actor=actor, booking=booking))


@login_required
@require_POST
def claim_accept(request: HttpRequest, claim_id: str) -> HttpResponse:
    claim = _mine(selectors.claim_for_renter, renter=request.user, public_id=claim_id)
    return _act(request, lambda actor: services.rental_claim_accept(actor=actor, claim=claim))


@login_required
@require_POST
def claim_dispute(request: HttpRequest, claim_id: str) -> HttpResponse:
    claim = _mine(selectors.claim_for_renter, renter=request.user, public_id=claim_id)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        lambda actor: services.rental_claim_dispute(actor=actor, claim=claim, reason=reason),
    )
