"""Stock by location: the variants-by-locations table with the low-stock mark, and per variant
the receive, adjust and threshold forms."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.core.errors import AgoraError
from agora.inventory.selectors import location_list, stock_for_variant
from agora.inventory.services import location_create, stock_adjust, stock_policy_set, stock_receive
from agora.sellercenter import selectors
from agora.sellercenter.access import owned, seller_page
from agora.sellercenter.feedback import add_service_error
from agora.sellercenter.forms.stock import AdjustForm, LocationForm, ReceiveForm, ThresholdForm
from agora.sellercenter.views.common import INVALID, page


def _matrix_page(
    request: HttpRequest, location_form: LocationForm | None = None, status: int = 200
) -> HttpResponse:
    q = request.GET.get("q", "")
    locations, rows = selectors.stock_matrix(seller=request.desk.seller, q=q)  # type: ignore[attr-defined]
    return page(
        request,
        "sellercenter/stock/matrix.html",
        _("Stock by location"),
        "stock",
        {
            "locations": locations,
            "rows": rows,
            "q": q,
            "location_form": location_form or LocationForm(),
        },
        partial="matrix",
        status=status,
    )


@seller_page("inventory:read")
def stock_matrix(request: HttpRequest) -> HttpResponse:
    return _matrix_page(request)


@seller_page("inventory:write")
@require_POST
def location_new(request: HttpRequest) -> HttpResponse:
    form = LocationForm(request.POST)
    if form.is_valid():
        try:
            location_create(
                actor=request.desk.actor,  # type: ignore[attr-defined]
                seller=request.desk.seller,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except AgoraError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Location added."))
            return redirect("sellercenter:stock")
    return _matrix_page(request, form, status=INVALID)


@seller_page("inventory:write")
@require_http_methods(["GET", "POST"])
def stock_variant(request: HttpRequest, variant_id: str) -> HttpResponse:
    """One variant's stock at each location; ``action`` says which of the three forms was sent."""
    desk = request.desk  # type: ignore[attr-defined]
    variant = owned(request, selectors.variant_for_seller, variant_id)
    locations = location_list(seller=desk.seller)
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    receive = ReceiveForm(
        data if action == "receive" else None, locations=locations, prefix="receive"
    )
    adjust = AdjustForm(data if action == "adjust" else None, locations=locations, prefix="adjust")
    policy = getattr(variant, "stock_policy", None)
    threshold = ThresholdForm(
        data if action == "threshold" else None,
        prefix="threshold",
        initial={"low_stock_threshold": policy.low_stock_threshold if policy else 0},
    )
    chosen = {"receive": receive, "adjust": adjust, "threshold": threshold}.get(action or "")
    if chosen is not None and chosen.is_valid():
        d = chosen.cleaned_data
        try:
            if chosen is receive:
                stock_receive(
                    actor=desk.actor,
                    location=d["location"],
                    variant=variant,
                    quantity=d["quantity"],
                    reason="received",
                    reference=d["reference"],
                )
                messages.success(request, _("Stock received."))
            elif chosen is adjust:
                stock_adjust(
                    actor=desk.actor,
                    location=d["location"],
                    variant=variant,
                    quantity=d["quantity"],
                    reason=adjust.reason_text(),
                )
                messages.success(request, _("Stock adjusted."))
            else:
                stock_policy_set(
                    actor=desk.actor, variant=variant, low_stock_threshold=d["low_stock_threshold"]
                )
                messages.success(request, _("Threshold saved."))
        except AgoraError as exc:
            add_service_error(chosen, exc)
        else:
            return redirect("sellercenter:stock_variant", variant_id=variant.public_id)
    return page(
        request,
        "sellercenter/stock/variant.html",
        _("Stock of %(sku)s") % {"sku": variant.sku},
        "stock",
        {
            "variant": variant,
            "levels": stock_for_variant(variant=variant),
            "has_locations": bool(locations),
            "receive_form": receive,
            "adjust_form": adjust,
            "threshold_form": threshold,
        },
        status=INVALID if chosen is not None else 200,
    )
