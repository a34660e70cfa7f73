"""Real threads, each on its own connection (SQLite file or PostgreSQL): concurrent refunds of
one order can never together exceed what was paid, even with a release racing them."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from agora.core.errors import AgoraError
from agora.payments.models import Refund
from agora.payments.providers.teststate import TestProviderCharge
from agora.payments.selectors import order_position, seller_balance, unbalanced_transactions
from agora.payments.services import escrow_release, refund_issue
from tests.conftest import make_seller
from tests.payments.conftest import SYSTEM, make_order, pay


@pytest.mark.django_db(transaction=True)
def test_concurrent_refunds_never_exceed_what_was_paid():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:"):
        pytest.skip("needs a file database: threads on :memory: do not share it")
    seller = make_seller("racer")
    order = make_order(seller, 1000)
    pay([order])
    attempts = [("refund", 400)] * 5 + [("release", 0)]
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []
    failures: list[BaseException] = []

    def attempt(index: int, kind: str, amount: int) -> None:
        try:
            barrier.wait()
            if kind == "release":
                escrow_release(actor=SYSTEM, order=order, commission_bps=1000)
            else:
                refund_issue(
                    actor=SYSTEM,
                    order=order,
                    amount_minor=amount,
                    reason="race",
                    idempotency_key=f"race-{index}",
                )
            outcomes.append(f"{kind}:ok")
        except AgoraError as exc:
            outcomes.append(f"{kind}:{exc.problem.slug}")
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(i, kind, amount))
        for i, (kind, amount) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert sorted(o for o in outcomes if o.startswith("refund")) == (
        ["refund:ok"] * 2 + ["refund:refund-exceeds-paid"] * 3
    )
    assert Refund.objects.filter(status="succeeded").count() == 2
    assert TestProviderCharge.objects.get().refunded_minor == 800
    position = order_position(
        order_ref=order.public_id, seller_ref=seller.public_id, currency="EUR"
    )
    assert position.refunded_minor == 800
    assert not unbalanced_transactions()
    balance = seller_balance(seller=seller, currency="EUR")
    assert balance.in_escrow_minor >= 0
    # The release ran before, between or after the refunds; either way the seller ends with
    # what it keeps (200) less 10 % commission, and nothing stays in escrow.
    assert "release:ok" in outcomes
    assert (balance.in_escrow_minor, balance.payable_minor) == (0, 200 - 20)
