"""A deposit is refunded once even when returns race: a pick-up point and a courier scan of the
same empty package at the same moment, on a thread pool with one connection each (SQLite's test
database is a file; PostgreSQL gives real concurrent transactions). Exactly one refunds; every
other gets ``packaging-deposit-refunded``, never a database error; the loop counts once, and the
deposit the buyer paid at checkout goes back to the card once (the provider refunds once)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agora.circular.models import PackagingChoice, PackagingUse, ReusablePackage
from agora.circular.packaging.services import packages_add, packaging_return, packaging_ship
from agora.core import clock
from agora.core.models import OutboxEvent
from agora.orders.models import Order
from agora.payments.models import LedgerTransaction
from agora.payments.providers.teststate import TestProviderCharge
from agora.payments.selectors import unbalanced_transactions
from tests.circular.packaging.conftest import bought_in_reusable_packaging, make_type
from tests.concurrency import run_together
from tests.conftest import SYSTEM, make_seller
from tests.orders.factories import ship_all
from tests.storefront.buying import CARD_OK

RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_returns_refund_the_deposit_once():
    with clock.frozen_at(datetime(2026, 3, 2, 9, tzinfo=UTC)):
        seller = make_seller("racebox")
        package = packages_add(actor=SYSTEM, ptype=make_type(seller))[0]
        bought_in_reusable_packaging(seller, CARD_OK)  # the buyer paid the EUR 3.50 deposit
        shipment = ship_all(Order.objects.get(seller=seller))
        use = packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
        via = ["pickup_point", "courier"]

        def task(n: int):  # type: ignore[no-untyped-def]
            return lambda: packaging_return(actor=SYSTEM, use=use, via=via[n % 2]).public_id

        results = run_together([task(n) for n in range(RACERS)], threads=RACERS, timeout=120)
    errors = [r for r in results if isinstance(r, tuple) and r[0] == "error"]
    assert not errors, errors
    won = [r for r in results if not isinstance(r, tuple)]
    refused = [r[1] for r in results if isinstance(r, tuple)]
    assert won == [use.public_id]
    assert refused == ["packaging-deposit-refunded"] * (RACERS - 1)
    assert ReusablePackage.objects.get(pk=package.pk).loops == 1
    assert PackagingUse.objects.get(pk=use.pk).state == "returned"
    assert OutboxEvent.objects.filter(name="packaging.returned").count() == 1
    assert use.deposit_minor == 350
    assert PackagingChoice.objects.get().status == "refunded"
    deposit = TestProviderCharge.objects.get(amount_minor=350)
    assert (deposit.captured_minor, deposit.refunded_minor) == (350, 350)
    assert (
        LedgerTransaction.objects.filter(reference=PackagingChoice.objects.get().public_id).count()
        == 2
    )
    assert unbalanced_transactions() == []
