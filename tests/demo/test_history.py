"""The demo store's purchase history: generated from the seed, written like an import (no events,
no stock movement), written once, and enough for the recommender to train and report on.

The build is expensive, so the module builds once inside a transaction rolled back at the end.
"""

from __future__ import annotations

import json
from collections import Counter
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction

from agora.core.models import AuditEntry, OutboxEvent
from agora.demo.generate import build_spec
from agora.demo.history import HISTORY_DAYS, history_spec
from agora.inventory.models import StockMovement
from agora.orders.models import Order, OrderLine
from agora.recommendations.exposure import exposure_report
from agora.recommendations.models import Signal


def _counts() -> dict[str, int]:
    tables = (Order, OrderLine, Signal, AuditEntry, OutboxEvent, StockMovement)
    return {model._meta.label: model.objects.count() for model in tables}


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        first = _run("demo")
        after_first = _counts()
        moves = StockMovement.objects.count()
        second = _run("demo")
        yield SimpleNamespace(
            first=first, second=second, after_first=after_first, again=_counts(), moves=moves
        )
        transaction.set_rollback(True)


def test_the_history_is_the_seeds_and_looks_like_shopping():
    spec = build_spec(2026)
    orders = history_spec(spec)
    assert orders == history_spec(build_spec(2026))
    assert orders != history_spec(build_spec(7))
    assert {o.buyer_email for o in orders} == {b.email for b in spec.buyers}
    assert {o.seller for o in orders} == {s.slug for s in spec.sellers}
    assert all(1 <= o.days_ago <= HISTORY_DAYS for o in orders)
    assert len({(o.seller, o.ref) for o in orders}) == len(orders)
    # repeat purchases: every buyer buys some item in at least three orders
    for buyer in spec.buyers:
        bought = Counter(
            line.sku for o in orders if o.buyer_email == buyer.email for line in o.lines
        )
        assert bought.most_common(1)[0][1] >= 3, buyer.email
    # items bought together, and the same pairs recurring across orders
    pairs = Counter(
        tuple(sorted((a.sku, b.sku)))
        for o in orders
        for i, a in enumerate(o.lines)
        for b in o.lines[i + 1 :]
    )
    assert sum(pairs.values()) >= 20
    assert pairs.most_common(1)[0][1] >= 3


def test_past_orders_are_written_like_an_import(built, db):
    orders = Order.objects.filter(external_ref__startswith="DEMO-2026-")
    assert orders.count() >= 150
    assert set(orders.values_list("status", flat=True)) == {Order.Status.COMPLETED}
    assert set(orders.values_list("channel", flat=True)) == {Order.Channel.IMPORT}
    emails = {o.buyer.email for o in orders.select_related("buyer__person")}
    assert emails == {f"buyer{i}@demo.agora.test" for i in range(1, 11)}
    assert orders.values("seller").distinct().count() == 6
    for order in orders.prefetch_related("lines")[:20]:
        lines = list(order.lines.all())
        assert lines and order.total_minor == sum(line.total_minor for line in lines)
        assert all(line.variant_id and line.unit_price_minor > 0 for line in lines)
    assert not OutboxEvent.objects.filter(name__startswith="order.").exists()
    assert AuditEntry.objects.filter(action="orders.imported").count() == 6
    assert "past orders" in built.first


def test_a_second_run_writes_nothing(built, db):
    assert built.again == built.after_first
    assert "nothing changed" in built.second


def test_signals_and_a_model_are_ready_after_the_demo(built, db):
    bought = Signal.objects.filter(kind=Signal.Kind.PURCHASE)
    assert bought.values("buyer").distinct().count() == 10
    answer = json.loads(_run("recs", "train", "--json").strip().splitlines()[-1])
    assert answer["users"] == 10 and answer["purchases"] >= 200 and answer["items"] >= 30


def test_the_exposure_report_covers_the_demo_buyers_and_sellers(built, db):
    report = exposure_report(k=10)
    assert report["buyers"] == 10
    assert report["impressions"] == 100
    assert report["sellers"]["exposed"] >= 2
    assert 0 <= report["items"]["gini"] <= 1
