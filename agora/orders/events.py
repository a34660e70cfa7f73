"""Events the orders app publishes. Ids are public ids; money is minor units + currency.

``order.shipped`` and ``order.delivered`` are published by the orders services that fulfilment
calls, so a listener (escrow release in payments, webhooks, notifications) hears about an order
from one place whatever moved it. ``return.received`` is an addition to DESIGN.md's list: it is
the moment payments refunds a return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class _OrderEvent(DomainEvent):
    order_id: str
    seller_id: str
    currency: str
    total_minor: int


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(_OrderEvent):
    name = "order.placed"
    buyer_id: str | None
    checkout_ref: str
    lines: list[dict[str, Any]] = field(default_factory=list)  # sku, variant_id, quantity, …


@dataclass(frozen=True, kw_only=True)
class OrderPaid(_OrderEvent):
    name = "order.paid"
    payment_ref: str
    checkout_ref: str


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(_OrderEvent):
    name = "order.cancelled"
    previous_status: str
    reason: str
    refunded_minor: int
    checkout_ref: str


@dataclass(frozen=True, kw_only=True)
class OrderShipped(_OrderEvent):
    name = "order.shipped"
    shipment_id: str
    status: str  # the order's status after the shipment: partially_fulfilled or fulfilled
    carrier: str
    tracking_number: str
    lines: list[dict[str, Any]] = field(default_factory=list)  # line_no, sku, quantity


@dataclass(frozen=True, kw_only=True)
class OrderDelivered(_OrderEvent):
    """Every unit is shipped and every shipment delivered: escrow may be released."""

    name = "order.delivered"
    refunded_minor: int
    delivered_at: str


@dataclass(frozen=True, kw_only=True)
class OrderCompleted(_OrderEvent):
    """The return window closed (or the order was completed by hand): nothing more is owed."""

    name = "order.completed"
    refunded_minor: int


@dataclass(frozen=True, kw_only=True)
class ReturnRequested(DomainEvent):
    name = "return.requested"
    return_id: str
    order_id: str
    seller_id: str
    requested_by: str
    reason_code: str
    lines: list[dict[str, Any]] = field(default_factory=list)  # line_no, sku, quantity


@dataclass(frozen=True, kw_only=True)
class ReturnReceived(DomainEvent):
    """The seller has the goods back; payments refunds (``return_mark_refunded``) on this."""

    name = "return.received"
    return_id: str
    order_id: str
    seller_id: str
    currency: str
    lines: list[dict[str, Any]] = field(default_factory=list)  # line_no, quantity, value_minor
    value_minor: int  # the returned units at the price paid (less line discounts)
