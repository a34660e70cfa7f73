"""Events the marketplace publishes: a seller's onboarding state changed.

Each carries the seller's public id, so the seller's own webhook endpoints receive it, and the
operator's reason, so a suspended or rejected seller learns why without asking.
"""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class SellerStateChanged(DomainEvent):
    seller_id: str
    previous_state: str
    state: str
    reason: str


class SellerVerified(SellerStateChanged):
    name = "seller.verified"


class SellerActivated(SellerStateChanged):
    """Applied sellers become active once; a suspended seller coming back is ``reinstated``."""

    name = "seller.activated"


class SellerReinstated(SellerStateChanged):
    name = "seller.reinstated"


class SellerSuspended(SellerStateChanged):
    name = "seller.suspended"


class SellerRejected(SellerStateChanged):
    name = "seller.rejected"
