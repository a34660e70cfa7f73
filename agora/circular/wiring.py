"""What this app hooks into at start-up: event handlers, extension points and periodic jobs.
Each part adds its own registration here."""

from __future__ import annotations

from datetime import timedelta


def connect() -> None:
    """Register handlers, extension points and scheduled jobs (once, from ``ready``)."""
    _connect_rental()


def _connect_rental() -> None:
    """C1 rental: resume half-paid bookings, settle damage claims nobody answered."""
    from agora.circular.rental.tasks import rental_sweep
    from agora.core import schedule

    schedule.every(timedelta(minutes=5), rental_sweep, name="circular.rental_sweep")
