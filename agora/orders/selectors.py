"""Read queries of orders (seller-scoped: a seller never sees another seller's orders)."""

from __future__ import annotations

from django.db.models import Prefetch

from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderLine


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
