"""Several workers dispatching the same events at once still apply each handler once per event
(real threads, each with its own database connection, on a file or server database)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection, transaction

from agora.core import clock
from agora.core.events import DomainEvent, handles, publish, unregister
from agora.core.models import AuditEntry, EventDelivery, OutboxEvent
from agora.core.outbox import DispatchReport, dispatch_pending

HANDLERS = ("tests.concurrent_a", "tests.concurrent_b")


@dataclass(frozen=True, kw_only=True)
class WidgetCounted(DomainEvent):
    name = "tests.concurrent_widget"
    widget: str
    count: int


def record(name: str):  # type: ignore[no-untyped-def]
    def handle(event: DomainEvent, event_id: str) -> None:
        AuditEntry.objects.create(
            at=clock.now(),
            actor_kind="system",
            actor_label=name,
            action="tests.concurrent",
            target_type="event",
            target_id=event_id,
        )

    return handle


@pytest.fixture
def handlers() -> Iterator[None]:
    for name in HANDLERS:
        handles(WidgetCounted.name, name=name)(record(name))
    yield
    for name in HANDLERS:
        unregister(WidgetCounted.name, name)


@pytest.mark.django_db(transaction=True)
def test_parallel_dispatchers_apply_each_handler_once(handlers: None) -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:"):
        pytest.skip("needs a file database: threads on :memory: do not share it")
    event_ids = []
    for i in range(25):
        with transaction.atomic():
            event_ids.append(publish(WidgetCounted(widget=f"w{i}", count=i)))
    start = threading.Barrier(4)
    reports: list[DispatchReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            reports.append(dispatch_pending())
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sum(r.failed for r in reports) == 0
    for name in HANDLERS:
        effects = list(
            AuditEntry.objects.filter(action="tests.concurrent", actor_label=name).values_list(
                "target_id", flat=True
            )
        )
        assert sorted(effects) == sorted(event_ids), name  # every event once, none twice
    assert EventDelivery.objects.filter(status=EventDelivery.Status.DONE).count() == 2 * len(
        event_ids
    )
    assert EventDelivery.objects.count() == 2 * len(event_ids)
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
