"""Finishing what a crash or a silent renter left open (run every few minutes by the
scheduler): bookings stuck in ``pending_payment`` are resumed with the same provider keys (so
nothing is charged twice; a decline frees the days), and damage claims the renter neither
accepted nor disputed within :data:`CLAIM_WINDOW` are taken as accepted."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta

from agora.circular.models import DamageClaim, RentalBooking
from agora.circular.rental.services import rental_book_finish
from agora.circular.rental.services.settlement import settle_claim
from agora.core import clock
from agora.core.actors import system
from agora.core.errors import AgoraError

logger = logging.getLogger(__name__)
ACTOR = system("rental.sweep")
PENDING_AFTER = timedelta(minutes=10)
CLAIM_WINDOW = timedelta(days=14)


@dataclass
class SweepResult:
    resumed: int = 0
    declined: int = 0
    claims_accepted: int = 0

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
    return result
