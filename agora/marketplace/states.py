"""The seller onboarding state machine, as plain data so it can be tested without a database."""

from __future__ import annotations

from enum import StrEnum


class SellerState(StrEnum):
    APPLIED = "applied"
    VERIFIED = "verified"
    ACTIVE = "active"
    SUSPENDED = "suspended"


TRANSITIONS: dict[SellerState, frozenset[SellerState]] = {
    SellerState.APPLIED: frozenset({SellerState.VERIFIED}),
    SellerState.VERIFIED: frozenset({SellerState.ACTIVE}),
    SellerState.ACTIVE: frozenset({SellerState.SUSPENDED}),
    SellerState.SUSPENDED: frozenset({SellerState.ACTIVE}),
}


def can_move(current: SellerState, target: SellerState) -> bool:
    return target in TRANSITIONS[current]
