"""What orders holds about a person, for the privacy app's export and erasure.

Orders are kept on erasure: they are the invoices tax law makes the platform and its sellers
keep (ten years in some member states). They hold no plaintext personal data: the delivery
address is sealed under the buyer's person key, which erasure destroys, so what stays is the
amounts, the lines and the country."""

from __future__ import annotations

from typing import Any

from agora.orders.models import Order


def export(user_id: int) -> tuple[str, list[dict[str, Any]]] | None:
    orders = (
        Order.objects.filter(buyer_id=user_id)
        .select_related("seller", "person")
        .prefetch_related("lines")
        .order_by("placed_at", "id")
    )
    rows = [
        {
            "id": o.public_id,
            "seller": o.seller.display_name,
            "placed": o.placed_at.isoformat(),
            "status": o.status,
            "currency": o.currency,
            "total_minor": o.total_minor,
            "ship_to": o.ship_to,
            "lines": [
                {"sku": li.sku, "title": li.title, "quantity": li.quantity} for li in o.lines.all()
            ],
        }
        for o in orders
    ]
    return ("Orders", rows) if rows else None


def erase(user_id: int) -> dict[str, int]:
    return {"orders kept as invoices": Order.objects.filter(buyer_id=user_id).count()}
