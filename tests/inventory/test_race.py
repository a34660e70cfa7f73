"""No oversell, proven with real concurrency: 200 buyers on 20 threads, each thread with its own
database connection (the SQLite test database is a file; on PostgreSQL real row locks).

Every buyer either holds what it asked for or gets the ``out-of-stock`` problem, never a
database error; nothing hangs (every wait has a timeout); afterwards on-hand equals the sum of
the movement ledger and reserved equals the sum of active reservations at every location.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum

from agora.catalog.models import Variant
from agora.catalog.services import VariantInput, product_create
from agora.core.actors import system
from agora.inventory.models import Reservation, StockMovement
from agora.inventory.services import (
    reservation_release,
    reservations_convert,
    reservations_expire,
    stock_receive,
    stock_reserve,
)
from tests.concurrency import run_together
from tests.conftest import make_seller
from tests.inventory.books import assert_books_balance, located

SYSTEM = system("race")
BUYERS = 200
THREADS = 20  # bounded: PostgreSQL allows ~100 connections, the pool 8 per process
TIMEOUT = 120  # seconds for a whole race; a deadlock would show up as a timeout, not a hang
BERLIN = ("DE", 52.52, 13.405)


def _shop(scale: int = 1):  # type: ignore[no-untyped-def]
    """A seller with three SKUs and 18 units in all (times ``scale``): A over two locations (so
    some buyers get a split), B in one, C in a third."""
    seller = make_seller("racer")
    product = product_create(
        actor=SYSTEM,
        seller=seller,
        title="Limited drop",
        variants=[VariantInput(sku=sku) for sku in ("A", "B", "C")],
    )
    a, b, c = product.variants.order_by("sku")
    places = {
        "potsdam": (52.3906, 13.0645, "DE"),
        "munich": (48.1372, 11.5756, "DE"),
        "lyon": (45.764, 4.8357, "FR"),
    }
    loc = {
        name: located(seller, name, lat, lon, country)
        for name, (lat, lon, country) in places.items()
    }
    for variant, location, units in (
        (a, "potsdam", 3),
        (a, "munich", 4),
        (b, "munich", 5),
        (c, "lyon", 6),
    ):
        stock_receive(actor=SYSTEM, location=loc[location], variant=variant, quantity=units * scale)
    return seller, [a, b, c]


def _run(tasks: list[Callable[[], Any]]) -> tuple[list[Any], float]:
    """The tasks released together (``tests.concurrency``), and how long they took."""
    started = time.monotonic()
    outcomes = run_together(tasks, threads=THREADS, timeout=TIMEOUT)
    return outcomes, time.monotonic() - started


def _reserve_task(reference: str, variant: Variant, quantity: int, ttl: timedelta) -> Callable:
    def reserve() -> Any:
        held = stock_reserve(
            actor=SYSTEM,
            reference=reference,
            items=[(variant.pk, quantity)],
            ship_to=BERLIN,
            ttl=ttl,
        )
        return ("held", sum(r.quantity for r in held))

    return reserve


def _buyers(variants: list[Variant], count: int, prefix: str, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    return [(f"{prefix}{n}", rng.choice(variants), rng.choice((1, 2))) for n in range(count)]


def _check_sell_out(buyers: list[tuple], outcomes: list[Any], stock: dict[int, int]) -> None:
    errors = [o for o in outcomes if o[0] == "error"]
    assert not errors, errors[:3]
    refused = [o for o in outcomes if o[0] == "refused"]
    assert {o[1] for o in refused} <= {"out-of-stock"}, Counter(o[1] for o in refused)
    held: Counter[int] = Counter()
    smallest_refused: dict[int, int] = {}
    for (_, variant, quantity), outcome in zip(buyers, outcomes, strict=True):
        if outcome[0] == "held":
            assert outcome[1] == quantity
            held[variant.pk] += quantity
        else:
            smallest_refused[variant.pk] = min(smallest_refused.get(variant.pk, 99), quantity)
    for variant_id, units in stock.items():
        assert held[variant_id] <= units  # never more held than there is
        # and no buyer was turned away while enough was left for it: what remains is less
        # than the smallest quantity refused
        assert units - held[variant_id] < smallest_refused.get(variant_id, 99)


@pytest.mark.django_db(transaction=True)
def test_200_buyers_race_for_a_few_units():
    _, variants = _shop()
    stock = {v.pk: v.stock.aggregate(total=Sum("on_hand"))["total"] for v in variants}
    buyers = _buyers(variants, BUYERS, "buyer-", seed=3)
    tasks = [_reserve_task(ref, v, q, timedelta(minutes=15)) for ref, v, q in buyers]
    outcomes, seconds = _run(tasks)
    _check_sell_out(buyers, outcomes, stock)
    assert_books_balance(variant__in=variants)
    wanted = sum(q for *_, q in buyers)
    print(  # shown with -s: the figures for the report
        f"\n{BUYERS} buyers on {THREADS} threads ({connection.vendor}): {wanted} units wanted, "
        f"{sum(stock.values())} in stock, "
        f"{Counter(o[0] for o in outcomes)} in {seconds:.2f}s"
    )


@pytest.mark.django_db(transaction=True)
def test_converts_releases_expiry_and_new_buyers_race():
    """Holders pay (converted, half of them twice at once), abandon (released) or pay too late
    while the expiry sweep runs; new buyers race for the stock that frees up."""
    seller, variants = _shop(scale=4)
    holders = _buyers(variants, 30, "holder-", seed=5)
    late = _buyers(variants, 10, "late-", seed=6)
    setup, _ = _run(
        [_reserve_task(ref, v, q, timedelta(minutes=15)) for ref, v, q in holders]
        + [_reserve_task(ref, v, q, timedelta(milliseconds=1)) for ref, v, q in late]
    )
    assert not [o for o in setup if o[0] == "error"]
    held = dict(
        Reservation.objects.filter(state="active")
        .values_list("reference")
        .annotate(units=Sum("quantity"))
    )
    convert = partial(reservations_convert, actor=SYSTEM, order_references={seller.pk: "ord_1"})
    release = partial(reservation_release, actor=SYSTEM)
    tasks: list[Callable[[], Any]] = []
    for n, reference in enumerate(sorted(held)):
        if reference.startswith("late-") or n % 2 == 0:
            tasks += [partial(convert, reference=reference)] * (2 if n % 4 == 0 else 1)
        else:
            tasks.append(partial(release, reference=reference))
    tasks += [reservations_expire] * 5
    newcomers = _buyers(variants, 40, "new-", seed=7)
    tasks += [_reserve_task(ref, v, q, timedelta(minutes=15)) for ref, v, q in newcomers]
    random.Random(8).shuffle(tasks)
    outcomes, seconds = _run(tasks)

    errors = [o for o in outcomes if isinstance(o, tuple) and o[0] == "error"]
    assert not errors, errors[:3]
    refused = Counter(o[1] for o in outcomes if isinstance(o, tuple) and o[0] == "refused")
    # a late payer may find its reservation expired; a newcomer may find nothing left
    assert set(refused) <= {"reservation-closed", "out-of-stock"}, refused
    states = dict(
        Reservation.objects.filter(reference__in=list(held)).values_list("reference", "state")
    )
    for n, reference in enumerate(sorted(held)):
        if reference.startswith("late-"):
            assert states[reference] in {"converted", "expired"}
        else:
            assert states[reference] == ("converted" if n % 2 == 0 else "released")
    sold = -(StockMovement.objects.filter(kind="sale").aggregate(t=Sum("quantity"))["t"] or 0)
    converted = Reservation.objects.filter(state="converted").aggregate(t=Sum("quantity"))["t"]
    assert sold == (converted or 0)  # each conversion sold once, also when sent twice
    assert_books_balance(variant__in=variants)
    print(
        f"\n{len(tasks)} concurrent converts/releases/expiries/reservations "
        f"({connection.vendor}) over {len(held)} holders: {sold} units sold, "
        f"refused {dict(refused)} in {seconds:.2f}s"
    )
