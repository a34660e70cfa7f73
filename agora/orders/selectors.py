"""Read queries of orders (seller-scoped: a seller never sees another seller's orders)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from agora.core.errors import not_found
from agora.core.ids import is_public_id
from agora.core.pagination import Page, paginate
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderLine, OrderReturn, OrderReturnLine


def order_by_external_ref(
    *, seller: Seller, external_ref: str, channel: str = Order.Channel.IMPORT
) -> Order | None:
    """The seller's order known outside as ``external_ref`` (e.g. an imported invoice number),
    with its buyer and lines loaded."""
    return (
        Order.objects.filter(seller=seller, channel=channel, external_ref=external_ref)
        .select_related("buyer")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("line_no")))
        .first()
    )


def imported_order_count(*, seller: Seller, external_refs: list[str]) -> int:
    """How many of ``external_refs`` exist as imported orders of ``seller``."""
    return Order.objects.filter(
        seller=seller, channel=Order.Channel.IMPORT, external_ref__in=external_refs
    ).count()


def _orders() -> QuerySet[Order]:
    return Order.objects.select_related("buyer").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("variant").order_by("line_no"))
    )


def order_list_for_seller(
    *, seller: Seller, status: str | None = None, cursor: str | None = None, limit: int = 50
) -> Page:
    """The seller's orders, newest first, optionally of one status; cursor-paginated."""
    rows = _orders().filter(seller=seller)
    if status:
        rows = rows.filter(status=status)
    return paginate(rows, cursor=cursor, limit=limit)


def order_get_for_seller(*, seller: Seller, public_id: str) -> Order | None:
    """The seller's order with its lines; another seller's order is None (the API's 404)."""
    if not is_public_id(public_id, "ord"):
        return None
    return _orders().filter(seller=seller, public_id=public_id).first()


def order_require_for_seller(*, seller: Seller, public_id: str) -> Order:
    """:func:`order_get_for_seller`, or the 404 problem the seller API answers."""
    order = order_get_for_seller(seller=seller, public_id=public_id)
    if order is None:
        raise not_found("order", public_id)
    return order


def _returns() -> QuerySet[OrderReturn]:
    return OrderReturn.objects.select_related("order").prefetch_related(
        Prefetch(
            "lines",
            queryset=OrderReturnLine.objects.select_related("line", "location").order_by(
                "line__line_no"
            ),
        )
    )


def return_list_for_seller(
    *, seller: Seller, status: str | None = None, cursor: str | None = None, limit: int = 50
) -> Page:
    rows = _returns().filter(order__seller=seller)
    if status:
        rows = rows.filter(status=status)
    return paginate(rows, cursor=cursor, limit=limit)


def return_get_for_seller(*, seller: Seller, public_id: str) -> OrderReturn | None:
    if not is_public_id(public_id, "ret"):
        return None
    return _returns().filter(order__seller=seller, public_id=public_id).first()
