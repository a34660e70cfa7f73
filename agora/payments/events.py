"""Events the payments app publishes. Amounts are minor units of ``currency``."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PaymentCaptured(DomainEvent):
    """The buyer's money for these orders is captured and held in escrow (orders reacts by
    marking them paid)."""

    name = "payment.captured"
    payment_id: str
    order_ids: list[str]
    amount_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class PaymentFailed(DomainEvent):
    """Authorization was declined or capture failed: checkout compensates (cancels the orders,
    releases the reservations)."""

    name = "payment.failed"
    payment_id: str
    order_ids: list[str]
    code: str


@dataclass(frozen=True, kw_only=True)
class PaymentReleased(DomainEvent):
    """An order's escrow went to the seller (``seller_amount_minor``) and the platform."""

    name = "payment.released"
    order_id: str
    seller_id: str
    gross_minor: int
    commission_minor: int
    seller_amount_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class RefundIssued(DomainEvent):
    name = "refund.issued"
    refund_id: str
    order_id: str
    payment_id: str
    amount_minor: int
    currency: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class PayoutCreated(DomainEvent):
    name = "payout.created"
    payout_id: str
    seller_id: str
    amount_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class StoreCreditIssued(DomainEvent):
    """A program (``trade_in``) granted a buyer store credit, spendable at checkout."""

    name = "store_credit.issued"
    buyer_id: str
    program: str
    reference: str
    amount_minor: int
    currency: str
