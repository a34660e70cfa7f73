"""After booking: hand-over, return with late fees by the clock, inspection settling the
deposit (released, partly kept with a claim, disputed and decided) and no second refund."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agora.accounts.services import actor_for_user, user_create
from agora.circular.models import DamageClaim, RentalBooking, RentalDeposit
from agora.circular.rental.services import (
    rental_book,
    rental_claim_accept,
    rental_claim_dispute,
    rental_claim_resolve,
    rental_deposit_settle,
    rental_hand_over,
    rental_inspect,
    rental_return,
)
from agora.core import clock
from agora.core.errors import AgoraError
from agora.payments.models import LedgerEntry
from agora.payments.postings import BUYER_REFUNDS, SELLER_PAYABLE, AccountKey
from agora.payments.selectors import balance
from agora.payments.services.holds import held_minor
from tests.circular.rental.conftest import CARD, SYSTEM

pytestmark = pytest.mark.django_db
RENT = 3 * 1500
DEPOSIT = 10000


@pytest.fixture
def handed(unit, renter, renter_actor) -> RentalBooking:  # type: ignore[no-untyped-def]
    booking = rental_book(
        actor=renter_actor,
        unit=unit,
        renter=renter,
        start=date(2026, 3, 5),
        end=date(2026, 3, 8),
        payment_method=CARD,
    )
    clock.advance(timedelta(days=3))  # 5 March
    return rental_hand_over(actor=SYSTEM, booking=booking)


def refunded_to_buyer() -> int:
    return balance(AccountKey(BUYER_REFUNDS, "test", "EUR"))


def seller_payable(booking: RentalBooking) -> int:
    return balance(AccountKey(SELLER_PAYABLE, booking.seller.public_id, "EUR"))


def test_on_time_return_releases_the_whole_deposit(handed):
    assert handed.status == RentalBooking.Status.ACTIVE and handed.handed_over_at
    clock.advance(timedelta(days=3))  # back on the due day, 8 March
    booking = rental_return(actor=SYSTEM, booking=handed)
    assert (booking.late_days, booking.late_fee_minor) == (0, 0)
    booking = rental_inspect(actor=SYSTEM, booking=booking)
    assert booking.status == RentalBooking.Status.CLOSED
    deposit = RentalDeposit.objects.get(booking=booking)
    assert (deposit.state, deposit.kept_minor) == (RentalDeposit.State.RELEASED, 0)
    assert refunded_to_buyer() == DEPOSIT
    assert held_minor(reference=booking.public_id, currency="EUR") == 0
    # the seller gets the rent less commission; the ledger still balances
    assert 0 < seller_payable(booking) <= RENT
    assert sum(LedgerEntry.objects.values_list("amount_minor", flat=True)) == 0


def test_late_return_is_charged_per_day_from_the_end_date(handed):
    clock.advance(timedelta(days=5))  # 10 March: two days after the due day
    booking = rental_return(actor=SYSTEM, booking=handed)
    assert (booking.late_days, booking.late_fee_minor) == (2, 2 * 2500)
    booking = rental_inspect(actor=SYSTEM, booking=booking)
    deposit = RentalDeposit.objects.get(booking=booking)
    assert deposit.state == RentalDeposit.State.PARTLY_KEPT
    assert deposit.kept_minor == 5000 and "late 2 days" in deposit.kept_reason
    assert refunded_to_buyer() == DEPOSIT - 5000


def test_damage_claim_accepted_keeps_part_of_the_deposit(handed, renter_actor):
    clock.advance(timedelta(days=3))
    booking = rental_return(actor=SYSTEM, booking=handed)
    booking = rental_inspect(
        actor=SYSTEM,
        booking=booking,
        damage_minor=3500,
        description="Chuck cracked",
        photos=["https://example.org/chuck.jpg"],
    )
    assert booking.status == RentalBooking.Status.INSPECTED
    claim = DamageClaim.objects.get(booking=booking)
    assert claim.status == DamageClaim.Status.OPEN and claim.photos
    assert held_minor(reference=booking.public_id, currency="EUR") == RENT + DEPOSIT  # still held
    booking = rental_claim_accept(actor=renter_actor, claim=claim)
    assert booking.status == RentalBooking.Status.CLOSED
    deposit = RentalDeposit.objects.get(booking=booking)
    assert (deposit.state, deposit.kept_minor) == (RentalDeposit.State.PARTLY_KEPT, 3500)
    assert refunded_to_buyer() == DEPOSIT - 3500


def test_disputed_claim_is_decided_by_an_operator(handed, renter_actor):
    clock.advance(timedelta(days=3))
    booking = rental_inspect(
        actor=SYSTEM,
        booking=rental_return(actor=SYSTEM, booking=handed),
        damage_minor=50000,  # more than the deposit: at most the deposit can be kept
        description="Motor burnt out",
    )
    claim = DamageClaim.objects.get(booking=booking)
    with pytest.raises(AgoraError, match="say why"):
        rental_claim_dispute(actor=renter_actor, claim=claim, reason=" ")
    claim = rental_claim_dispute(actor=renter_actor, claim=claim, reason="It was already weak")
    assert claim.status == DamageClaim.Status.DISPUTED
    with pytest.raises(AgoraError) as caught:
        rental_claim_accept(actor=renter_actor, claim=claim)
    assert caught.value.problem.slug == "invalid-state-transition"
    with pytest.raises(AgoraError) as caught:
        rental_claim_resolve(actor=renter_actor, claim=claim, amount_minor=0)
    assert caught.value.problem.slug == "forbidden"
    operator = user_create(email="op@example.org", password="x" * 12)
    operator.is_staff = True
    with pytest.raises(AgoraError) as caught:  # a reduction above the deposit keeps nothing more
        rental_claim_resolve(actor=actor_for_user(operator), claim=claim, amount_minor=20000)
    assert "deposit held" in caught.value.detail
    assert DamageClaim.objects.get(pk=claim.pk).status == DamageClaim.Status.DISPUTED
    booking = rental_claim_resolve(
        actor=actor_for_user(operator), claim=claim, amount_minor=DEPOSIT
    )
    deposit = RentalDeposit.objects.get(booking=booking)
    assert (deposit.state, deposit.kept_minor) == (RentalDeposit.State.KEPT, DEPOSIT)
    assert refunded_to_buyer() == 0


def test_a_deposit_is_never_refunded_twice(handed):
    clock.advance(timedelta(days=3))
    booking = rental_inspect(actor=SYSTEM, booking=rental_return(actor=SYSTEM, booking=handed))
    with pytest.raises(AgoraError) as caught:
        rental_deposit_settle(actor=SYSTEM, booking=booking)
    assert caught.value.problem.slug == "rental-deposit-settled"
    assert "already released" in caught.value.detail and "cannot be refunded twice" in str(
        caught.value
    )
    with pytest.raises(AgoraError) as caught:
        rental_inspect(actor=SYSTEM, booking=booking)
    assert caught.value.problem.slug == "invalid-state-transition"
    assert refunded_to_buyer() == DEPOSIT  # once


def test_the_renter_cannot_act_as_the_seller(handed, renter_actor):
    with pytest.raises(AgoraError) as caught:
        rental_return(actor=renter_actor, booking=handed)
    assert caught.value.problem.slug == "forbidden"


def test_damage_needs_a_description(handed):
    clock.advance(timedelta(days=3))
    booking = rental_return(actor=SYSTEM, booking=handed)
    with pytest.raises(AgoraError, match="say what is damaged"):
        rental_inspect(actor=SYSTEM, booking=booking, damage_minor=100)
    assert RentalBooking.objects.get(pk=booking.pk).status == RentalBooking.Status.RETURNED
