"""The rental sweep finishes settlements that stopped half way: a crash after the claim was
decided (deposit still held), after the deposit was marked ``settling`` (escrow still full) and
after the provider refunded (escrow empty, deposit still ``settling``). Each is closed with the
amount decided, the renter is refunded once, and a second sweep changes nothing. Deposits that
wait for the renter or an operator, and settlements running right now, are left alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agora.circular.models import DamageClaim, RentalBooking, RentalDeposit
from agora.circular.rental.services import (
    rental_book,
    rental_claim_dispute,
    rental_hand_over,
    rental_inspect,
    rental_return,
)
from agora.circular.rental.services._common import settle_hold
from agora.circular.rental.sweep import rental_sweep
from agora.core import clock
from agora.payments.models import LedgerEntry
from agora.payments.postings import BUYER_REFUNDS, AccountKey
from agora.payments.selectors import balance
from agora.payments.services.holds import held_minor, hold_settlement
from tests.circular.rental.conftest import CARD, SYSTEM

pytestmark = pytest.mark.django_db
RENT, DEPOSIT = 3 * 1500, 10000


def _refunded() -> int:
    return balance(AccountKey(BUYER_REFUNDS, "test", "EUR"))


def _inspected(unit, renter, renter_actor, *, damage: int = 0) -> RentalBooking:  # type: ignore[no-untyped-def]
    """A returned booking whose inspection committed but whose settlement never ran (the
    crash between :func:`rental_inspect`'s transaction and the settlement)."""
    booking = rental_book(
        actor=renter_actor,
        unit=unit,
        renter=renter,
        start=date(2026, 3, 5),
        end=date(2026, 3, 8),
        payment_method=CARD,
    )
    clock.advance(timedelta(days=3))
    booking = rental_hand_over(actor=SYSTEM, booking=booking)
    clock.advance(timedelta(days=3))
    booking = rental_return(actor=SYSTEM, booking=booking)
    if damage:
        return rental_inspect(
            actor=SYSTEM, booking=booking, damage_minor=damage, description="Dent"
        )
    RentalBooking.objects.filter(pk=booking.pk).update(status=RentalBooking.Status.INSPECTED)
    return RentalBooking.objects.get(pk=booking.pk)


def _decided(booking: RentalBooking, renter_actor, amount: int) -> DamageClaim:  # type: ignore[no-untyped-def]
    """The claim disputed and resolved, the process gone before the deposit was settled."""
    claim = rental_claim_dispute(
        actor=renter_actor, claim=DamageClaim.objects.get(booking=booking), reason="Was dented"
    )
    DamageClaim.objects.filter(pk=claim.pk).update(
        status=DamageClaim.Status.RESOLVED, decided_minor=amount
    )
    return claim


def _loaded(booking: RentalBooking) -> RentalBooking:
    return RentalBooking.objects.select_related("seller", "offer__product").get(pk=booking.pk)


def _deposit(booking: RentalBooking) -> RentalDeposit:
    return RentalDeposit.objects.get(booking=booking)


def test_a_decided_claim_whose_deposit_is_still_held_is_settled(unit, renter, renter_actor):
    booking = _inspected(unit, renter, renter_actor, damage=3500)
    _decided(booking, renter_actor, 2000)
    assert rental_sweep().settled == 0  # the inspection was a moment ago: may be running
    clock.advance(timedelta(minutes=11))
    assert rental_sweep().settled == 1
    deposit = _deposit(booking)
    assert (deposit.state, deposit.kept_minor) == (RentalDeposit.State.PARTLY_KEPT, 2000)
    assert "damage: Dent" in deposit.kept_reason
    assert RentalBooking.objects.get(pk=booking.pk).status == RentalBooking.Status.CLOSED
    assert _refunded() == DEPOSIT - 2000
    assert held_minor(reference=booking.public_id, currency="EUR") == 0
    assert rental_sweep().settled == 0 and _refunded() == DEPOSIT - 2000  # once


def test_a_deposit_left_settling_before_the_provider_call_is_settled(unit, renter, renter_actor):
    booking = _inspected(unit, renter, renter_actor)
    RentalDeposit.objects.filter(booking=booking).update(state=RentalDeposit.State.SETTLING)
    assert hold_settlement(reference=booking.hold_reference) is None
    clock.advance(timedelta(minutes=11))
    result = rental_sweep()
    assert result.settled == 1 and result.as_dict()["settled"] == 1
    deposit = _deposit(booking)
    assert (deposit.state, deposit.kept_minor) == (RentalDeposit.State.RELEASED, 0)
    assert deposit.settled_at is not None
    assert _refunded() == DEPOSIT
    assert sum(LedgerEntry.objects.values_list("amount_minor", flat=True)) == 0


def test_a_deposit_left_settling_after_the_refund_is_finished_without_paying_twice(
    unit, renter, renter_actor
):
    booking = _inspected(unit, renter, renter_actor, damage=3500)
    _decided(booking, renter_actor, 3500)
    RentalDeposit.objects.filter(booking=booking).update(state=RentalDeposit.State.SETTLING)
    # the escrow was emptied (the seller paid, the renter refunded), then the process died
    settle_hold(SYSTEM, _loaded(booking), to_seller_minor=RENT + 3500)
    settlements = LedgerEntry.objects.count()
    assert _refunded() == DEPOSIT - 3500
    clock.advance(timedelta(minutes=11))
    assert rental_sweep().settled == 1
    deposit = _deposit(booking)
    assert (deposit.state, deposit.kept_minor) == (RentalDeposit.State.PARTLY_KEPT, 3500)
    assert RentalBooking.objects.get(pk=booking.pk).status == RentalBooking.Status.CLOSED
    assert _refunded() == DEPOSIT - 3500 and LedgerEntry.objects.count() == settlements
    assert rental_sweep().settled == 0


def test_deposits_waiting_for_a_decision_are_left_alone(unit, renter, renter_actor):
    booking = _inspected(unit, renter, renter_actor, damage=3500)
    claim = DamageClaim.objects.get(booking=booking)
    clock.advance(timedelta(minutes=11))
    assert rental_sweep().settled == 0  # open: the renter may still answer
    rental_claim_dispute(actor=renter_actor, claim=claim, reason="Was dented")
    clock.advance(timedelta(days=30))
    result = rental_sweep()
    assert (result.settled, result.claims_accepted) == (0, 0)  # disputed: an operator decides
    assert _deposit(booking).state == RentalDeposit.State.HELD and _refunded() == 0


def test_an_unanswered_claim_is_accepted_and_settled_after_the_window(unit, renter, renter_actor):
    booking = _inspected(unit, renter, renter_actor, damage=3500)
    clock.advance(timedelta(days=15))
    result = rental_sweep()
    assert (result.claims_accepted, result.settled) == (1, 0)
    claim = DamageClaim.objects.get(booking=booking)
    assert claim.status == DamageClaim.Status.ACCEPTED and claim.decided_minor == 3500
    assert _deposit(booking).kept_minor == 3500 and _refunded() == DEPOSIT - 3500
