"""Reads for the sustainability dashboards (issue 7 C4): rental revenue by month and reusable
packaging loops, summed in SQL. ``seller=None`` means the whole platform.

Rental revenue counts the rent and late fees of bookings that were paid (reserved, active,
returned, inspected or closed; not pending or cancelled), by the month the rental starts.
Deposits are not revenue and are left out. Resale revenue counts the line totals (after
discounts) of paid orders (not cancelled or refunded) selling a listed resale unit, by the month
the order was paid; those sales are also in the ordinary sales figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from agora.circular.models import PackagingUse, RentalBooking, ReusablePackage
from agora.circular.resale.selectors import sold_lines
from agora.marketplace.models import Seller

PAID = (
    RentalBooking.Status.RESERVED,
    RentalBooking.Status.ACTIVE,
    RentalBooking.Status.RETURNED,
    RentalBooking.Status.INSPECTED,
    RentalBooking.Status.CLOSED,
)


@dataclass(frozen=True, slots=True)
class RentalMonth:
    month: str  # YYYY-MM
    currency: str
    bookings: int
    revenue_minor: int


@dataclass(frozen=True, slots=True)
class ResaleMonth:
    month: str  # YYYY-MM
    currency: str
    units: int
    revenue_minor: int


@dataclass(frozen=True, slots=True)
class LoopMonth:
    month: str
    loops: int
    kg_co2e_avoided: Decimal


@dataclass(frozen=True, slots=True)
class PackagingTotals:
    packages: int
    out: int
    loops: int
    kg_co2e_avoided: Decimal
    deposits_refunded_minor: dict[str, int]


KG = Decimal("0.0001")  # the recorded precision (SQLite sums decimals as floats)


def _kg(value: Decimal | float | None) -> Decimal:
    return Decimal(str(value or 0)).quantize(KG)


def _month(value: date | datetime) -> str:
    return value.strftime("%Y-%m")


def rental_revenue_by_month(
    *, seller: Seller | None = None, since: date | None = None
) -> list[RentalMonth]:
    rows = RentalBooking.objects.filter(status__in=PAID)
    if seller is not None:
        rows = rows.filter(seller=seller)
    if since is not None:
        rows = rows.filter(start_date__gte=since)
    grouped = (
        rows.annotate(month=TruncMonth("start_date"))
        .values("month", "currency")
        .annotate(bookings=Count("pk"), revenue=Sum(F("rent_minor") + F("late_fee_minor")))
        .order_by("month", "currency")
    )
    return [
        RentalMonth(_month(r["month"]), r["currency"], r["bookings"], r["revenue"] or 0)
        for r in grouped
    ]


def resale_revenue_by_month(
    *, seller: Seller | None = None, since: datetime | None = None
) -> list[ResaleMonth]:
    """Units and revenue of sold resale units per month (of payment) and currency."""
    rows = sold_lines(seller=seller).annotate(paid=Coalesce("order__paid_at", "order__placed_at"))
    if since is not None:
        rows = rows.filter(paid__gte=since)
    grouped = (
        rows.annotate(month=TruncMonth("paid"))
        .values("month", "order__currency")
        .annotate(units=Sum("quantity"), revenue=Sum("total_minor"))
        .order_by("month", "order__currency")
    )
    return [
        ResaleMonth(_month(r["month"]), r["order__currency"], r["units"] or 0, r["revenue"] or 0)
        for r in grouped
    ]


def _returned(seller: Seller | None, since: datetime | None):  # type: ignore[no-untyped-def]
    rows = PackagingUse.objects.filter(state=PackagingUse.State.RETURNED)
    if seller is not None:
        rows = rows.filter(seller=seller)
    if since is not None:
        rows = rows.filter(refunded_at__gte=since)
    return rows


def packaging_loops_by_month(
    *, seller: Seller | None = None, since: datetime | None = None
) -> list[LoopMonth]:
    """Completed loops (empty packages back) and the kg CO2e they avoided, per month."""
    grouped = (
        _returned(seller, since)
        .annotate(month=TruncMonth("refunded_at"))
        .values("month")
        .annotate(loops=Count("pk"), kg=Sum("kg_co2e_avoided"))
        .order_by("month")
    )
    return [LoopMonth(_month(r["month"]), r["loops"], _kg(r["kg"])) for r in grouped]


def packaging_totals(*, seller: Seller | None = None) -> PackagingTotals:
    packages = ReusablePackage.objects.all()
    if seller is not None:
        packages = packages.filter(seller=seller)
    agg = packages.aggregate(
        n=Count("pk"),
        loops=Sum("loops"),
        out=Count("pk", filter=Q(state=ReusablePackage.State.OUT)),
    )
    returned = _returned(seller, None)
    kg = _kg(returned.aggregate(kg=Sum("kg_co2e_avoided"))["kg"])
    refunded = dict(
        returned.values("currency")
        .annotate(total=Sum("deposit_minor"))
        .order_by("currency")
        .values_list("currency", "total")
    )
    return PackagingTotals(agg["n"], agg["out"], agg["loops"] or 0, kg, refunded)
