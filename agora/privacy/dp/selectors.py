"""Reads for the private statistics: the true counts of a month, bounded per buyer (these never
leave the process: only ``services.release`` sees them, and it adds noise), and the ledger.

Contribution bounding is what makes the stated sensitivity true. Per seller and month, each
buyer's orders are taken oldest first; the first K (``policy.orders_per_buyer``) count, the rest
are dropped; units are counted up to U (``policy.units_per_buyer``) per buyer, the excess of the
order that crosses U is cut. A buyer is the account (``Order.buyer``), else checkout's
``buyer_ref`` (a guest), else the order itself (imported orders name nobody).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.db.models import Sum

from agora.core.errors import invalid
from agora.marketplace.models import Seller
from agora.orders.models import Order
from agora.privacy.dp import cells, policy
from agora.privacy.models import DpLedgerEntry

# Orders that are sales: paid at some point (cancelled and never-paid orders are not).
SALE_STATUSES = [
    Order.Status.PAID,
    Order.Status.PARTIALLY_FULFILLED,
    Order.Status.FULFILLED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
    Order.Status.REFUNDED,
]
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The UTC start (inclusive) and end (exclusive) of ``month`` (YYYY-MM)."""
    match = _MONTH.match(month or "")
    if not match:
        raise invalid("month", f"{month!r} is not a month; write it as YYYY-MM, e.g. 2026-03")
    year, mon = int(match.group(1)), int(match.group(2))
    start = datetime(year, mon, 1, tzinfo=UTC)
    end = datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=UTC)
    return start, end


@dataclass(frozen=True)
class BoundedCounts:
    """True counts per cell after contribution bounding (never shown to anyone)."""

    cells: list[str]
    orders: list[int]
    units: list[int]
    dropped_orders: int  # orders beyond K of their buyer
    cut_units: int  # units beyond U of their buyer


def _buyer_key(order: Order) -> str:
    if order.buyer_id is not None:
        return f"user:{order.buyer_id}"
    return order.buyer_ref or f"order:{order.pk}"


def bounded_counts(
    *, seller: Seller, month: str, cell_names: list[str], cell_of: Callable[[Order], str]
) -> BoundedCounts:
    """Orders and units of ``seller``'s sales in ``month`` per cell, each buyer contributing at
    most K orders and U units to the whole table (hence to any cell)."""
    start, end = month_bounds(month)
    rows = (
        Order.objects.filter(
            seller=seller, status__in=SALE_STATUSES, placed_at__gte=start, placed_at__lt=end
        )
        .select_related("buyer")
        .annotate(units=Sum("lines__quantity"))
        .order_by("placed_at", "id")
    )
    limit_orders, limit_units = policy.orders_per_buyer(), policy.units_per_buyer()
    index = {name: i for i, name in enumerate(cell_names)}
    orders, units = [0] * len(cell_names), [0] * len(cell_names)
    taken: dict[str, list[int]] = {}  # buyer -> [orders counted, units counted]
    dropped = cut = 0
    for order in rows:
        used = taken.setdefault(_buyer_key(order), [0, 0])
        order_units = int(order.units or 0)
        if used[0] >= limit_orders:
            dropped += 1
            cut += order_units
            continue
        counted_units = min(order_units, limit_units - used[1])
        cut += order_units - counted_units
        used[0] += 1
        used[1] += counted_units
        i = index[cell_of(order)]
        orders[i] += 1
        units[i] += counted_units
    return BoundedCounts(list(cell_names), orders, units, dropped, cut)


def by_country(order: Order) -> str:
    return cells.country_cell(order.ship_country)


def by_tenure(order: Order) -> str:
    joined = order.buyer.date_joined if order.buyer is not None else None
    return cells.tenure_cell(joined, order.placed_at)


def ledger(*, seller: Seller, month: str) -> list[DpLedgerEntry]:
    """``seller``'s releases about ``month``, oldest first."""
    return list(DpLedgerEntry.objects.filter(seller=seller, period=month).order_by("id"))


def spent(*, seller: Seller, month: str) -> Decimal:
    total = DpLedgerEntry.objects.filter(seller=seller, period=month).aggregate(s=Sum("epsilon"))
    return total["s"] or Decimal(0)
