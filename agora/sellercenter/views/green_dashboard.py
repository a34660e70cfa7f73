"""Sustainability dashboard (issue 7 C4): delivery emissions by mode and month, the share of
low-carbon deliveries, rental and resale revenue by month and reusable packaging loops over the
last 12 months, as Chart.js charts with the same figures in tables (the charts' text
alternative); and the packaging actions: pack a shipment in a reusable package, take an empty
package back.

:func:`build_board` is shared with the operator console (``seller=None``: the whole platform).
The sums are done in SQL by the selectors (``sustainability.dashboard``, ``circular.dashboard``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.circular import dashboard as circular_board
from agora.circular.models import PackagingUse
from agora.circular.packaging import selectors as packaging
from agora.circular.packaging import services as packaging_services
from agora.core import clock
from agora.core.errors import NOT_FOUND, AgoraError
from agora.core.money import Money
from agora.marketplace.models import Seller
from agora.sellercenter.access import seller_page
from agora.sellercenter.views.common import page
from agora.sustainability import dashboard as delivery_board

MONTHS = 12


def month_labels(today: date, months: int = MONTHS) -> list[str]:
    """The last ``months`` calendar months ending with ``today``'s, oldest first (YYYY-MM)."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]


def _mode_label(modes: str) -> str:
    return " + ".join(m.replace("_", " ") for m in modes.split(",")) or _("unknown")


@dataclass
class Board:
    months: list[str]
    emissions: list[Any]
    share: Any
    rentals: list[Any]
    rental_currency: str
    loops: list[Any]
    packaging: Any
    resales: list[Any] = field(default_factory=list)
    resale_currency: str = "EUR"
    chart: dict[str, Any] = field(default_factory=dict)

    @property
    def other_rental_currencies(self) -> list[str]:
        return sorted({r.currency for r in self.rentals} - {self.rental_currency})

    @property
    def other_resale_currencies(self) -> list[str]:
        return sorted({r.currency for r in self.resales} - {self.resale_currency})


def build_board(*, seller: Seller | None) -> Board:
    """Everything the dashboard shows for ``seller`` (None: every seller)."""
    months = month_labels(clock.now().date())
    start = datetime(int(months[0][:4]), int(months[0][5:]), 1, tzinfo=UTC)
    seller_id = seller.public_id if seller is not None else None
    emissions = delivery_board.emissions_by_mode_month(seller_public_id=seller_id, since=start)
    share = delivery_board.low_carbon_share(seller_public_id=seller_id, since=start)
    rentals = circular_board.rental_revenue_by_month(seller=seller, since=start.date())
    loops = circular_board.packaging_loops_by_month(seller=seller, since=start)
    totals = circular_board.packaging_totals(seller=seller)
    resales = circular_board.resale_revenue_by_month(seller=seller, since=start)
    currency = _main_currency(rentals, seller)
    board = Board(months, emissions, share, rentals, currency, loops, totals)
    board.resales, board.resale_currency = resales, _main_currency(resales, seller)
    board.chart = _chart(board)
    return board


def _main_currency(rentals: list[Any], seller: Seller | None) -> str:
    totals: dict[str, int] = {}
    for row in rentals:  # one row per month and currency: at most a few dozen
        totals[row.currency] = totals.get(row.currency, 0) + row.revenue_minor
    if totals:
        return max(sorted(totals), key=lambda c: totals[c])
    return seller.payout_currency if seller is not None else "EUR"


def _chart(board: Board) -> dict[str, Any]:
    modes = sorted({row.modes for row in board.emissions})
    kg = {(row.month, row.modes): row.kg_co2e for row in board.emissions}
    rent = {r.month: r.revenue_minor for r in board.rentals if r.currency == board.rental_currency}
    loops = {r.month: r.loops for r in board.loops}
    resale = {
        r.month: r.revenue_minor for r in board.resales if r.currency == board.resale_currency
    }
    return {
        "emissions-chart": {
            "labels": board.months,
            "stacked": True,
            "datasets": [
                {
                    "label": _mode_label(mode),
                    "values": [str(kg.get((m, mode), Decimal(0))) for m in board.months],
                }
                for mode in modes
            ],
        },
        "rentals-chart": {
            "labels": board.months,
            "datasets": [
                {
                    "label": _("Rental revenue (%(c)s)") % {"c": board.rental_currency},
                    "values": [
                        str(Money(rent.get(m, 0), board.rental_currency).amount)
                        for m in board.months
                    ],
                }
            ],
        },
        "resales-chart": {
            "labels": board.months,
            "datasets": [
                {
                    "label": _("Resale revenue (%(c)s)") % {"c": board.resale_currency},
                    "values": [
                        str(Money(resale.get(m, 0), board.resale_currency).amount)
                        for m in board.months
                    ],
                }
            ],
        },
        "loops-chart": {
            "labels": board.months,
            "datasets": [
                {"label": _("Packaging loops"), "values": [loops.get(m, 0) for m in board.months]}
            ],
        },
    }


@seller_page("orders:read")
def green_dashboard(request: HttpRequest) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    return page(
        request,
        "sellercenter/green_dashboard.html",
        _("Sustainability dashboard"),
        "green",
        {
            "board": build_board(seller=seller),
            "low_carbon_kg": delivery_board.LOW_CARBON_KG,
            "types": list(packaging.types_for_seller(seller=seller)),
            "out": packaging.uses_out(seller=seller),
            "channels": PackagingUse.Channel.choices,
        },
    )


def _back() -> HttpResponse:
    return redirect(f"{reverse('sellercenter:green')}#packaging-h")


@require_POST
@seller_page("orders:write")
def packaging_pack(request: HttpRequest) -> HttpResponse:
    """Packs the shipment named in the form in the reusable package named in the form."""
    seller, actor = request.desk.seller, request.desk.actor  # type: ignore[attr-defined]
    package_id = request.POST.get("package", "").strip()
    shipment_id = request.POST.get("shipment", "").strip()
    package = packaging.package_for_seller(seller=seller, public_id=package_id)
    try:
        if package is None:
            raise AgoraError(NOT_FOUND, _("You have no package %(id)s.") % {"id": package_id})
        use = packaging_services.packaging_ship(
            actor=actor, package=package, shipment_public_id=shipment_id
        )
    except AgoraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Package %(p)s goes with shipment %(s)s.")
            % {"p": use.package.public_id, "s": use.shipment_public_id},
        )
    return _back()


@require_POST
@seller_page("orders:write")
def packaging_take_back(request: HttpRequest) -> HttpResponse:
    """An empty package came back: refund its deposit (once) and count the loop."""
    seller, actor = request.desk.seller, request.desk.actor  # type: ignore[attr-defined]
    package_id = request.POST.get("package", "").strip()
    use = packaging.latest_use_of_package(seller=seller, public_id=package_id)
    try:
        if use is None:
            raise AgoraError(
                NOT_FOUND, _("Package %(id)s never went out with a shipment.") % {"id": package_id}
            )
        use = packaging_services.packaging_return(
            actor=actor, use=use, via=request.POST.get("via", "")
        )
    except AgoraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Package %(p)s is back; the deposit of %(d)s is refunded.")
            % {"p": use.package.public_id, "d": Money(use.deposit_minor, use.currency)},
        )
    return _back()
