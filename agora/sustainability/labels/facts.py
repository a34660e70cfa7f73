"""The product data label rules are computed from: the traceability passport (materials, spare
parts, repair information) and the product's recorded delivery footprints. Read here, in one
place, so the rules stay pure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from agora.core import clock
from agora.orders.models import OrderLine
from agora.sustainability.dashboard import low_carbon_share_of_orders
from agora.sustainability.labels.rules import DELIVERY_WINDOW_DAYS
from agora.traceability.models import Passport

FACT_FIELDS = ("materials", "spare_parts_years", "repair_text", "repair_url")


def product_facts(product_id: int) -> dict[str, Any]:
    """The passport's figures for a product (empty when it has no passport)."""
    row = Passport.objects.filter(product_id=product_id).values(*FACT_FIELDS).first()
    facts: dict[str, Any] = dict(row) if row else {}
    since = clock.now() - timedelta(days=DELIVERY_WINDOW_DAYS)
    orders = OrderLine.objects.filter(
        variant__product_id=product_id, order__placed_at__gte=since
    ).values("order__public_id")
    share = low_carbon_share_of_orders(orders)
    facts["deliveries"] = {"count": share.deliveries, "low_carbon": share.low_carbon}
    return facts
