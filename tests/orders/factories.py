"""Orders in every state, built through the services as checkout, payments and fulfilment
would; shared by the orders, fulfilment and API tenancy tests."""

from __future__ import annotations

from typing import Any

from agora.accounts.models import User
from agora.fulfillment.models import Carrier, Shipment
from agora.fulfillment.services import (
    ShipmentLineDraft,
    shipment_create,
    shipment_mark_delivered,
    shipment_update,
)
from agora.inventory.models import StockLocation
from agora.inventory.services import location_create
from agora.marketplace.models import Seller
from agora.orders import services
from agora.orders.models import Order, OrderReturn
from agora.orders.returns import ReturnLineDraft, return_approve, return_request
from agora.orders.services import OrderLineDraft
from tests.conftest import SYSTEM, make_product

ADDRESS = {
    "name": "Ada Buyer",
    "line1": "Hauptstraße 1",
    "city": "Berlin",
    "postcode": "10115",
    "country": "DE",
}
_count = {"n": 0}


def _next() -> int:
    _count["n"] += 1
    return _count["n"]


def make_buyer(email: str | None = None) -> User:
    return User.objects.create_user(email=email or f"buyer{_next()}@example.invalid", password="x")


def make_lines(seller: Seller, spec: list[tuple[int, int]]) -> list[OrderLineDraft]:
    """One product per (quantity, unit price) pair, each with its own SKU."""
    drafts = []
    for quantity, price in spec:
        n = _next()
        product = make_product(seller, f"Item {n}", sku=f"SKU-{n}", prices={"EUR": price})
        drafts.append(
            OrderLineDraft(
                sku=f"SKU-{n}",
                title=f"Item {n}",
                quantity=quantity,
                unit_price_minor=price,
                variant=product.variants.get(),
            )
        )
    return drafts


def place(
    seller: Seller,
    spec: list[tuple[int, int]] | None = None,
    *,
    buyer: User | None = None,
    drafts: list[OrderLineDraft] | None = None,
    **kwargs: Any,
) -> Order:
    kwargs.setdefault("checkout_ref", f"chk_{_next()}")
    kwargs.setdefault("currency", "EUR")
    kwargs.setdefault("ship_to", ADDRESS)
    return services.order_place(
        actor=SYSTEM,
        seller=seller,
        buyer=buyer,
        lines=drafts if drafts is not None else make_lines(seller, spec or [(2, 1000)]),
        **kwargs,
    )


def paid(seller: Seller, spec: list[tuple[int, int]] | None = None, **kwargs: Any) -> Order:
    order = place(seller, spec, **kwargs)
    return services.order_mark_paid(order=order, payment_ref=f"pay_{_next()}")


def location(seller: Seller, name: str | None = None) -> StockLocation:
    return location_create(
        actor=SYSTEM,
        seller=seller,
        name=name or f"Warehouse {_next()}",
        kind="warehouse",
        country="DE",
    )


def carrier(code: str = "dhl") -> Carrier:
    found, _ = Carrier.objects.get_or_create(
        code=code,
        defaults={
            "name": code.upper(),
            "tracking_url_template": "https://track.example/{tracking_number}",
        },
    )
    return found


def ship_all(order: Order, at: StockLocation | None = None) -> Shipment:
    lines = [
        ShipmentLineDraft(line.line_no, line.quantity - line.fulfilled_quantity)
        for line in order.lines.all()
    ]
    return shipment_create(
        actor=SYSTEM,
        order=order,
        location=at or location(order.seller),
        lines=[d for d in lines if d.quantity],
        carrier=carrier(),
        tracking_number=f"TRK{_next()}",
    )


def delivered(seller: Seller, spec: list[tuple[int, int]] | None = None, **kwargs: Any) -> Order:
    order = paid(seller, spec, **kwargs)
    shipment = ship_all(order)
    shipment_update(actor=SYSTEM, shipment=shipment, status="shipped")
    shipment_mark_delivered(actor=SYSTEM, shipment=shipment)
    return Order.objects.get(pk=order.pk)


def requested_return(order: Order, quantity: int = 1, line_no: int = 1) -> OrderReturn:
    return return_request(
        actor=SYSTEM,
        order=order,
        lines=[ReturnLineDraft(line_no, quantity)],
        reason_code="damaged",
        details="the handle broke",
    )


def approved_return(order: Order, quantity: int = 1) -> OrderReturn:
    return return_approve(actor=SYSTEM, order_return=requested_return(order, quantity))


def tenancy_probe(seller: Seller, method: str, path: str) -> tuple[dict[str, str], dict[str, Any]]:
    """Objects of ``seller`` in the state the seller endpoint ``method path`` acts on: the path
    values (by parameter name) and the body values the generated request must carry."""
    values: dict[str, str] = {}
    if "{order_id}" in path:
        if path.endswith("/cancel"):
            order = place(seller)
        elif path.endswith("/returns"):
            order = delivered(seller)
        else:
            order = paid(seller)
        values["order_id"] = order.public_id
    if "{shipment_id}" in path:
        values["shipment_id"] = ship_all(paid(seller)).public_id
    if "{return_id}" in path:
        order = delivered(seller)
        ret = approved_return(order) if path.endswith("/receive") else requested_return(order)
        values["return_id"] = ret.public_id
    body = {
        "location": location(seller).public_id,
        "carrier": carrier().code,
        "line_no": 1,
        "quantity": 1,
    }
    return values, body


def tenancy_objects(seller: Seller) -> dict[str, str]:
    """One order, shipment and return of ``seller``, by path parameter name (another seller's
    requests for them must all be 404s, whatever state they are in)."""
    order = delivered(seller)
    return {
        "order_id": order.public_id,
        "shipment_id": order.shipments.get().public_id,
        "return_id": requested_return(order).public_id,
    }
