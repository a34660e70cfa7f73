"""Finishing what a crash or a silent renter left open (run every few minutes by the
scheduler): bookings stuck in ``pending_payment`` are resumed with the same provider keys (so
nothing is charged twice; a decline frees the days), damage claims the renter neither
accepted nor disputed within :data:`CLAIM_WINDOW` are taken as accepted, and settlements that
stopped half way are finished: an inspected booking whose deposit is still held or ``settling``
although nothing waits for a decision (no claim, or a claim accepted or resolved) is settled
again with the amount decided. That is safe to repeat: the escrow is emptied once
(``hold_settle`` is idempotent by the booking's reference, and a settlement found done is not
asked for again) and the deposit row is finished under the booking's lock."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from agora.circular.models import DamageClaim, RentalBooking, RentalDeposit
from agora.circular.rental import selectors
from agora.circular.rental.services import rental_book_finish, rental_deposit_settle
from agora.circular.rental.services.settlement import settle_claim
from agora.core import clock
from agora.core.actors import system
from agora.core.errors import AgoraError

logger = logging.getLogger(__name__)
ACTOR = system("rental.sweep")
PENDING_AFTER = timedelta(minutes=10)
CLAIM_WINDOW = timedelta(days=14)
SETTLING_AFTER = timedelta(minutes=10)  # a settlement running now is left alone
WAITING = (DamageClaim.Status.OPEN, DamageClaim.Status.DISPUTED)  # the deposit waits for these


@dataclass
class SweepResult:
    resumed: int = 0
    declined: int = 0
    claims_accepted: int = 0
    settled: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def rental_sweep() -> SweepResult:
    result = SweepResult()
    now = clock.now()
    stuck = RentalBooking.objects.filter(
        status=RentalBooking.Status.PENDING_PAYMENT, updated_at__lt=now - PENDING_AFTER
    ).order_by("pk")
    for booking in stuck:
        try:
            rental_book_finish(actor=ACTOR, booking=booking)
            result.resumed += 1
        except AgoraError as exc:
            logger.info("rental sweep: %s: %s", booking.public_id, exc)
            result.declined += 1
    silent = DamageClaim.objects.filter(
        status=DamageClaim.Status.OPEN, created_at__lt=now - CLAIM_WINDOW
    ).order_by("pk")
    for claim in silent:
        try:
            settle_claim(ACTOR, claim, accepted_by_default=True)
            result.claims_accepted += 1
        except AgoraError as exc:
            logger.warning("rental sweep: claim %s: %s", claim.public_id, exc)
    result.settled = _finish_settlements(now)
    return result


def _finish_settlements(now: datetime) -> int:
    """Settles inspected bookings a crash or a provider error left with the deposit held or
    settling, with the damage decided (0 without a claim); returns how many it closed."""
    half_done = (
        RentalBooking.objects.filter(
            status=RentalBooking.Status.INSPECTED,
            deposit__state__in=(RentalDeposit.State.HELD, RentalDeposit.State.SETTLING),
            updated_at__lt=now - SETTLING_AFTER,
        )
        .exclude(damage_claim__status__in=WAITING)
        .select_related("damage_claim")
        .order_by("pk")
    )
    settled = 0
    for booking in half_done:
        claim = selectors.claim_of(booking)
        damage = (claim.decided_minor or 0) if claim else 0
        try:
            rental_deposit_settle(
                actor=ACTOR,
                booking=booking,
                damage_minor=damage,
                reason=claim.description[:200] if claim else "",
            )
            settled += 1
        except AgoraError as exc:
            logger.warning("rental sweep: settling %s: %s", booking.public_id, exc)
    return settled
