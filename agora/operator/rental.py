"""The operator's damage-claim pages (issue 7 C1): the queue of rental damage claims (disputed
ones first, since a renter disputing a claim leaves the deposit in escrow until an operator
decides) and one claim with its booking, the seller's evidence and the renter's dispute, with
the decision: uphold, reduce or reject. The rules and the settlement are the services'
(:func:`agora.circular.rental.services.rental_claim_resolve`); a refusal is shown on the page
with the form kept. Staff only, through ``OperatorSite.admin_view``."""

from __future__ import annotations

from decimal import InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.accounts.services import actor_for_user
from agora.circular.models import DamageClaim
from agora.circular.rental import selectors
from agora.circular.rental import services as rental
from agora.circular.rental.presenters import booking_view
from agora.core.errors import VALIDATION, AgoraError, FieldError
from agora.core.money import Money, MoneyError

QUEUE_URL = "admin:operator_rental_claims"
DETAIL_URL = "admin:operator_rental_claim"
TABS = ("", *DamageClaim.Status.values)
DECISIONS = ("uphold", "reduce", "reject")


def rental_claims_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """Claims of one status (default: disputed, the ones waiting for a decision), newest first,
    50 a page."""
    status = request.GET.get("status", DamageClaim.Status.DISPUTED)
    if status not in TABS:
        status = DamageClaim.Status.DISPUTED
    try:
        page = selectors.claims_page(status=status, cursor=request.GET.get("cursor") or None)
    except AgoraError:  # a cursor that is not ours: start again at the first page
        page = selectors.claims_page(status=status)
    rows = [(c, Money(c.amount_minor, c.booking.currency)) for c in page.items]
    context = {
        **site.each_context(request),
        "title": _("Rental damage claims"),
        "status": status,
        "tabs": TABS,
        "counts": selectors.claim_status_counts(),
        "rows": rows,
        "next_cursor": page.next_cursor,
    }
    return TemplateResponse(request, "operator/rental_claims.html", context)


def _amount(value: str, currency: str) -> int:
    """The operator's amount in major units ("35.50") as minor units, or a named error."""
    value = (value or "").strip()
    if not value:
        raise AgoraError(
            VALIDATION,
            _("Give the amount to keep when reducing the claim."),
            [FieldError("amount", "required")],
        )
    try:
        return Money.from_decimal(value, currency).amount_minor
    except (MoneyError, InvalidOperation, ValueError):
        raise AgoraError(
            VALIDATION,
            _("The amount %(value)s is not a sum of money in %(currency)s.")
            % {"value": value[:20], "currency": currency},
            [FieldError("amount", "not a number")],
        ) from None


def _decide(request: HttpRequest, claim: DamageClaim) -> str:
    """Runs the posted decision; returns the success message (AgoraError when refused)."""
    actor = actor_for_user(request.user)  # type: ignore[arg-type]
    decision = request.POST.get("decision", "")
    currency = claim.booking.currency
    if decision == "uphold":
        amount = claim.amount_minor
    elif decision == "reject":
        amount = 0
    elif decision == "reduce":
        amount = _amount(request.POST.get("amount", ""), currency)
        if amount >= claim.amount_minor:
            raise AgoraError(
                VALIDATION,
                _(
                    "A reduction must be less than the %(claimed)s claimed; "
                    "uphold the claim to keep it in full."
                )
                % {"claimed": Money(claim.amount_minor, currency)},
                [FieldError("amount", "not less than the claim")],
            )
    else:
        raise AgoraError(
            VALIDATION,
            _("Choose a decision: uphold, reduce or reject the claim."),
            [FieldError("decision", "required")],
        )
    booking = rental.rental_claim_resolve(actor=actor, claim=claim, amount_minor=amount)
    deposit = booking.deposit
    return _(
        "Claim %(id)s decided: %(decided)s of damage accepted; %(kept)s of the deposit kept "
        "and the rest refunded to the renter."
    ) % {
        "id": claim.public_id,
        "decided": Money(amount, currency),
        "kept": Money(deposit.kept_minor, currency),
    }


def rental_claim_view(site: AdminSite, request: HttpRequest, claim_id: str) -> HttpResponse:
    """One claim: the booking (unit, dates, rent, deposit), the seller's claim and evidence, the
    renter's dispute; decide it when disputed."""
    try:
        claim = selectors.claim_get(public_id=claim_id)
    except AgoraError:
        messages.error(request, _("There is no damage claim %(id)s.") % {"id": claim_id[:40]})
        return HttpResponseRedirect(reverse(QUEUE_URL))
    posted: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            messages.success(request, _decide(request, claim))
        except AgoraError as exc:
            messages.error(request, str(exc))
            posted, status = request.POST.dict(), 400
            claim = selectors.claim_get(public_id=claim_id)
        else:
            return HttpResponseRedirect(reverse(DETAIL_URL, args=[claim.public_id]))
    booking = claim.booking
    currency = booking.currency
    decided = claim.decided_minor
    context = {
        **site.each_context(request),
        "title": _("Damage claim %(id)s") % {"id": claim.public_id},
        "claim": claim,
        "b": booking_view(booking),
        "booking": booking,
        "claimed": Money(claim.amount_minor, currency),
        "decided": Money(decided, currency) if decided is not None else None,
        "deposit_covers": Money(min(claim.amount_minor, booking.deposit_minor), currency),
        "decisions": DECISIONS,
        "posted": posted,
        "queue_url": reverse(QUEUE_URL) + f"?status={claim.status}",
    }
    return TemplateResponse(request, "operator/rental_claim.html", context, status=status)
