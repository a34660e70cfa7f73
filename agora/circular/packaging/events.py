"""Events reusable packaging publishes (for the lead to add to docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PackagingShipped(DomainEvent):
    """A reusable package left with a shipment; the buyer owes it back for the deposit."""

    name = "packaging.shipped"
    use_id: str
    package_id: str
    shipment_id: str
    order_id: str
    seller_id: str
    deposit_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class PackagingReturned(DomainEvent):
    """The empty package came back; the deposit the buyer paid at checkout is refunded (once) to
    their card. ``deposit_minor`` is what is refunded: 0 when the trip carried no deposit or the
    deposit was kept because the package came back too late."""

    name = "packaging.returned"
    use_id: str
    package_id: str
    seller_id: str
    via: str
    deposit_minor: int
    currency: str
    loops: int
    kg_co2e_avoided: str
