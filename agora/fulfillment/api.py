"""Seller endpoints of fulfilment: ship an order's lines, report status, print packing slips."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from pydantic import BaseModel, Field, StrictInt

from agora.api.auth import seller_auth
from agora.api.schemas import StrictInput
from agora.api.scopes import require_scope
from agora.core.errors import AgoraError, invalid, not_found
from agora.fulfillment import errors, selectors, services
from agora.fulfillment.models import Carrier, Shipment
from agora.inventory.selectors import location_get_for_seller
from agora.orders.models import Order
from agora.orders.selectors import order_require_for_seller

router = Router(tags=["seller: fulfilment"], auth=seller_auth)


class ShipmentLineIn(StrictInput):
    line_no: StrictInt = Field(ge=1, description="the order line's number")
    quantity: StrictInt = Field(ge=1, le=100_000)


class ShipmentIn(StrictInput):
    location: str = Field(description="id of the seller's stock location the goods leave from")
    lines: list[ShipmentLineIn] = Field(min_length=1, max_length=500)
    carrier: str | None = Field(None, max_length=30, description="carrier code, e.g. dhl")
    tracking_number: str = Field("", max_length=64)


class ShipmentStatusIn(StrictInput):
    status: Literal[
        "packed",
        "shipped",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "exception",
        "returned_to_sender",
    ]
    note: str = Field("", max_length=300)
    at: datetime | None = Field(
        None,
        description="when it happened (with a time zone); now when left out",
        examples=["2026-01-31T10:00:00Z"],
    )


class ShipmentLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int


class ShipmentEventOut(BaseModel):
    status: str
    note: str
    at: datetime


class ShipmentOut(BaseModel):
    id: str
    order: str
    status: str
    location: str
    carrier: str | None
    tracking_number: str
    tracking_url: str
    created_at: datetime
    delivered_at: datetime | None
    lines: list[ShipmentLineOut]
    events: list[ShipmentEventOut]


def shipment_out(s: Shipment) -> ShipmentOut:
    return ShipmentOut(
        id=s.public_id,
        order=s.order.public_id,
        status=s.status,
        location=s.location.public_id,
        carrier=s.carrier.code if s.carrier else None,
        tracking_number=s.tracking_number,
        tracking_url=s.tracking_url,
        created_at=s.created_at,
        delivered_at=s.delivered_at,
        lines=[
            ShipmentLineOut(
                line_no=sl.order_line.line_no, sku=sl.order_line.sku, quantity=sl.quantity
            )
            for sl in s.lines.all()
        ],
        events=[ShipmentEventOut(status=e.status, note=e.note, at=e.at) for e in s.events.all()],
    )


def _order(request: HttpRequest, order_id: str) -> Order:
    return order_require_for_seller(seller=request.seller, public_id=order_id)  # type: ignore[attr-defined]


def _shipment(request: HttpRequest, shipment_id: str) -> Shipment:
    shipment = selectors.shipment_get_for_seller(seller=request.seller, public_id=shipment_id)  # type: ignore[attr-defined]
    if shipment is None:
        raise not_found("shipment", shipment_id)
    return shipment


def _carrier(code: str | None) -> Carrier | None:
    if code is None:
        return None
    carrier = selectors.carrier_by_code(code=code)
    if carrier is None:
        raise AgoraError(errors.CARRIER_UNKNOWN, f"no active carrier {code!r}")
    return carrier


@router.post(
    "/seller/orders/{order_id}/shipments",
    response={201: ShipmentOut},
    summary="Ship units of an order's lines",
)
def create_shipment(
    request: HttpRequest, order_id: str, payload: ShipmentIn
) -> Status[ShipmentOut]:
    order = _order(request, order_id)
    location = location_get_for_seller(seller=request.seller, public_id=payload.location)  # type: ignore[attr-defined]
    if location is None:
        raise invalid("location", f"no stock location {payload.location!r} of this seller")
    shipment = services.shipment_create(
        actor=request.actor,  # type: ignore[attr-defined]
        order=order,
        location=location,
        lines=[services.ShipmentLineDraft(line.line_no, line.quantity) for line in payload.lines],
        carrier=_carrier(payload.carrier),
        tracking_number=payload.tracking_number,
    )
    return Status(201, shipment_out(_shipment(request, shipment.public_id)))


@router.get(
    "/seller/orders/{order_id}/shipments",
    response=list[ShipmentOut],
    summary="The shipments of an order",
)
def list_shipments(request: HttpRequest, order_id: str) -> list[ShipmentOut]:
    require_scope(request, "orders:read")
    order = _order(request, order_id)
    return [shipment_out(s) for s in selectors.shipment_list_for_order(order=order)]


@router.get("/seller/shipments/{shipment_id}", response=ShipmentOut, summary="Get a shipment")
def get_shipment(request: HttpRequest, shipment_id: str) -> ShipmentOut:
    require_scope(request, "orders:read")
    return shipment_out(_shipment(request, shipment_id))


@router.post(
    "/seller/shipments/{shipment_id}/status",
    response=ShipmentOut,
    summary="Report a shipment's status (delivered confirms delivery)",
)
def update_shipment(
    request: HttpRequest, shipment_id: str, payload: ShipmentStatusIn
) -> ShipmentOut:
    services.shipment_update(
        actor=request.actor,  # type: ignore[attr-defined]
        shipment=_shipment(request, shipment_id),
        status=payload.status,
        note=payload.note,
        at=payload.at,
    )
    return shipment_out(_shipment(request, shipment_id))


@router.get(
    "/seller/shipments/{shipment_id}/packing-slip",
    response={200: None},
    summary="The packing slip as printable HTML",
    openapi_extra={
        "responses": {
            "200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}
        }
    },
)
def packing_slip(request: HttpRequest, shipment_id: str) -> HttpResponse:
    require_scope(request, "orders:read")
    html = selectors.packing_slip_html(shipment=_shipment(request, shipment_id))
    return HttpResponse(html, content_type="text/html; charset=utf-8")
