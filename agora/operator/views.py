"""The operator pages inside the admin site (served through ``OperatorSite.admin_view``: staff
only, CSRF-protected, never cached). Thin: parse a form, call one service or selector, render
with the admin's templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from agora.accounts.services import actor_for_user
from agora.core.errors import AgoraError
from agora.core.money import Money
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_transition
from agora.marketplace.states import SellerState
from agora.operator.forms import DecisionForm, ReinstateForm, SalesForm
from agora.operator.selectors import (
    platform_sales,
    sales_currencies,
    seller_applications,
    seller_awaiting,
    seller_suspended,
    sellers_held_back,
)

APPLICATIONS_URL = "admin:operator_applications"


def _decide(request: HttpRequest, seller: Seller, form: DecisionForm) -> str:
    """Applies one decision through ``seller_transition`` (each step audited, with its event);
    returns the message to show. An approval of an applied seller is two steps, verify then
    activate, each its own transaction: if the second is refused the seller stays verified."""
    actor = actor_for_user(request.user)  # type: ignore[arg-type]
    decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"].strip()
    if decision == "reject":
        seller_transition(actor=actor, seller=seller, to=SellerState.REJECTED, reason=reason)
        return _("Rejected %(seller)s: %(reason)s") % {"seller": seller, "reason": reason}
    note = reason or _("approved in the operator console")
    if seller.state == SellerState.APPLIED:
        seller = seller_transition(actor=actor, seller=seller, to=SellerState.VERIFIED, reason=note)
    if decision == "verify":
        return _("Verified %(seller)s.") % {"seller": seller}
    seller_transition(actor=actor, seller=seller, to=SellerState.ACTIVE, reason=note)
    return _("Approved %(seller)s: the seller is active and may sell.") % {"seller": seller}


def seller_applications_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """The queue of applied and verified sellers with their VAT check; approve or reject each."""
    failed: dict[str, Any] = {}
    if request.method == "POST":
        if "note" in request.POST:
            return _reinstate(request)
        public_id = request.POST.get("seller", "")
        form = DecisionForm(request.POST, auto_id=f"id_{public_id[:40]}_%s")
        seller = seller_awaiting(public_id=public_id)
        if seller is None:
            messages.error(
                request,
                _("Seller %(id)s is not waiting for a decision (decided already, or unknown).")
                % {"id": public_id[:40]},
            )
            return HttpResponseRedirect(reverse(APPLICATIONS_URL))
        if form.is_valid():
            try:
                messages.success(request, _decide(request, seller, form))
            except AgoraError as exc:
                messages.error(request, f"{seller}: {exc.detail}")
            return HttpResponseRedirect(reverse(APPLICATIONS_URL))
        failed = {seller.public_id: form}
    rows = [
        {
            "app": app,
            "form": failed.get(app.seller.public_id)
            or DecisionForm(
                initial={"seller": app.seller.public_id},
                auto_id=f"id_{app.seller.public_id}_%s",  # one form per seller: unique ids
            ),
        }
        for app in seller_applications()
    ]
    context = {
        **site.each_context(request),
        "title": _("Seller applications"),
        "rows": rows,
        "held_back": sellers_held_back(),
        "seller_changelist": reverse("admin:marketplace_seller_changelist"),
    }
    status = 400 if failed else 200
    return TemplateResponse(request, "operator/applications.html", context, status=status)


def _reinstate(request: HttpRequest) -> HttpResponse:
    form = ReinstateForm(request.POST)
    seller = seller_suspended(public_id=request.POST.get("seller", ""))
    if seller is None or not form.is_valid():
        messages.error(
            request,
            _("Seller %(id)s is not suspended, or the note is longer than 300 characters.")
            % {"id": request.POST.get("seller", "")[:40]},
        )
        return HttpResponseRedirect(reverse(APPLICATIONS_URL))
    actor = actor_for_user(request.user)  # type: ignore[arg-type]
    note = form.cleaned_data["note"].strip() or _("reinstated in the operator console")
    try:
        seller_transition(actor=actor, seller=seller, to=SellerState.ACTIVE, reason=note)
        messages.success(request, _("Reinstated %(seller)s.") % {"seller": seller})
    except AgoraError as exc:
        messages.error(request, f"{seller}: {exc.detail}")
    return HttpResponseRedirect(reverse(APPLICATIONS_URL))


def _money(amount_minor: int, currency: str, locale: str) -> str:
    return Money(amount_minor, currency).format(locale)


def platform_sales_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """GMV, orders, refunds and commission for a date range, by period, seller and category."""
    currencies = sales_currencies()
    form = SalesForm(request.GET or None, currencies=currencies)
    context: dict[str, Any] = {
        **site.each_context(request),
        "title": _("Platform sales"),
        "form": form,
        "report": None,
    }
    if not form.is_valid():
        return TemplateResponse(request, "operator/sales.html", context, status=400)
    data = form.cleaned_data
    report = platform_sales(
        currency=data["currency"],
        start=data["start"],
        end=data["end"],
        granularity=data["granularity"],
    )
    locale = to_locale(get_language() or "en")
    cur = report.currency

    def money_row(row: Any) -> dict[str, Any]:
        return {
            "label": row.label,
            "key": row.key,
            "orders": row.orders,
            "gmv": _money(row.gmv_minor, cur, locale),
            "refunds": _money(row.refunds_minor, cur, locale),
            "net": _money(row.net_minor, cur, locale),
            "commission": _money(row.commission_minor, cur, locale),
        }

    context.update(
        report=report,
        total=money_row(report.total),
        by_period=[money_row(r) for r in report.by_period],
        by_seller=[money_row(r) for r in report.by_seller],
        by_category=[
            {
                "label": r.label,
                "orders": r.orders,
                "units": r.units,
                "sales": _money(r.sales_minor, cur, locale),
            }
            for r in report.by_category
        ],
    )
    return TemplateResponse(request, "operator/sales.html", context)
