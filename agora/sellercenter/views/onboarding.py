"""Becoming a seller: the application form and the status page that follows it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.accounts.services import actor_for_user
from agora.core.errors import AgoraError
from agora.marketplace.services import seller_apply
from agora.sellercenter.access import SESSION_KEY, choose_seller, desk_for, seller_page
from agora.sellercenter.feedback import add_service_error
from agora.sellercenter.forms.onboarding import ApplyForm
from agora.sellercenter.views.common import INVALID, page


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Anyone signed in may apply; the new seller starts ``applied`` with them as its owner."""
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seller = seller_apply(
                actor=actor_for_user(request.user),  # type: ignore[arg-type]
                display_name=data["display_name"],
                legal_name=data["legal_name"],
                country=data["country"],
                payout_currency=data["payout_currency"],
                vat_id=data["vat_id"],
                owner=request.user,
            )
        except AgoraError as exc:
            add_service_error(form, exc, {"slug": "display_name"})
        else:
            request.session[SESSION_KEY] = seller.public_id
            return redirect("sellercenter:status")
    request.desk = desk_for(request)  # type: ignore[attr-defined]
    status = INVALID if request.method == "POST" else 200
    return page(
        request,
        "sellercenter/apply.html",
        _("Apply to sell"),
        "status",
        {"form": form},
        status=status,
    )


@seller_page(None)
def status(request: HttpRequest) -> HttpResponse:
    return page(request, "sellercenter/status.html", _("Your shop's status"), "status")


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """Works for another of the user's sellers from now on (unknown choices are ignored)."""
    choose_seller(request, request.POST.get("seller", ""))
    return redirect("sellercenter:dashboard")
