"""No unit is ever booked twice, proven with real concurrency like the stock race
(tests/inventory/test_race.py): renters on a bounded thread pool, each thread with its own
database connection (the SQLite test database is a file; PostgreSQL gives real concurrent
transactions), all released at once.

The renters ask for one unit in several groups. Within a group every request contains the
group's middle day, so all requests of a group overlap each other: exactly one per group may
win. Groups do not overlap each other, and some groups have a single renter: every group gets
its winner. Losers get ``rental-dates-unavailable``, never a database error; nothing hangs.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from agora.accounts.services import actor_for_user, user_create
from agora.circular.models import RentalBooking, RentalDay
from agora.circular.rental.services import booking as booking_services
from agora.circular.rental.services import rental_book
from agora.core import clock
from agora.payments.services.holds import held_minor
from tests.circular.rental.conftest import CARD, add_unit, make_offer
from tests.concurrency import run_together

THREADS = 12  # bounded: PostgreSQL allows ~100 connections
TIMEOUT = 180  # seconds for the whole race; a deadlock shows up as a timeout, not a hang
FIRST = date(2026, 5, 1)
WINDOW = 5  # days per group; groups are back to back, which is not an overlap (half-open)


def _requests(groups: list[int], seed: int) -> list[tuple[int, date, date]]:
    """``(group, start, end)`` per renter: ``groups[k]`` renters in group k, each asking for a
    range inside the group's window that contains its middle day."""
    rng = random.Random(seed)
    wanted = []
    for group, renters in enumerate(groups):
        window = FIRST + timedelta(days=WINDOW * group)
        for _ in range(renters):
            start = window + timedelta(days=rng.randint(0, 2))
            end = window + timedelta(days=rng.randint(3, WINDOW))
            wanted.append((group, start, end))
    rng.shuffle(wanted)
    return wanted


def _run(tasks: list[Callable[[], Any]]) -> list[Any]:
    return run_together(tasks, threads=THREADS, timeout=TIMEOUT)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("precheck", [True, False], ids=["with-precheck", "constraint-only"])
def test_renters_race_for_one_unit_and_each_overlapping_set_has_one_winner(precheck, monkeypatch):
    """``constraint-only`` switches the unlocked pre-check off, so every loser reaches the
    insert and only the database's UNIQUE (unit, day) key can stop it."""
    if not precheck:
        monkeypatch.setattr(booking_services, "_precheck", lambda unit, start, end: None)
    with clock.frozen_at(datetime(2026, 4, 1, 9, tzinfo=UTC)):
        unit = add_unit(make_offer(max_days=30))
        groups = [8, 1, 8, 1, 6, 1, 8]  # contended groups and lone renters
        wanted = _requests(groups, seed=11)
        renters = [
            user_create(email=f"renter{n}@example.org", password=None) for n in range(len(wanted))
        ]

        def task(renter, start: date, end: date) -> Callable[[], Any]:  # type: ignore[no-untyped-def]
            def book() -> Any:
                booking = rental_book(
                    actor=actor_for_user(renter),
                    unit=unit,
                    renter=renter,
                    start=start,
                    end=end,
                    payment_method=CARD,
                )
                return ("booked", booking.public_id)

            return book

        outcomes = _run(
            [task(r, start, end) for r, (_, start, end) in zip(renters, wanted, strict=True)]
        )

    errors = [o for o in outcomes if o[0] == "error"]
    assert not errors, errors[:3]
    refused = Counter(o[1] for o in outcomes if o[0] == "refused")
    assert set(refused) <= {"rental-dates-unavailable"}, refused
    winners: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for (group, start, end), outcome in zip(wanted, outcomes, strict=True):
        if outcome[0] == "booked":
            winners[group].append((start, end))
    assert {g: len(w) for g, w in winners.items()} == dict.fromkeys(range(len(groups)), 1)

    # the database agrees: one reserved booking per group, each day held once, money held once
    bookings = list(RentalBooking.objects.filter(status=RentalBooking.Status.RESERVED))
    assert len(bookings) == len(groups)
    days = list(RentalDay.objects.filter(unit=unit).values_list("day", flat=True))
    assert len(days) == len(set(days)) == sum((b.end_date - b.start_date).days for b in bookings)
    for booking in bookings:
        held = held_minor(reference=booking.public_id, currency="EUR")
        assert held == booking.rent_minor + booking.deposit_minor
    assert not RentalBooking.objects.exclude(status=RentalBooking.Status.RESERVED).exists()
    print(  # shown with -s
        f"\n{len(wanted)} renters on {THREADS} threads ({connection.vendor}): "
        f"{len(bookings)} bookings, refused {dict(refused)} (precheck {precheck})"
    )
