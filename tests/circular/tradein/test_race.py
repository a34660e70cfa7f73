"""Credit is granted once even when inspections race: eight inspectors submit the same
received trade-in at the same moment, on a thread pool with one connection each (SQLite's test
database is a file; PostgreSQL gives real concurrent transactions). Exactly one credits; every
other gets ``tradein-wrong-state``, never a database error; the ledger holds one grant."""

from __future__ import annotations

import pytest

from agora.circular.models import TradeIn
from agora.circular.tradein.services import tradein_inspect
from agora.core import clock
from agora.core.models import OutboxEvent
from agora.payments.models import LedgerTransaction
from agora.payments.selectors import store_credit_balance, store_credit_history
from tests.circular.tradein.conftest import GOOD, START, make_buyer, make_model, received
from tests.concurrency import run_together
from tests.conftest import SYSTEM

RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_inspections_credit_once():
    with clock.frozen_at(START):
        buyer = make_buyer("race@example.org")
        tradein = received(buyer, make_model("Race phone"), SYSTEM)

        def task():  # type: ignore[no-untyped-def]
            return tradein_inspect(actor=SYSTEM, tradein=tradein, answers=GOOD).public_id

        results = run_together([task for _ in range(RACERS)], threads=RACERS, timeout=120)
    errors = [r for r in results if isinstance(r, tuple) and r[0] == "error"]
    assert not errors, errors
    won = [r for r in results if not isinstance(r, tuple)]
    refused = [r[1] for r in results if isinstance(r, tuple)]
    assert won == [tradein.public_id]
    assert refused == ["tradein-wrong-state"] * (RACERS - 1)
    assert TradeIn.objects.get(pk=tradein.pk).status == TradeIn.Status.CREDITED
    assert LedgerTransaction.objects.filter(reference=tradein.public_id).count() == 1
    assert store_credit_balance(buyer=buyer, currency="EUR") == 25_000
    assert len(store_credit_history(buyer=buyer, currency="EUR")) == 1
    assert OutboxEvent.objects.filter(name="tradein.credited").count() == 1
