"""The operator's sustainability dashboard (issue 7 C4): the seller center's figures for the
whole platform (delivery emissions by mode and month, low-carbon share, rental and resale
revenue, packaging loops) and the trade-ins credited, charts with their tables. Staff only,
through ``OperatorSite.admin_view``."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from agora.circular.tradein.selectors import tradein_summary
from agora.sellercenter.views.green_dashboard import build_board
from agora.sustainability.dashboard import LOW_CARBON_KG


def green_dashboard_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    context = {
        **site.each_context(request),
        "title": _("Sustainability dashboard"),
        "board": build_board(seller=None),
        "low_carbon_kg": LOW_CARBON_KG,
        "tradeins": [
            {**row, "credit": {"amount_minor": row["credit_minor"], "currency": row["currency"]}}
            for row in tradein_summary()
        ],
    }
    return TemplateResponse(request, "operator/green.html", context)
