"""Read queries of fulfilment, seller-scoped, and the packing slip of a shipment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string

from agora.core.ids import is_public_id
from agora.fulfillment.models import Carrier, Shipment, ShipmentEvent, ShipmentLine
from agora.marketplace.models import Seller
from agora.orders.models import Order


def _shipments() -> QuerySet[Shipment]:
    return Shipment.objects.select_related("order", "location", "carrier").prefetch_related(
        Prefetch(
            "lines",
            queryset=ShipmentLine.objects.select_related("order_line").order_by(
                "order_line__line_no"
            ),
        ),
        Prefetch("events", queryset=ShipmentEvent.objects.order_by("at", "pk")),
    )


def shipment_get_for_seller(*, seller: Seller, public_id: str) -> Shipment | None:
    """The seller's shipment with its order, location, carrier, lines and events; another
    seller's shipment is None (the API answers 404)."""
    if not is_public_id(public_id, "shp"):
        return None
    return _shipments().filter(seller=seller, public_id=public_id).first()


def shipment_list_for_order(*, order: Order) -> list[Shipment]:
    return list(_shipments().filter(order=order).order_by("public_id"))


@dataclass(frozen=True, slots=True)
class PackingSlipLine:
    line_no: int
    sku: str
    title: str
    quantity: int
    ordered: int


@dataclass(frozen=True, slots=True)
class PackingSlip:
    shipment_id: str
    order_id: str
    seller: str
    from_location: str
    ship_to: dict[str, Any]
    carrier: str
    tracking_number: str
    lines: list[PackingSlipLine]

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


def packing_slip(*, shipment: Shipment) -> PackingSlip:
    """What goes in the box: the shipment's lines with SKUs and quantities, and the address.
    ``shipment`` should come from :func:`shipment_get_for_seller` (lines prefetched)."""
    order = shipment.order
    return PackingSlip(
        shipment_id=shipment.public_id,
        order_id=order.public_id,
        seller=Seller.objects.only("display_name").get(pk=shipment.seller_id).display_name,
        from_location=shipment.location.name,
        ship_to=dict(order.ship_to or {}),
        carrier=shipment.carrier.name if shipment.carrier else "",
        tracking_number=shipment.tracking_number,
        lines=[
            PackingSlipLine(
                line_no=sl.order_line.line_no,
                sku=sl.order_line.sku,
                title=sl.order_line.title,
                quantity=sl.quantity,
                ordered=sl.order_line.quantity,
            )
            for sl in shipment.lines.all()
        ],
    )


def packing_slip_html(*, shipment: Shipment) -> str:
    """The packing slip as a printable HTML page (no PDF: browsers print HTML well)."""
    return render_to_string(
        "fulfillment/packing_slip.html", {"slip": packing_slip(shipment=shipment)}
    )


def carrier_by_code(*, code: str) -> Carrier | None:
    """An active carrier by its code (carriers are platform-wide, not a seller's)."""
    return Carrier.objects.filter(code=code.strip().lower(), is_active=True).first()
