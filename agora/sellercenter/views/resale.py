"""Resale (issue 7 C2): the seller's resale requests (its own used goods; for the platform
resale seller also the items buyers send in), the form to offer its own used goods, one
request's inspection, rejection and listing, and the revenue of sold resale units. The rules
live in :mod:`agora.circular.resale.services`; these pages parse the forms and call them, and a
refusal is shown on the page with the form kept."""

from __future__ import annotations

from datetime import date
from decimal import InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.circular.models import ResaleRequest
from agora.circular.resale import selectors
from agora.circular.resale import services as resale
from agora.circular.resale.inspection import form_state, posted_step
from agora.circular.resale.pricing import GRADES, WARRANTY_MONTHS
from agora.core.errors import FORBIDDEN, NOT_FOUND, AgoraError, invalid
from agora.core.money import Money, MoneyError, normalize_currency
from agora.sellercenter.access import seller_page
from agora.sellercenter.views.common import INVALID, cursor_page, page

TABS = ("", *ResaleRequest.Status.values)
OFFER_FIELDS = ("title", "currency", "price", "purchased_on", "gtin")


def _offer_input(data: Any) -> dict[str, Any]:
    """The keyword arguments of ``resale_request_by_seller`` from the offer form; a price or a
    date that cannot be read is refused naming the value."""
    try:
        currency = normalize_currency(data.get("currency", ""))
    except MoneyError as exc:
        raise invalid("currency", str(exc)) from None
    price = (data.get("price") or "").strip()
    try:
        original = Money.from_decimal(price, currency).amount_minor
    except (MoneyError, InvalidOperation, ValueError):
        raise invalid("price", f"{price!r} is not an amount in {currency} like 120.00") from None
    bought = (data.get("purchased_on") or "").strip()
    try:
        purchased_on = date.fromisoformat(bought) if bought else None
    except ValueError:
        raise invalid("purchased_on", f"{bought!r} is not a date like 2025-03-10") from None
    return {
        "title": data.get("title", ""),
        "currency": currency,
        "original_price_minor": original,
        "purchased_on": purchased_on,
        "gtin": (data.get("gtin") or "").strip(),
    }


def _list_page(request: HttpRequest, offer: dict[str, str], status: int = 200) -> HttpResponse:
    tab = request.GET.get("status", "")
    if tab not in TABS:
        tab = ""
    seller = request.desk.seller  # type: ignore[attr-defined]
    rows = cursor_page(request, selectors.requests_page, seller=seller, status=tab or None)
    return page(
        request,
        "sellercenter/resale/list.html",
        _("Resale"),
        "resale",
        {
            "rows": rows,
            "status": tab,
            "tabs": TABS,
            "counts": selectors.status_counts(seller=seller),
            "revenue": selectors.resale_revenue(seller=seller),
            "offer": offer,
        },
        status=status,
    )


@seller_page("catalog:read")
def resale_list(request: HttpRequest) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    return _list_page(request, {"currency": seller.payout_currency})


@require_POST
@seller_page("catalog:write")
def resale_new(request: HttpRequest) -> HttpResponse:
    """Offers the seller's own used goods for resale (it inspects and lists them itself)."""
    seller, actor = request.desk.seller, request.desk.actor  # type: ignore[attr-defined]
    try:
        made = resale.resale_request_by_seller(
            actor=actor, seller=seller, **_offer_input(request.POST)
        )
    except AgoraError as exc:
        messages.error(request, str(exc))
        kept = {name: request.POST.get(name, "") for name in OFFER_FIELDS}
        return _list_page(request, kept, status=INVALID)
    messages.success(
        request, _("Resale request %(id)s created; inspect it next.") % {"id": made.public_id}
    )
    return redirect("sellercenter:resale_detail", request_id=made.public_id)


def _act(request: HttpRequest, item: ResaleRequest) -> str:
    return posted_step(
        actor=request.desk.actor,  # type: ignore[attr-defined]
        item=item,
        data=request.POST,
        rejected=_("Rejected %(id)s; it is not listed."),
    )


@seller_page("catalog:read")
def resale_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    """One request of this seller (another's is a 404): its data, inspect, reject or list."""
    seller = request.desk.seller  # type: ignore[attr-defined]
    item = selectors.request_for_seller(seller=seller, public_id=request_id)
    posted: Any = None
    status = 200
    if request.method == "POST":
        try:
            messages.success(request, _act(request, item))
        except AgoraError as exc:
            if exc.problem in (FORBIDDEN, NOT_FOUND):
                raise  # the seller page answers these as 403 / 404
            messages.error(request, str(exc))
            posted, status = request.POST, INVALID
        else:
            return redirect("sellercenter:resale_detail", request_id=item.public_id)
    return page(
        request,
        "sellercenter/resale/detail.html",
        _("Resale request %(id)s") % {"id": item.public_id},
        "resale",
        {
            "item": item,
            "owners": list(item.owners.all()),
            "form": form_state(posted, item),
            "grades": [(g, WARRANTY_MONTHS[g]) for g in GRADES],
        },
        status=status,
    )
