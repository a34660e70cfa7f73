"""API shapes of orders and returns: strict request bodies, plain pydantic answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictInt

from agora.api.schemas import StrictInput
from agora.orders.models import Order, OrderReturn

ReasonCode = Literal["damaged", "wrong_item", "not_as_described", "changed_mind", "other"]


class CancelIn(StrictInput):
    reason: str = Field(min_length=1, max_length=300)


class ReturnLineIn(StrictInput):
    line_no: StrictInt = Field(ge=1)
    quantity: StrictInt = Field(ge=1, le=100_000)


class ReturnRequestIn(StrictInput):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=500)
    reason_code: ReasonCode
    details: str = Field("", max_length=2000)


class ReturnApproveIn(StrictInput):
    note: str = Field("", max_length=300)


class ReturnRejectIn(StrictInput):
    reason: str = Field(min_length=1, max_length=300)


class ReceiptLineIn(StrictInput):
    line_no: StrictInt = Field(ge=1)
    disposition: Literal["restock", "write_off"]
    condition: Literal["as_new", "opened", "damaged"] | None = None
    location: str | None = Field(None, description="stock location id; needed to restock")


class ReturnReceiveIn(StrictInput):
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)


class OrderLineOut(BaseModel):
    line_no: int
    sku: str
    title: str
    variant: str | None
    quantity: int
    unit_price_minor: int
    discount_minor: int
    total_minor: int
    fulfilled_quantity: int
    returned_quantity: int


class OrderOut(BaseModel):
    id: str
    status: str
    channel: str
    currency: str
    subtotal_minor: int
    shipping_minor: int
    discount_minor: int
    tax_minor: int
    prices_include_tax: bool
    total_minor: int
    refunded_minor: int
    buyer: str | None
    checkout_ref: str
    payment_ref: str
    ship_to: dict[str, Any]
    placed_at: datetime
    paid_at: datetime | None
    delivered_at: datetime | None
    lines: list[OrderLineOut]


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None


class ReturnLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int
    condition: str
    disposition: str
    location: str | None


class ReturnOut(BaseModel):
    id: str
    order: str
    status: str
    reason_code: str
    details: str
    requested_by: str
    decision_note: str
    refunded_minor: int
    created_at: datetime
    lines: list[ReturnLineOut]


class ReturnPage(BaseModel):
    items: list[ReturnOut]
    next_cursor: str | None


def order_out(order: Order) -> OrderOut:
    """Needs the order's lines (with their variants) and buyer loaded by the selector."""
    return OrderOut(
        id=order.public_id,
        status=order.status,
        channel=order.channel,
        currency=order.currency,
        subtotal_minor=order.subtotal_minor,
        shipping_minor=order.shipping_minor,
        discount_minor=order.discount_minor,
        tax_minor=order.tax_minor,
        prices_include_tax=order.prices_include_tax,
        total_minor=order.total_minor,
        refunded_minor=order.refunded_minor,
        buyer=order.buyer.public_id if order.buyer else None,
        checkout_ref=order.checkout_ref,
        payment_ref=order.payment_ref,
        ship_to=order.ship_to or {},
        placed_at=order.placed_at,
        paid_at=order.paid_at,
        delivered_at=order.delivered_at,
        lines=[
            OrderLineOut(
                line_no=line.line_no,
                sku=line.sku,
                title=line.title,
                variant=line.variant.public_id if line.variant else None,
                quantity=line.quantity,
                unit_price_minor=line.unit_price_minor,
                discount_minor=line.discount_minor,
                total_minor=line.total_minor,
                fulfilled_quantity=line.fulfilled_quantity,
                returned_quantity=line.returned_quantity,
            )
            for line in order.lines.all()
        ],
    )


def return_out(ret: OrderReturn) -> ReturnOut:
    """Needs the return's order and lines (with line and location) loaded by the selector."""
    return ReturnOut(
        id=ret.public_id,
        order=ret.order.public_id,
        status=ret.status,
        reason_code=ret.reason_code,
        details=ret.details,
        requested_by=ret.requested_by,
        decision_note=ret.decision_note,
        refunded_minor=ret.refunded_minor,
        created_at=ret.created_at,
        lines=[
            ReturnLineOut(
                line_no=r.line.line_no,
                sku=r.line.sku,
                quantity=r.quantity,
                condition=r.condition,
                disposition=r.disposition,
                location=r.location.public_id if r.location else None,
            )
            for r in ret.lines.all()
        ],
    )
