"""The seller onboarding state machine, as plain data so it can be tested without a database."""

from __future__ import annotations

from enum import StrEnum


class SellerState(StrEnum):
    APPLIED = "applied"
    VERIFIED = "verified"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REJECTED = "rejected"  # an application the operator turned down (final; apply again)


TRANSITIONS: dict[SellerState, frozenset[SellerState]] = {
    SellerState.APPLIED: frozenset({SellerState.VERIFIED, SellerState.REJECTED}),
    SellerState.VERIFIED: frozenset({SellerState.ACTIVE, SellerState.REJECTED}),
    SellerState.ACTIVE: frozenset({SellerState.SUSPENDED}),
    SellerState.SUSPENDED: frozenset({SellerState.ACTIVE}),
    SellerState.REJECTED: frozenset(),
}
# Moves that take something away from the seller: the operator must say why, and the seller is
# shown that reason (``Seller.state_reason``, and the event sent to the seller's webhooks).
NEEDS_REASON = frozenset({SellerState.SUSPENDED, SellerState.REJECTED})


def can_move(current: SellerState, target: SellerState) -> bool:
    return target in TRANSITIONS[current]
