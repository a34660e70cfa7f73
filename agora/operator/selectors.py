"""The operator's reads: the seller-application queue and platform-wide sales.

Sales are aggregated in SQL, one query per table shown, whatever the number of orders. What
counts and when:

- an order counts once it was paid: every status but ``placed``, and ``cancelled`` only when it
  had been paid (then it was refunded in full, so it shows in refunds too); imported orders
  (``completed``) count;
- every figure is keyed by the day the order was placed (UTC), in one currency;
- GMV is the orders' totals (goods, shipping and tax as charged); refunds what went back on
  those orders; commission the platform's net commission booked on them in the ledger (earned
  at escrow release, less what refunds took back), so it lags delivery;
- by category, the figures are the order lines' totals (goods only, by the product's category
  as it is now), because commission and refunds are booked per order, not per line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncWeek

from agora.marketplace.models import Seller, SellerStaff
from agora.marketplace.states import SellerState
from agora.marketplace.vat import VatIdError, normalize_vat_id
from agora.orders.models import Order, OrderLine
from agora.payments.models import LedgerEntry
from agora.payments.postings import PLATFORM_COMMISSION

UTC = dt.UTC
SOLD = ~Q(status=Order.Status.PLACED) & ~Q(status=Order.Status.CANCELLED, paid_at__isnull=True)


# --- seller applications ------------------------------------------------------------------
@dataclass(frozen=True)
class VatCheck:
    ok: bool | None  # None: no VAT id given
    message: str


def vat_check(seller: Seller) -> VatCheck:
    """Re-validates the stored VAT id (format and check digits, python-stdnum) for the queue.
    Nothing is asked of VIES: it needs a network call per seller."""
    if not seller.vat_id:
        return VatCheck(None, "")
    try:
        normalized = normalize_vat_id(seller.country, seller.vat_id)
    except VatIdError as exc:
        return VatCheck(False, str(exc))
    return VatCheck(True, normalized)


@dataclass
class Application:
    seller: Seller
    vat: VatCheck
    owners: list[str] = field(default_factory=list)


QUEUE_STATES = (SellerState.APPLIED, SellerState.VERIFIED)


def seller_applications(*, limit: int = 200) -> list[Application]:
    """Sellers waiting for a decision, oldest first, with their owners' emails (two queries;
    the emails are opened from the owners' vault rows)."""
    sellers = list(Seller.objects.filter(state__in=QUEUE_STATES).order_by("created_at")[:limit])
    owners: dict[int, list[str]] = {}
    for staff in SellerStaff.objects.filter(
        seller_id__in=[s.pk for s in sellers], role=SellerStaff.Role.OWNER
    ).select_related("user__person"):
        owners.setdefault(staff.seller_id, []).append(staff.user.email)
    for emails in owners.values():
        emails.sort()
    return [Application(s, vat_check(s), owners.get(s.pk, [])) for s in sellers]


def seller_awaiting(*, public_id: str) -> Seller | None:
    """The seller with ``public_id`` if it is in the application queue, else None (decided
    already, or unknown): what a decision may act on."""
    return Seller.objects.filter(public_id=public_id, state__in=QUEUE_STATES).first()


def seller_suspended(*, public_id: str) -> Seller | None:
    """The seller with ``public_id`` if it is suspended (the one state reinstating leaves)."""
    return Seller.objects.filter(public_id=public_id, state=SellerState.SUSPENDED).first()


def sellers_held_back(*, limit: int = 50) -> list[Seller]:
    """Suspended and rejected sellers, latest decision first, with the reason they were given."""
    return list(
        Seller.objects.filter(state__in=(SellerState.SUSPENDED, SellerState.REJECTED)).order_by(
            "-state_changed_at"
        )[:limit]
    )


# --- platform sales -----------------------------------------------------------------------
@dataclass(frozen=True)
class SalesRow:
    key: object  # a date, a seller id or a category id (None: no category)
    label: str
    orders: int
    gmv_minor: int
    refunds_minor: int
    commission_minor: int

    @property
    def net_minor(self) -> int:
        return self.gmv_minor - self.refunds_minor


@dataclass(frozen=True)
class CategoryRow:
    category_id: int | None
    label: str
    orders: int
    units: int
    sales_minor: int


@dataclass(frozen=True)
class SalesReport:
    currency: str
    start: dt.date
    end: dt.date
    granularity: str
    total: SalesRow
    by_period: list[SalesRow]
    by_seller: list[SalesRow]
    by_category: list[CategoryRow]


def sales_currencies() -> list[str]:
    """Currencies that orders were placed in, for the report's currency choice."""
    return list(Order.objects.order_by("currency").values_list("currency", flat=True).distinct())


def _window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = dt.datetime.combine(start, dt.time.min, tzinfo=UTC)
    return first, dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=UTC)


def sold_orders(*, currency: str, start: dt.date, end: dt.date) -> QuerySet[Order]:
    """Paid orders in ``currency`` placed from ``start`` to ``end`` (inclusive, UTC days)."""
    low, high = _window(start, end)
    return Order.objects.filter(SOLD, currency=currency, placed_at__gte=low, placed_at__lt=high)


def _commission() -> Coalesce:
    """The platform's net commission on the outer order: its ledger entries on the commission
    account (release credits it, refunds debit it back)."""
    per_order = (
        LedgerEntry.objects.filter(
            transaction__reference=OuterRef("public_id"),
            account__kind=PLATFORM_COMMISSION,
            currency=OuterRef("currency"),
        )
        .order_by()
        .values("transaction__reference")
        .annotate(total=Sum("amount_minor"))
        .values("total")
    )
    return Coalesce(Subquery(per_order, output_field=IntegerField()), Value(0))


def _grouped(orders: QuerySet[Order], *keys: str) -> list[dict[str, object]]:
    return list(
        orders.annotate(commission=_commission())
        .values(*keys)
        .annotate(
            n=Count("id"),
            gmv=Sum("total_minor"),
            refunds=Sum("refunded_minor"),
            earned=Sum("commission"),
        )
        .order_by(*keys)
    )


def _row(key: object, label: str, values: dict[str, object] | None) -> SalesRow:
    values = values or {}
    return SalesRow(
        key=key,
        label=label,
        orders=int(values.get("n") or 0),  # type: ignore[call-overload]
        gmv_minor=int(values.get("gmv") or 0),  # type: ignore[call-overload]
        refunds_minor=int(values.get("refunds") or 0),  # type: ignore[call-overload]
        commission_minor=int(values.get("earned") or 0),  # type: ignore[call-overload]
    )


def _periods(start: dt.date, end: dt.date, granularity: str) -> list[dt.date]:
    step = dt.timedelta(days=7 if granularity == "week" else 1)
    first = start - dt.timedelta(days=start.weekday()) if granularity == "week" else start
    days, day = [], first
    while day <= end:
        days.append(day)
        day += step
    return days


def platform_sales(
    *, currency: str, start: dt.date, end: dt.date, granularity: str = "day"
) -> SalesReport:
    """GMV, orders, refunds and commission by day or week (ISO weeks, Monday first), by seller
    and by category, for orders in ``currency`` placed from ``start`` to ``end``. Four queries."""
    if granularity not in ("day", "week"):
        raise ValueError(f"granularity must be 'day' or 'week', not {granularity!r}")
    orders = sold_orders(currency=currency, start=start, end=end)
    trunc = TruncWeek if granularity == "week" else TruncDate
    period_rows = _grouped(orders.annotate(period=trunc("placed_at", tzinfo=UTC)), "period")
    by_key = {
        (r["period"].date() if isinstance(r["period"], dt.datetime) else r["period"]): r
        for r in period_rows
    }
    by_period = [
        _row(day, day.isoformat(), by_key.get(day)) for day in _periods(start, end, granularity)
    ]

    by_seller = sorted(
        (
            _row(r["seller_id"], str(r["seller__display_name"]), r)
            for r in _grouped(orders, "seller_id", "seller__display_name")
        ),
        key=lambda row: (-row.gmv_minor, row.label),
    )

    lines = (
        OrderLine.objects.filter(order__in=orders)
        .values(category_id=F("variant__product__category_id"))
        .annotate(
            label=F("variant__product__category__name"),
            n=Count("order_id", distinct=True),
            units=Sum("quantity"),
            sales=Sum("total_minor"),
        )
        .order_by("-sales", "label")
    )
    by_category = [
        CategoryRow(
            category_id=r["category_id"],
            label=r["label"] or "",
            orders=r["n"],
            units=r["units"] or 0,
            sales_minor=r["sales"] or 0,
        )
        for r in lines
    ]

    total = SalesRow(
        key=None,
        label="",
        orders=sum(r.orders for r in by_period),
        gmv_minor=sum(r.gmv_minor for r in by_period),
        refunds_minor=sum(r.refunds_minor for r in by_period),
        commission_minor=sum(r.commission_minor for r in by_period),
    )
    return SalesReport(currency, start, end, granularity, total, by_period, by_seller, by_category)
