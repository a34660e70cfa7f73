"""Background tasks of rental, run by ``agora worker``."""

from __future__ import annotations

from django.tasks import task


@task()
def rental_sweep() -> dict[str, int]:
    """Resumes bookings left half-paid, settles claims nobody answered and finishes
    settlements that stopped half way (every 5 minutes)."""
    from agora.circular.rental.sweep import rental_sweep as sweep

    return sweep().as_dict()
