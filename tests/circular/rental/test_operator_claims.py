"""The operator console's damage-claim pages: the queue lists disputed claims, the detail page
shows the booking, the seller's evidence and the renter's dispute, and the decision (uphold,
reduce, reject) settles the deposit once through the rental services; refusals are messages on
the page, and non-staff users are turned away."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from agora.circular.models import DamageClaim, RentalBooking, RentalDeposit
from agora.circular.rental.services import (
    rental_book,
    rental_claim_dispute,
    rental_hand_over,
    rental_inspect,
    rental_return,
)
from agora.core import clock
from agora.core.models import AuditEntry
from agora.payments.postings import BUYER_REFUNDS, AccountKey
from agora.payments.selectors import balance
from agora.payments.services.holds import held_minor
from tests.circular.rental.conftest import CARD, SYSTEM, make_renter
from tests.operator.data import operator

pytestmark = pytest.mark.django_db
QUEUE = "admin:operator_rental_claims"
DETAIL = "admin:operator_rental_claim"
DEPOSIT = 10000


def _claim(unit, renter, renter_actor, *, damage: int, dispute: bool = True) -> DamageClaim:  # type: ignore[no-untyped-def]
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
    booking = rental_inspect(
        actor=SYSTEM,
        booking=rental_return(actor=SYSTEM, booking=booking),
        damage_minor=damage,
        description="Chuck cracked, motor smells burnt",
        photos=["https://example.org/chuck-1.jpg", "https://example.org/chuck-2.jpg"],
    )
    claim = DamageClaim.objects.get(booking=booking)
    if dispute:
        claim = rental_claim_dispute(
            actor=renter_actor, claim=claim, reason="The chuck was cracked when I got it"
        )
    return claim


@pytest.fixture
def ops() -> Client:
    client = Client()
    client.force_login(operator())
    return client


def _refunded() -> int:
    return balance(AccountKey(BUYER_REFUNDS, "test", "EUR"))


def test_the_queue_lists_disputed_claims_and_links_them(ops, unit, renter, renter_actor):
    claim = _claim(unit, renter, renter_actor, damage=3500)
    page = ops.get(reverse(QUEUE)).content.decode()
    assert claim.public_id in page and claim.booking.public_id in page
    assert "Hammer drill" in page and "Drill #1" in page
    assert reverse(DETAIL, args=[claim.public_id]) in page
    assert "35.00" in page
    assert ops.get(reverse(QUEUE) + "?status=resolved").content.decode().count(claim.public_id) == 0
    assert reverse(QUEUE) in ops.get(reverse("admin:index")).content.decode()


def test_the_detail_page_shows_booking_evidence_and_dispute(ops, unit, renter, renter_actor):
    claim = _claim(unit, renter, renter_actor, damage=3500)
    html = ops.get(reverse(DETAIL, args=[claim.public_id])).content.decode()
    booking = claim.booking
    for text in (
        booking.public_id,
        "Drill #1",
        "2026-03-05",
        "2026-03-08",
        "€45.00",  # rent: 3 days at 15
        "€100.00",  # deposit held
        "€35.00",  # claimed
        "Chuck cracked, motor smells burnt",
        "https://example.org/chuck-2.jpg",
        "The chuck was cracked when I got it",
        renter.email,
        'name="decision"',
    ):
        assert text in html, text


def test_upholding_keeps_the_amount_claimed(ops, unit, renter, renter_actor):
    claim = _claim(unit, renter, renter_actor, damage=3500)
    response = ops.post(reverse(DETAIL, args=[claim.public_id]), {"decision": "uphold"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.decided_minor) == (DamageClaim.Status.RESOLVED, 3500)
    deposit = RentalDeposit.objects.get(booking=claim.booking)
    assert (deposit.state, deposit.kept_minor) == (RentalDeposit.State.PARTLY_KEPT, 3500)
    assert claim.booking.__class__.objects.get(pk=claim.booking_id).status == "closed"
    assert _refunded() == DEPOSIT - 3500
    assert held_minor(reference=claim.booking.public_id, currency="EUR") == 0
    entry = AuditEntry.objects.filter(action="rental.claim_resolved").get()
    assert "ops@example.invalid" in entry.actor_label
    page = ops.get(response["Location"]).content.decode()
    assert "decided" in page and 'name="decision"' not in page  # decided: no form any more


def test_reducing_keeps_the_amount_given(ops, unit, renter, renter_actor):
    claim = _claim(unit, renter, renter_actor, damage=3500)
    ops.post(reverse(DETAIL, args=[claim.public_id]), {"decision": "reduce", "amount": "12.50"})
    claim.refresh_from_db()
    assert (claim.status, claim.decided_minor) == (DamageClaim.Status.RESOLVED, 1250)
    deposit = RentalDeposit.objects.get(booking=claim.booking)
    assert deposit.kept_minor == 1250 and _refunded() == DEPOSIT - 1250


def test_rejecting_returns_the_whole_deposit(ops, unit, renter, renter_actor):
    claim = _claim(unit, renter, renter_actor, damage=3500)
    ops.post(reverse(DETAIL, args=[claim.public_id]), {"decision": "reject"})
    deposit = RentalDeposit.objects.get(booking=claim.booking)
    assert (deposit.state, deposit.kept_minor) == (RentalDeposit.State.RELEASED, 0)
    assert _refunded() == DEPOSIT
    assert DamageClaim.objects.get(pk=claim.pk).decided_minor == 0


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"decision": "reduce", "amount": "500.00"}, "must be less than"),
        ({"decision": "reduce", "amount": "forty"}, "is not a sum of money in EUR"),
        ({"decision": "reduce", "amount": ""}, "Give the amount to keep"),
        ({"decision": "reduce", "amount": "-1"}, "is not a number of minor units"),
        ({"decision": "reduce", "amount": "150.00"}, "deposit held"),
        ({}, "Choose a decision"),
    ],
)
def test_a_refused_decision_is_a_message_and_settles_nothing(
    ops, unit, renter, renter_actor, form, says
):
    claim = _claim(unit, renter, renter_actor, damage=50000)  # more than the deposit
    response = ops.post(reverse(DETAIL, args=[claim.public_id]), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert says in html, html[html.find("messagelist") : html.find("messagelist") + 400]
    assert 'name="decision"' in html  # the form is still there
    claim.refresh_from_db()
    assert claim.status == DamageClaim.Status.DISPUTED
    assert RentalDeposit.objects.get(booking=claim.booking).state == RentalDeposit.State.HELD
    assert _refunded() == 0


def test_a_claim_over_the_deposit_upheld_keeps_the_deposit(ops, unit, renter, renter_actor):
    claim = _claim(unit, renter, renter_actor, damage=50000)
    html = ops.get(reverse(DETAIL, args=[claim.public_id])).content.decode()
    assert "more than the deposit" in html
    ops.post(reverse(DETAIL, args=[claim.public_id]), {"decision": "uphold"})
    deposit = RentalDeposit.objects.get(booking=claim.booking)
    assert (deposit.state, deposit.kept_minor) == (RentalDeposit.State.KEPT, DEPOSIT)
    assert DamageClaim.objects.get(pk=claim.pk).decided_minor == 50000


def test_deciding_twice_is_refused_on_the_page(ops, unit, renter, renter_actor):
    claim = _claim(unit, renter, renter_actor, damage=3500)
    url = reverse(DETAIL, args=[claim.public_id])
    ops.post(url, {"decision": "reject"})
    response = ops.post(url, {"decision": "uphold"})
    assert response.status_code == 400
    assert "it can become resolved only when disputed" in response.content.decode()
    assert RentalDeposit.objects.get(booking=claim.booking).kept_minor == 0
    assert _refunded() == DEPOSIT  # once


def test_an_open_claim_has_no_decision_form(ops, unit, renter, renter_actor):
    claim = _claim(unit, renter, renter_actor, damage=3500, dispute=False)
    html = ops.get(reverse(DETAIL, args=[claim.public_id])).content.decode()
    assert "The renter has not disputed this claim." in html and 'name="decision"' not in html


def test_an_unknown_claim_goes_back_to_the_queue(ops):
    response = ops.get(reverse(DETAIL, args=["rdc_nope"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse(QUEUE)
    assert "There is no damage claim rdc_nope." in response.content.decode()


def test_non_staff_users_are_turned_away(db, unit, renter, renter_actor):
    claim = _claim(unit, renter, renter_actor, damage=3500)
    client = Client()
    client.force_login(make_renter("someone@example.org"))
    for url in (reverse(QUEUE), reverse(DETAIL, args=[claim.public_id])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    response = client.post(reverse(DETAIL, args=[claim.public_id]), {"decision": "reject"})
    assert response.status_code == 302
    assert RentalBooking.objects.get(pk=claim.booking_id).status == RentalBooking.Status.INSPECTED
