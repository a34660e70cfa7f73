"""Events trade-in publishes (listed in docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class TradeInQuoted(DomainEvent):
    """A buyer got an offer for an item, valid until ``expires_at``."""

    name = "tradein.quoted"
    tradein_id: str
    buyer_id: str
    model_id: str
    offer_minor: int
    currency: str
    expires_at: str


@dataclass(frozen=True, kw_only=True)
class TradeInAccepted(DomainEvent):
    """The buyer accepted the offer and will ship the item with the label."""

    name = "tradein.accepted"
    tradein_id: str
    buyer_id: str
    offer_minor: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class TradeInRevised(DomainEvent):
    """Inspection found the item worth less than the accepted offer: a revised offer (0 when
    it is worth nothing to us, and the item goes back)."""

    name = "tradein.revised"
    tradein_id: str
    buyer_id: str
    offer_minor: int
    revised_offer_minor: int
    currency: str
    expires_at: str


@dataclass(frozen=True, kw_only=True)
class TradeInCredited(DomainEvent):
    """The buyer's store credit was granted for the trade-in (once)."""

    name = "tradein.credited"
    tradein_id: str
    buyer_id: str
    amount_minor: int
    currency: str
    ledger_transaction_id: str


@dataclass(frozen=True, kw_only=True)
class TradeInReturned(DomainEvent):
    """The item went back to the buyer (revised offer refused or expired)."""

    name = "tradein.returned"
    tradein_id: str
    buyer_id: str
    note: str
