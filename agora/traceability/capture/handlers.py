"""Commerce events become EPCIS events (registered from ``wiring.connect``).

Each handler reads the order (or return) as it stands through the commerce apps' selectors,
turns the lines whose variants have a GTIN into a quantity per GTIN class, and captures one
event through the same ``epcis_capture`` path as the API (source "commerce"), so the event is
validated, stored and logged like any other. Variants without a GTIN are left out; nothing is
captured when none has one. The EPCIS eventID and time derive from the commerce event, so a
redelivered event captures the very same EPCIS event again (a no-op).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from agora.core import clock
from agora.core.actors import system
from agora.core.events import handles
from agora.core.models import OutboxEvent
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderLine
from agora.orders.selectors import order_get_for_seller, return_get_for_seller
from agora.traceability.capture import commerce
from agora.traceability.capture.services import epcis_capture
from agora.traceability.epcis.identifiers import gtin_normalise
from agora.traceability.passports.identity import digital_link

__all__ = ["on_order_delivered", "on_order_shipped", "on_return_received"]

ACTOR = system("epcis commerce")


def _occurred_at(event_id: str) -> datetime:
    """When the commerce event happened (its outbox row), so a retry writes the same time."""
    moment = OutboxEvent.objects.filter(public_id=event_id).values_list("occurred_at", flat=True)
    return moment.first() or clock.now()


def _seller(public_id: str) -> Seller | None:
    return Seller.objects.filter(public_id=public_id).first()


def _classes(pairs: Iterable[tuple[OrderLine, int]]) -> list[commerce.ClassQuantity]:
    """Units per GTIN class, in GTIN order; lines whose variant has no GTIN are left out."""
    units: Counter[str] = Counter()
    for line, quantity in pairs:
        gtin = line.variant.gtin if line.variant_id and line.variant else ""
        if gtin and quantity > 0:
            units[gtin_normalise(gtin)] += quantity  # one class however the GTIN was written
    return [
        commerce.ClassQuantity(digital_link(gtin=gtin), quantity)
        for gtin, quantity in sorted(units.items())
    ]


def _country(order: Order) -> str:
    """The destination country when the order holds an ISO 3166 code (imports hold names)."""
    code = (order.ship_country or "").strip()
    return code.upper() if len(code) == 2 and code.isalpha() else ""


def _capture(seller: Seller, event: dict[str, Any], at: datetime) -> None:
    epcis_capture(
        seller=seller,
        raw=commerce.epcis_document([event], created=at),
        source="commerce",
        actor=ACTOR,
    )


@handles("order.shipped", name="trace.epcis_order_shipped")
def on_order_shipped(event: Any, event_id: str) -> None:
    seller = _seller(event.seller_id)
    order = seller and order_get_for_seller(seller=seller, public_id=event.order_id)
    if seller is None or order is None:
        return
    by_no = {line.line_no: line for line in order.lines.all()}
    shipped = [
        (by_no[item["line_no"]], int(item["quantity"]))
        for item in event.lines
        if item.get("line_no") in by_no
    ]
    quantities = _classes(shipped)
    if not quantities:
        return
    at = _occurred_at(event_id)
    _capture(
        seller,
        commerce.shipping_event(
            event_id=commerce.commerce_event_id(event_id, "shipped"),
            at=at,
            quantities=quantities,
            seller=seller.public_id,
            order=order.public_id,
            destination_country=_country(order),
        ),
        at,
    )


@handles("return.received", name="trace.epcis_return_received")
def on_return_received(event: Any, event_id: str) -> None:
    seller = _seller(event.seller_id)
    order_return = seller and return_get_for_seller(seller=seller, public_id=event.return_id)
    if seller is None or order_return is None:
        return
    received = {int(item["line_no"]): int(item["quantity"]) for item in event.lines}
    pairs = [
        (row.line, received[row.line.line_no])
        for row in order_return.lines.all()
        if row.line.line_no in received
    ]
    lines = OrderLine.objects.select_related("variant").in_bulk([line.pk for line, _ in pairs])
    quantities = _classes((lines[line.pk], quantity) for line, quantity in pairs)
    if not quantities:
        return
    at = _occurred_at(event_id)
    _capture(
        seller,
        commerce.return_received_event(
            event_id=commerce.commerce_event_id(event_id, "return-received"),
            at=at,
            quantities=quantities,
            seller=seller.public_id,
            order=order_return.order.public_id,
            order_return=order_return.public_id,
        ),
        at,
    )


@handles("order.delivered", name="trace.epcis_order_delivered")
def on_order_delivered(event: Any, event_id: str) -> None:
    seller = _seller(event.seller_id)
    order = seller and order_get_for_seller(seller=seller, public_id=event.order_id)
    if seller is None or order is None:
        return
    quantities = _classes((line, line.fulfilled_quantity) for line in order.lines.all())
    if not quantities:
        return
    at = _occurred_at(event_id)
    _capture(
        seller,
        commerce.delivery_event(
            event_id=commerce.commerce_event_id(event_id, "delivered"),
            at=at,
            quantities=quantities,
            order=order.public_id,
            destination_country=_country(order),
        ),
        at,
    )
