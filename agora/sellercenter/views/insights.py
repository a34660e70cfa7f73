"""Buyer insights (issue 8 item 4): sales by buyer region and by buyer tenure, released with
differential privacy. The page shows the month's releases, the budget left and a form to
release a table; the rules (noise, budget, ledger) live in :mod:`agora.privacy.dp.services`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agora.core import clock
from agora.core.errors import AgoraError
from agora.privacy.dp import cells, policy, selectors, services
from agora.privacy.models import DpBudget
from agora.sellercenter.access import seller_page
from agora.sellercenter.views.common import page

TITLES = {
    "sales-by-region": gettext_lazy("Sales by buyer region"),
    "sales-by-tenure": gettext_lazy("Sales by buyer tenure"),
}


def _month(request: HttpRequest, source: Any) -> str:
    month = (source.get("month") or "").strip() or clock.now().strftime("%Y-%m")
    try:
        selectors.month_bounds(month)
    except AgoraError as exc:
        messages.error(request, str(exc))
        return clock.now().strftime("%Y-%m")
    return month


def _table(entry: Any) -> dict[str, Any]:
    result = entry.result
    name = result["query"]
    if name == "sales-by-region":
        groups = [
            {**row, "label": cells.REGIONS[row["cell"]]} for row in services.regions_of(result)
        ]
        detail = [
            {**row, "label": row["cell"]} for row in services.rows_of(result) if row["orders"] > 0
        ]
    else:
        groups = [
            {**row, "label": cells.TENURE_BANDS[row["cell"]]} for row in services.rows_of(result)
        ]
        detail = []
    return {
        "title": TITLES.get(name, name),
        "entry": entry,
        "epsilon": services.eps_text(entry.epsilon),
        "groups": groups,
        "detail": detail,
        "noise": {
            part: {
                "k": result["sensitivity"][part],
                "scale": round(result["scale"][part], 1),
                "accuracy": round(result["accuracy95"][part]),
            }
            for part in ("orders", "units")
        },
    }


@seller_page("orders:read")
def insights(request: HttpRequest) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    month = _month(request, request.GET)
    budget = DpBudget.objects.filter(seller=seller, period=month).first()
    limit = budget.epsilon_limit if budget else policy.monthly_epsilon()
    spent = selectors.spent(seller=seller, month=month)
    return page(
        request,
        "sellercenter/insights.html",
        _("Buyer insights"),
        "insights",
        {
            "month": month,
            "limit": services.eps_text(limit),
            "spent": services.eps_text(spent),
            "remaining": services.eps_text(max(limit - spent, Decimal(0))),
            "tables": [_table(e) for e in selectors.ledger(seller=seller, month=month)],
            "queries": list(TITLES.items()),
            "choices": [(services.eps_text(c),) * 2 for c in policy.epsilon_choices()],
            "default_epsilon": services.eps_text(policy.release_epsilon()),
            "k": policy.orders_per_buyer(),
            "u": policy.units_per_buyer(),
        },
    )


@require_POST
@seller_page("orders:read")
def insights_release(request: HttpRequest) -> HttpResponse:
    """Releases the table named in the form for the month, spending its ε once."""
    seller = request.desk.seller  # type: ignore[attr-defined]
    month = _month(request, request.POST)
    query = request.POST.get("query", "")
    try:
        release = services.release(
            actor=request.desk.actor,  # type: ignore[attr-defined]
            seller=seller,
            query=query,
            month=month,
            epsilon=request.POST.get("epsilon"),
        )
    except AgoraError as exc:
        messages.error(request, str(exc))
    else:
        if release.fresh:
            messages.success(
                request,
                _("Released with ε %(e)s; ε %(r)s is left in the budget of this month.")
                % {
                    "e": services.eps_text(release.entry.epsilon),
                    "r": services.eps_text(release.remaining),
                },
            )
        else:
            messages.info(
                request, _("Already released: the same figures are shown again, nothing spent.")
            )
    return redirect(f"{reverse('sellercenter:insights')}?month={month}")
