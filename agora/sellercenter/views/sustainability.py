"""Sustainability in the seller center (part S2 of issue 7): state a product's carbon footprint
with its basis, and request green labels with their evidence."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agora.catalog.models import Product
from agora.core.errors import AgoraError
from agora.sellercenter.access import seller_page
from agora.sellercenter.feedback import add_service_error
from agora.sellercenter.views.common import INVALID, page
from agora.sustainability.labels.forms import FootprintForm, LabelRequestForm
from agora.sustainability.labels.selectors import labels_of_seller
from agora.sustainability.labels.services import label_request
from agora.sustainability.products.averages import averages
from agora.sustainability.products.services import footprint_set

SECTION = "sustainability"
MAX_PRODUCTS = 500


@seller_page("catalog:read")
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    desk = request.desk  # type: ignore[attr-defined]
    products = {
        p.public_id: p
        for p in Product.objects.filter(seller=desk.seller).order_by("title")[:MAX_PRODUCTS]
    }
    choices = [(pid, p.title) for pid, p in products.items()]
    average_choices = [
        (
            row.key,
            f"{row.description}: {row.kg_co2e} kg CO₂e / {row.per} ({row.source}, {row.year})",
        )
        for row in averages().values()
    ]
    which = request.POST.get("form") if request.method == "POST" else None
    footprint_form = FootprintForm(
        request.POST if which == "footprint" else None, products=choices, averages=average_choices
    )
    label_form = LabelRequestForm(
        request.POST if which == "label" else None,
        request.FILES if which == "label" else None,
        products=choices,
    )
    status = 200
    if which == "footprint":
        if footprint_form.is_valid():
            data = footprint_form.cleaned_data
            try:
                footprint_set(
                    actor=desk.actor,
                    product=products[data["product"]],
                    basis=data["basis"],
                    assessed_on=data["assessed_on"],
                    kg_co2e=data["kg_co2e"],
                    reference=data["reference"],
                    average_key=data["average_key"],
                    functional_units=data["functional_units"] or 1,
                )
            except AgoraError as exc:
                add_service_error(footprint_form, exc)
                status = INVALID
            else:
                messages.success(request, _("The footprint is saved."))
                return redirect("sellercenter:sustainability")
        else:
            status = INVALID
    elif which == "label":
        if label_form.is_valid():
            data = label_form.cleaned_data
            evidence = data["evidence"]
            try:
                label_request(
                    actor=desk.actor,
                    product=products[data["product"]],
                    kind=data["kind"],
                    scheme=data["scheme"],
                    document=data["document"] if evidence == "document" else None,
                    evidence_url=data["evidence_url"] if evidence == "url" else "",
                    evidence_number=data["evidence_number"] if evidence == "url" else "",
                    use_rule=evidence == "rule",
                    expires_on=data["expires_on"],
                )
            except AgoraError as exc:
                add_service_error(label_form, exc)
                status = INVALID
            else:
                messages.success(request, _("The label is requested; an operator reviews it."))
                return redirect("sellercenter:sustainability")
        else:
            status = INVALID
    return page(
        request,
        "sellercenter/sustainability.html",
        _("Sustainability"),
        SECTION,
        {
            "footprint_form": footprint_form,
            "label_form": label_form,
            "labels": labels_of_seller(seller_id=desk.seller.pk),
            "averages": list(averages().values()),
        },
        status=status,
    )
