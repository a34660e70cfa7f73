"""Reads of resale: requests, the channel's queue and a unit's ownership history."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Sum

from agora.circular.models import OwnershipRecord, ResaleRequest
from agora.core.errors import invalid, not_found
from agora.core.pagination import Page, paginate
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderLine

# Orders whose money was taken and not given back: their resale lines are revenue.
PAID_ORDERS = (
    Order.Status.PAID,
    Order.Status.PARTIALLY_FULFILLED,
    Order.Status.FULFILLED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
)


def request_get(*, public_id: str) -> ResaleRequest:
    request = ResaleRequest.objects.select_related("seller").filter(public_id=public_id).first()
    if request is None:
        raise not_found("resale request", public_id)
    return request


def _status(status: str | None) -> str | None:
    if status and status not in ResaleRequest.Status.values:
        raise invalid(
            "status", f"{status!r} is not one of {', '.join(ResaleRequest.Status.values)}"
        )
    return status or None


def _requests(status: str | None) -> QuerySet[ResaleRequest]:
    rows = ResaleRequest.objects.select_related("seller", "requester")
    status = _status(status)
    return rows.filter(status=status) if status else rows


def requests_page(
    *,
    seller: Seller | None,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """Requests listed by ``seller`` (None: every seller, the operator's queue), newest first,
    optionally of one status; cursor-paginated. An unknown status is refused by name."""
    rows = _requests(status)
    if seller is not None:
        rows = rows.filter(seller=seller)
    return paginate(rows, cursor=cursor, limit=limit)


def request_for_seller(*, seller: Seller, public_id: str) -> ResaleRequest:
    """One request ``seller`` lists; another seller's looks exactly like an unknown one."""
    request = (
        ResaleRequest.objects.select_related("seller", "requester")
        .filter(seller=seller, public_id=public_id)
        .first()
    )
    if request is None:
        raise not_found("resale request", public_id)
    return request


def status_counts(*, seller: Seller | None = None) -> dict[str, int]:
    """How many requests are in each state (every state present, zero when none)."""
    rows = ResaleRequest.objects.all()
    if seller is not None:
        rows = rows.filter(seller=seller)
    counts = dict(rows.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in ResaleRequest.Status.values}


def sold_lines(*, seller: Seller | None = None) -> QuerySet[OrderLine]:
    """Lines of paid orders (not cancelled or refunded) that sold a listed resale unit."""
    listed = ResaleRequest.objects.filter(variant__isnull=False)
    if seller is not None:
        listed = listed.filter(seller=seller)
    lines = OrderLine.objects.filter(
        order__status__in=PAID_ORDERS, variant_id__in=listed.values("variant_id")
    )
    return lines.filter(order__seller=seller) if seller is not None else lines


def resale_revenue(*, seller: Seller | None = None) -> list[dict[str, Any]]:
    """All-time revenue of sold resale units per currency: ``{currency, units, revenue_minor}``
    (line totals, after discounts; summed in SQL)."""
    grouped = (
        sold_lines(seller=seller)
        .values("order__currency")
        .annotate(units=Sum("quantity"), revenue=Sum("total_minor"))
        .order_by("order__currency")
    )
    return [
        {"currency": r["order__currency"], "units": r["units"] or 0, "revenue_minor": r["revenue"]}
        for r in grouped
    ]


def requests_of_user(*, user_id: int) -> list[ResaleRequest]:
    return list(ResaleRequest.objects.filter(requester_id=user_id).order_by("-created_at", "-id"))


def ownership_history(*, gtin: str, serial: str | None) -> list[dict[str, Any]]:
    """The holders of resold units of ``gtin``, oldest first: of the unit ``serial`` when
    given, else of the units resold without a serial (only the GTIN was known)."""
    records = OwnershipRecord.objects.filter(gtin=gtin, serial=serial or "").order_by(
        "acquired_on", "id"
    )
    return [
        {"holder": r.holder_ref, "since": r.acquired_on, "kind": r.kind, "grade": r.grade}
        for r in records
    ]


def passport_history(gtin: str, serial: str | None) -> list[dict[str, Any]]:
    """The ``traceability.passport_history`` implementation (registered in wiring)."""
    return ownership_history(gtin=gtin, serial=serial)
