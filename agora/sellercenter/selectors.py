"""Read queries of the seller center that no owning app answers on its own: the dashboard's
figures, the stock matrix, pick lists and the money pages. Each is a fixed, small number of
queries aggregated in SQL, tenant-scoped to the seller it is given."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from agora.accounts.models import ApiKey
from agora.catalog.models import Variant
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.ids import is_public_id
from agora.core.pagination import Page, paginate
from agora.fulfillment.models import Carrier
from agora.inventory.models import StockLevel, StockLocation, StockPolicy
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderLine, OrderReturn
from agora.payments.models import LedgerAccount, LedgerEntry, Payout

# Orders whose goods were sold (paid, on their way or arrived); placed-but-unpaid and cancelled
# orders are not sales.
SOLD = (
    Order.Status.PAID,
    Order.Status.PARTIALLY_FULFILLED,
    Order.Status.FULFILLED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
    Order.Status.REFUNDED,
)
TO_FULFIL = (Order.Status.PAID, Order.Status.PARTIALLY_FULFILLED)


# --- dashboard ----------------------------------------------------------------------------------
@dataclass
class DaySales:
    day: date
    orders: int
    total_minor: int


@dataclass
class TopProduct:
    title: str | None  # None: the product was deleted since
    sku_count: int
    units: int
    revenue_minor: int
    currency: str


@dataclass
class Dashboard:
    currency: str
    days: list[DaySales]
    top: list[TopProduct]
    units_sold: int
    units_returned: int
    orders_by_status: dict[str, int]
    open_returns: int
    other_currencies: list[str] = field(default_factory=list)

    @property
    def return_rate(self) -> float | None:
        return self.units_returned / self.units_sold if self.units_sold else None

    @property
    def total_minor(self) -> int:
        return sum(d.total_minor for d in self.days)


def dashboard(*, seller: Seller, days: int = 30) -> Dashboard:
    """Sales per day (in the seller's payout currency, every day of the window present),
    the ten best-selling products, the return rate (units in returns that were not rejected,
    over units sold, for orders of the window) and order counts by status: five queries."""
    today = clock.now().date()
    since_day = today - timedelta(days=days - 1)
    window = Order.objects.filter(seller=seller, placed_at__date__gte=since_day, status__in=SOLD)
    per_day = (
        window.annotate(day=TruncDate("placed_at"))
        .values("day", "currency")
        .annotate(orders=Count("id"), total=Sum("total_minor"))
    )
    by_currency: dict[str, dict[date, tuple[int, int]]] = defaultdict(dict)
    for row in per_day:
        by_currency[row["currency"]][row["day"]] = (row["orders"], row["total"] or 0)
    currency = seller.payout_currency
    if currency not in by_currency and by_currency:
        currency = max(by_currency, key=lambda c: len(by_currency[c]))
    series = by_currency.get(currency, {})
    day_rows = []
    for offset in range(days):
        day = since_day + timedelta(days=offset)
        orders, total = series.get(day, (0, 0))
        day_rows.append(DaySales(day, orders, total))

    lines = OrderLine.objects.filter(order__in=window)
    top = _top_products(lines)
    units = lines.aggregate(sold=Sum("quantity"), returned=Sum("returned_quantity"))
    statuses = dict(
        Order.objects.filter(seller=seller)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    open_returns = OrderReturn.objects.filter(
        order__seller=seller,
        status__in=(
            OrderReturn.Status.REQUESTED,
            OrderReturn.Status.APPROVED,
            OrderReturn.Status.RECEIVED,
        ),
    ).count()
    return Dashboard(
        currency=currency,
        days=day_rows,
        top=top,
        units_sold=units["sold"] or 0,
        units_returned=units["returned"] or 0,
        orders_by_status=statuses,
        open_returns=open_returns,
        other_currencies=sorted(c for c in by_currency if c != currency),
    )


def _top_products(lines: QuerySet[OrderLine]) -> list[TopProduct]:
    """Best sellers by units, grouped by product (lines whose variant was since deleted are
    grouped together under ``title=None``)."""
    rows = (
        lines.values("variant__product_id", "variant__product__title", "order__currency")
        .annotate(
            units=Sum("quantity"), revenue=Sum("total_minor"), skus=Count("sku", distinct=True)
        )
        .order_by("-units", "-revenue")[:10]
    )
    return [
        TopProduct(
            title=r["variant__product__title"],
            sku_count=r["skus"],
            units=r["units"] or 0,
            revenue_minor=r["revenue"] or 0,
            currency=r["order__currency"],
        )
        for r in rows
    ]


# --- stock --------------------------------------------------------------------------------------
@dataclass
class StockCell:
    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass
class StockRow:
    variant: Variant
    cells: list[StockCell]
    threshold: int
    available: int  # over open locations, what buyers can order

    @property
    def low(self) -> bool:
        return self.available <= 0 or (self.threshold > 0 and self.available < self.threshold)


def stock_matrix(*, seller: Seller, q: str = "") -> tuple[list[StockLocation], list[StockRow]]:
    """Variants by locations with on hand, reserved and available, and the low-stock mark
    (nothing available, or below the variant's threshold): four queries."""
    locations = list(StockLocation.objects.filter(seller=seller).order_by("id"))
    variants = Variant.objects.filter(seller=seller).select_related("product")
    if q.strip():
        variants = variants.filter(
            Q(sku__icontains=q.strip()) | Q(product__title__icontains=q.strip())
        )
    variants = list(variants.order_by("product__title", "position", "id")[:500])
    ids = [v.pk for v in variants]
    levels: dict[tuple[int, int], StockLevel] = {
        (lv.variant_id, lv.location_id): lv
        for lv in StockLevel.objects.filter(seller=seller, variant_id__in=ids)
    }
    thresholds = dict(
        StockPolicy.objects.filter(variant_id__in=ids).values_list(
            "variant_id", "low_stock_threshold"
        )
    )
    rows = []
    for variant in variants:
        cells = []
        available = 0
        for location in locations:
            level = levels.get((variant.pk, location.pk))
            cell = StockCell(level.on_hand, level.reserved) if level else StockCell()
            if location.is_available:
                available += cell.available
            cells.append(cell)
        rows.append(StockRow(variant, cells, thresholds.get(variant.pk, 0), available))
    return locations, rows


def variant_for_seller(*, seller: Seller, public_id: str) -> Variant | None:
    if not is_public_id(public_id, "var"):
        return None
    return (
        Variant.objects.filter(seller=seller, public_id=public_id)
        .select_related("product__seller")
        .first()
    )


# --- fulfilment ---------------------------------------------------------------------------------
@dataclass
class PickOrder:
    order_id: str
    line_no: int
    quantity: int


@dataclass
class PickLine:
    sku: str
    title: str
    quantity: int
    orders: list[PickOrder]
    bins: list[tuple[str, int]]  # (location name, on hand there)


def pick_list(*, seller: Seller, order: Order | None = None) -> list[PickLine]:
    """What to take from the shelves: units still to ship per SKU, for one order or for every
    order waiting to be fulfilled, with the orders they go to and where the stock is. Two
    queries."""
    lines = OrderLine.objects.filter(
        order__seller=seller, quantity__gt=F("fulfilled_quantity")
    ).select_related("order")
    lines = (
        lines.filter(order=order)
        if order is not None
        else lines.filter(order__status__in=TO_FULFIL)
    )
    lines = list(lines.order_by("sku", "order__public_id", "line_no")[:2000])
    variant_ids = {line.variant_id for line in lines if line.variant_id}
    bins: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for variant_id, name, on_hand in (
        StockLevel.objects.filter(variant_id__in=variant_ids, on_hand__gt=0)
        .order_by("variant_id", "-on_hand", "location__name")
        .values_list("variant_id", "location__name", "on_hand")
    ):
        bins[variant_id].append((name, on_hand))
    picks: dict[str, PickLine] = {}
    for line in lines:
        left = line.quantity - line.fulfilled_quantity
        pick = picks.get(line.sku)
        if pick is None:
            pick = picks[line.sku] = PickLine(
                line.sku,
                line.title,
                0,
                [],
                bins.get(line.variant_id, []) if line.variant_id else [],
            )
        pick.quantity += left
        pick.orders.append(PickOrder(line.order.public_id, line.line_no, left))
    return list(picks.values())


def order_counts(*, seller: Seller) -> dict[str, int]:
    return dict(
        Order.objects.filter(seller=seller)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


# --- money --------------------------------------------------------------------------------------
def ledger_currencies(*, seller: Seller) -> list[str]:
    return sorted(
        set(LedgerAccount.objects.filter(seller=seller).values_list("currency", flat=True))
    )


def ledger_entries(*, seller: Seller, limit: int = 100) -> list[LedgerEntry]:
    """The seller's latest ledger entries (escrow, payable, payouts) with their transactions."""
    return list(
        LedgerEntry.objects.filter(account__seller=seller)
        .select_related("transaction", "account")
        .order_by("-id")[:limit]
    )


def payout_list(*, seller: Seller, limit: int = 100) -> list[Payout]:
    return list(Payout.objects.filter(seller=seller).order_by("-id")[:limit])


# --- API keys -----------------------------------------------------------------------------------
def api_key_list(*, seller: Seller) -> list[ApiKey]:
    return list(
        ApiKey.objects.filter(seller=seller).select_related("created_by").order_by("-created_at")
    )


def api_key_for_seller(*, seller: Seller, public_id: str) -> ApiKey | None:
    if not is_public_id(public_id, "key"):
        return None
    return ApiKey.objects.filter(seller=seller, public_id=public_id).first()


def carrier_choices() -> list[tuple[str, str]]:
    """Active carriers (platform-wide) as (code, name)."""
    return list(Carrier.objects.filter(is_active=True).order_by("name").values_list("code", "name"))


def orders_to_fulfil(*, seller: Seller, cursor: str | None = None, limit: int = 25) -> Page:
    """Paid and partly shipped orders, oldest first (first in, first out), as a cursor page."""
    rows = (
        Order.objects.filter(seller=seller, status__in=TO_FULFIL)
        .select_related("buyer")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("line_no")))
    )
    try:
        return paginate(rows, cursor=cursor, limit=limit, newest_first=False)
    except AgoraError:  # a cursor that is not ours: the first page
        return paginate(rows, cursor=None, limit=limit, newest_first=False)
