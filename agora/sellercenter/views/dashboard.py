"""The dashboard: sales by day over 30 days, the best sellers and the return rate, as Chart.js
charts with the same figures in tables (the charts' text alternative)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from agora.core.money import Money
from agora.sellercenter import selectors
from agora.sellercenter.access import seller_page
from agora.sellercenter.views.common import page


@seller_page("orders:read")
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(seller=request.desk.seller)  # type: ignore[attr-defined]
    chart = {
        "sales": {
            "labels": [d.day.isoformat() for d in board.days],
            "values": [str(Money(d.total_minor, board.currency).amount) for d in board.days],
            "label": _("Sales (%(currency)s)") % {"currency": board.currency},
        },
        "top": {
            "labels": [t.title or _("(deleted product)") for t in board.top],
            "values": [t.units for t in board.top],
            "label": _("Units sold"),
        },
    }
    return page(
        request,
        "sellercenter/dashboard.html",
        _("Dashboard"),
        "dashboard",
        {
            "board": board,
            "chart": chart,
            "to_fulfil": sum(board.orders_by_status.get(s, 0) for s in selectors.TO_FULFIL),
        },
    )
