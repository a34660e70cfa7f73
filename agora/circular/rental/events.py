"""Events rental publishes (added to the event list in docs/architecture.md by the lead)."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class RentalBooked(DomainEvent):
    """A booking is paid (rent and deposit held in escrow) and its days are the renter's."""

    name = "rental.booked"
    booking_id: str
    unit_id: str
    seller_id: str
    start_date: str
    end_date: str
    rent_minor: int
    deposit_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class RentalCancelled(DomainEvent):
    name = "rental.cancelled"
    booking_id: str
    seller_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class RentalReturned(DomainEvent):
    name = "rental.returned"
    booking_id: str
    seller_id: str
    late_days: int
    late_fee_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class RentalClaimOpened(DomainEvent):
    """The seller claims part of the deposit for damage; the renter may accept or dispute."""

    name = "rental.claim_opened"
    claim_id: str
    booking_id: str
    amount_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class RentalClaimDisputed(DomainEvent):
    """The renter disputes a damage claim; an operator decides."""

    name = "rental.claim_disputed"
    claim_id: str
    booking_id: str


@dataclass(frozen=True, kw_only=True)
class RentalClosed(DomainEvent):
    """The deposit is settled: ``kept_minor`` to the seller (late fee and damage), the rest
    back to the renter; the rent went to the seller."""

    name = "rental.closed"
    booking_id: str
    seller_id: str
    rent_minor: int
    kept_minor: int
    released_minor: int
    currency: str
