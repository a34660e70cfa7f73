"""Real concurrency: shipments and returns of one order race on separate connections (SQLite
file or PostgreSQL); the order's row lock lets exactly what is left through."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from agora.core.errors import AgoraError
from agora.fulfillment.models import ShipmentLine
from agora.fulfillment.services import ShipmentLineDraft, shipment_create
from agora.orders.models import OrderLine
from tests.conftest import SYSTEM, make_seller
from tests.orders.factories import carrier, delivered, location, paid, requested_return


def race(n: int, work: Callable[[], None]) -> list[str]:
    outcomes: list[str] = []
    barrier = threading.Barrier(n)

    def run() -> None:
        try:
            barrier.wait()
            work()
            outcomes.append("ok")
        except AgoraError as exc:
            outcomes.append(exc.problem.slug)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_concurrent_shipments_never_over_ship():
    seller = make_seller("racer")
    order = paid(seller, [(3, 100)])
    where, dhl = location(seller), carrier()

    def ship_one() -> None:
        shipment_create(
            actor=SYSTEM, order=order, location=where, lines=[ShipmentLineDraft(1, 1)], carrier=dhl
        )

    outcomes = race(6, ship_one)
    # a loser sees either the line with nothing left, or the order already fulfilled
    assert outcomes.count("ok") == 3
    assert set(outcomes) - {"ok"} <= {"over-shipped", "invalid-state-transition"}
    assert OrderLine.objects.get(order=order).fulfilled_quantity == 3
    assert sum(ShipmentLine.objects.values_list("quantity", flat=True)) == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_returns_never_return_more_than_bought():
    seller = make_seller("returner")
    order = delivered(seller, [(2, 100)])
    assert race(5, lambda: requested_return(order, 1)) == ["ok"] * 2 + ["over-returned"] * 3
    assert OrderLine.objects.get(order=order).returned_quantity == 2
