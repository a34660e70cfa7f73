"""The transactional outbox: an event exists iff its change committed; each handler's effect is
applied once, failures back off, give up as dead, are shown and can be retried."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from agora.core import clock
from agora.core.events import (
    DomainEvent,
    PublishOutsideTransaction,
    UnknownEvent,
    event_from_row,
    handlers_for,
    handles,
    publish,
    unregister,
)
from agora.core.models import AuditEntry, EventDelivery, OutboxEvent
from agora.core.outbox import (
    MAX_ATTEMPTS,
    backoff,
    dispatch_event,
    dispatch_pending,
    has_due_events,
    retry_dead,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
EVENT = "tests.widget_counted"


@dataclass(frozen=True, kw_only=True)
class WidgetCounted(DomainEvent):
    name = EVENT
    widget: str
    count: int


def effects(handler: str) -> int:
    """How many times ``handler``'s database effect happened."""
    return AuditEntry.objects.filter(action="tests.handled", actor_label=handler).count()


class Recorder:
    """Registers handlers whose effect is a row in the audit table; ``fail`` decides, per call,
    whether a handler raises (after writing, so a failed attempt must leave nothing behind)."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[DomainEvent, str]]] = {}
        self.registered: list[tuple[str, str]] = []

    def add(
        self, handler: str, fail: Callable[[int], bool] = lambda n: False, event: str = EVENT
    ) -> None:
        def handle(evt: DomainEvent, event_id: str) -> None:
            calls = self.calls.setdefault(handler, [])
            calls.append((evt, event_id))
            AuditEntry.objects.create(
                at=clock.now(),
                actor_kind="system",
                actor_label=handler,
                action="tests.handled",
                target_type="event",
                target_id=event_id,
            )
            if fail(len(calls)):
                raise RuntimeError(f"{handler} failed on call {len(calls)}")

        handles(event, name=handler)(handle)
        self.registered.append((event, handler))

    def count(self, handler: str) -> int:
        return len(self.calls.get(handler, []))


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    for event, handler in rec.registered:
        unregister(event, handler)


def publish_one(widget: str = "w1", count: int = 1) -> OutboxEvent:
    with transaction.atomic():
        public_id = publish(WidgetCounted(widget=widget, count=count))
    return OutboxEvent.objects.get(public_id=public_id)


def delivery(event: OutboxEvent, handler: str) -> EventDelivery:
    return EventDelivery.objects.get(event=event, handler=handler)


# --- publishing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_published_event_is_a_row_with_its_payload(recorder: Recorder) -> None:
    with clock.frozen_at(T0):
        row = publish_one("w9", 3)
    assert row.name == EVENT
    assert row.payload == {"widget": "w9", "count": 3}
    assert row.occurred_at == T0 and row.next_attempt_at == T0 and row.dispatched_at is None
    assert row.public_id.startswith("evt_")
    rebuilt = event_from_row(row.name, row.payload)
    assert rebuilt == WidgetCounted(widget="w9", count=3)


@pytest.mark.django_db
def test_event_in_a_rolled_back_transaction_is_never_dispatched(recorder: Recorder) -> None:
    recorder.add("tests.h")
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(WidgetCounted(widget="gone", count=1))
        raise RuntimeError("the change failed")
    assert not OutboxEvent.objects.filter(name=EVENT).exists()
    report = dispatch_pending()
    assert report.events == 0 and report.applied == 0
    assert recorder.count("tests.h") == 0 and effects("tests.h") == 0


@pytest.mark.django_db(transaction=True)
def test_rolled_back_event_enqueues_no_task(recorder: Recorder) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(WidgetCounted(widget="gone", count=1))
        raise RuntimeError("the change failed")
    assert not OutboxEvent.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_is_refused() -> None:
    with pytest.raises(PublishOutsideTransaction):
        publish(WidgetCounted(widget="w", count=1))
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
def test_event_without_a_name_is_refused() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Nameless(DomainEvent):
        x: int

    with pytest.raises(ValueError), transaction.atomic():
        publish(Nameless(x=1))


@pytest.mark.django_db(transaction=True)
def test_commit_enqueues_one_dispatch_task() -> None:
    with transaction.atomic():
        publish(WidgetCounted(widget="a", count=1))
        publish(WidgetCounted(widget="b", count=2))
        assert not DBTaskResult.objects.exists()  # not before the commit
    tasks = list(DBTaskResult.objects.all())
    assert len(tasks) == 1
    assert tasks[0].task_path == "agora.core.tasks.outbox_dispatch"
    assert tasks[0].status == "READY"


@pytest.mark.django_db
def test_commit_callback_enqueues_the_task(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        publish(WidgetCounted(widget="a", count=1))
        publish(WidgetCounted(widget="b", count=1))
    assert len(callbacks) == 1
    assert DBTaskResult.objects.filter(task_path="agora.core.tasks.outbox_dispatch").count() == 1


# --- dispatching -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_handler_gets_the_typed_event_and_its_id(recorder: Recorder) -> None:
    recorder.add("tests.one")
    recorder.add("tests.two")
    recorder.add("tests.every", event="*")
    recorder.add("tests.other", event="tests.something_else")
    row = publish_one("w2", 7)
    report = dispatch_pending()
    assert (report.events, report.applied, report.failed) == (1, 3, 0)
    for name in ("tests.one", "tests.two", "tests.every"):
        [(event, event_id)] = recorder.calls[name]
        assert event == WidgetCounted(widget="w2", count=7)
        assert event_id == row.public_id
        assert delivery(row, name).status == EventDelivery.Status.DONE
    assert recorder.count("tests.other") == 0
    row.refresh_from_db()
    assert row.dispatched_at is not None
    assert not has_due_events()


@pytest.mark.django_db
def test_event_without_handlers_is_marked_dispatched() -> None:
    row = publish_one()
    report = dispatch_pending()
    assert report.events == 1 and report.applied == 0
    row.refresh_from_db()
    assert row.dispatched_at is not None


@pytest.mark.django_db
def test_dispatching_again_applies_nothing_twice(recorder: Recorder) -> None:
    recorder.add("tests.once")
    row = publish_one()
    dispatch_pending()
    dispatch_pending()
    dispatch_event(row.pk)
    assert effects("tests.once") == 1 and recorder.count("tests.once") == 1


@pytest.mark.django_db
def test_unknown_event_names_still_reach_wildcard_handlers(recorder: Recorder) -> None:
    recorder.add("tests.every", event="*")
    with transaction.atomic():
        OutboxEvent.objects.create(
            name="future.thing",
            payload={"a": 1},
            occurred_at=clock.now(),
            next_attempt_at=clock.now(),
        )
    dispatch_pending()
    [(event, _)] = recorder.calls["tests.every"]
    assert isinstance(event, UnknownEvent)
    assert event.event_name == "future.thing" and event.data == {"a": 1}


@pytest.mark.django_db
def test_failed_handler_backs_off_then_applies_once(recorder: Recorder) -> None:
    recorder.add("tests.flaky", fail=lambda n: n == 1)
    with clock.frozen_at(T0):
        row = publish_one()
        report = dispatch_pending()
        assert (report.applied, report.failed) == (0, 1)
        assert "tests.flaky" in report.errors[0]
        d = delivery(row, "tests.flaky")
        assert d.status == EventDelivery.Status.FAILED
        assert d.attempts == 1
        assert d.next_attempt_at == T0 + backoff(1) > T0
        assert "RuntimeError: tests.flaky failed on call 1" in d.last_error
        assert effects("tests.flaky") == 0  # the failed attempt's write was rolled back
        row.refresh_from_db()
        assert row.dispatched_at is None and row.next_attempt_at == d.next_attempt_at

        # not yet due: neither the sweep nor a direct dispatch runs the handler early
        clock.advance(backoff(1) - timedelta(milliseconds=1))
        assert not has_due_events()
        assert dispatch_pending().events == 0
        dispatch_event(row.pk)
        assert recorder.count("tests.flaky") == 1
        assert delivery(row, "tests.flaky").status == EventDelivery.Status.FAILED

        clock.advance(timedelta(milliseconds=1))
        assert has_due_events()
        report = dispatch_pending()
        assert (report.applied, report.failed) == (1, 0)
        d = delivery(row, "tests.flaky")
        assert (
            d.status == EventDelivery.Status.DONE and d.attempts == 2 and d.done_at == clock.now()
        )
        assert d.last_error == "" and d.next_attempt_at is None
        assert effects("tests.flaky") == 1

        clock.advance(timedelta(hours=2))
        dispatch_pending()
        dispatch_event(row.pk)
        assert effects("tests.flaky") == 1 and recorder.count("tests.flaky") == 2
        row.refresh_from_db()
        assert row.dispatched_at is not None


@pytest.mark.django_db
def test_a_failing_handler_does_not_repeat_a_succeeding_one(recorder: Recorder) -> None:
    recorder.add("tests.good")
    recorder.add("tests.bad", fail=lambda n: n <= 2)
    with clock.frozen_at(T0):
        row = publish_one()
        report = dispatch_pending()
        assert (report.applied, report.failed) == (1, 1)
        for _ in range(3):
            clock.advance(timedelta(hours=1))
            dispatch_pending()
            dispatch_event(row.pk)
    assert effects("tests.good") == 1 and recorder.count("tests.good") == 1
    assert effects("tests.bad") == 1 and recorder.count("tests.bad") == 3
    assert delivery(row, "tests.good").attempts == 1
    assert delivery(row, "tests.bad").attempts == 3
    row.refresh_from_db()
    assert row.dispatched_at is not None


@pytest.mark.django_db
def test_each_handler_keeps_its_own_back_off(recorder: Recorder) -> None:
    """A handler further along its back-off is not retried on another handler's schedule."""
    recorder.add("tests.stubborn", fail=lambda n: True)
    with clock.frozen_at(T0):
        row = publish_one()
        for _ in range(4):  # stubborn reaches attempt 4: next try 16 s later
            dispatch_pending()
            clock.advance(timedelta(hours=1))
        dispatch_pending()
        stubborn = delivery(row, "tests.stubborn")
        assert stubborn.attempts == 5
        assert stubborn.next_attempt_at == clock.now() + backoff(5)
        recorder.add("tests.newcomer", fail=lambda n: n == 1)  # e.g. after a deploy
        OutboxEvent.objects.filter(pk=row.pk).update(next_attempt_at=clock.now())
        dispatch_pending()  # newcomer fails (retry in 2 s); stubborn is not due
        assert recorder.count("tests.stubborn") == 5
        clock.advance(backoff(1))
        dispatch_pending()  # newcomer is due and applies; stubborn still is not
        assert recorder.count("tests.stubborn") == 5
        assert delivery(row, "tests.newcomer").status == EventDelivery.Status.DONE
        row.refresh_from_db()
        assert row.dispatched_at is None
        assert row.next_attempt_at == stubborn.next_attempt_at


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert backoff(40) == timedelta(hours=1)


@pytest.mark.django_db
def test_after_max_attempts_the_delivery_is_dead_shown_and_retryable(recorder: Recorder) -> None:
    healthy = {"now": False}
    recorder.add("tests.broken", fail=lambda n: not healthy["now"])
    with clock.frozen_at(T0):
        row = publish_one()
        for _ in range(MAX_ATTEMPTS):
            dispatch_pending()
            clock.advance(timedelta(hours=1))
        d = delivery(row, "tests.broken")
        assert d.status == EventDelivery.Status.DEAD
        assert d.attempts == MAX_ATTEMPTS and d.next_attempt_at is None
        assert recorder.count("tests.broken") == MAX_ATTEMPTS
        clock.advance(timedelta(days=1))
        dispatch_pending()
        dispatch_event(row.pk)
        assert recorder.count("tests.broken") == MAX_ATTEMPTS  # parked: not retried on its own
        assert not has_due_events()

        out = io.StringIO()
        call_command("outbox", stdout=out)
        text = out.getvalue()
        assert "dead" in text and "tests.broken" in text and row.public_id in text
        assert f"attempts {MAX_ATTEMPTS}" in text
        assert f"RuntimeError: tests.broken failed on call {MAX_ATTEMPTS}" in text

        healthy["now"] = True
        out = io.StringIO()
        call_command("outbox", "--retry-dead", "--dispatch", stdout=out)
        assert "re-queued 1" in out.getvalue()
        assert "1 applied" in out.getvalue()
        d = delivery(row, "tests.broken")
        assert d.status == EventDelivery.Status.DONE
        assert effects("tests.broken") == 1
        row.refresh_from_db()
        assert row.dispatched_at is not None
        out = io.StringIO()
        call_command("outbox", stdout=out)
        assert "events waiting: 0" in out.getvalue() and "tests.broken" not in out.getvalue()


@pytest.mark.django_db
def test_retry_dead_can_target_one_event(recorder: Recorder) -> None:
    recorder.add("tests.broken", fail=lambda n: True)
    with clock.frozen_at(T0):
        first, second = publish_one("a"), publish_one("b")
        for _ in range(MAX_ATTEMPTS):
            dispatch_pending()
            clock.advance(timedelta(hours=1))
        assert EventDelivery.objects.filter(status=EventDelivery.Status.DEAD).count() == 2
        assert retry_dead(event_public_id=first.public_id) == 1
        assert delivery(first, "tests.broken").status == EventDelivery.Status.FAILED
        assert delivery(first, "tests.broken").attempts == 0
        assert delivery(second, "tests.broken").status == EventDelivery.Status.DEAD
        assert has_due_events()
        assert retry_dead() == 1
        assert retry_dead() == 0


def test_handlers_for_includes_wildcards(recorder: Recorder) -> None:
    recorder.add("tests.specific")
    recorder.add("tests.any", event="*")
    names = [h.name for h in handlers_for(EVENT)]
    assert "tests.specific" in names and "tests.any" in names
    assert "tests.specific" not in [h.name for h in handlers_for("tests.unrelated")]


@pytest.mark.django_db
def test_an_unreadable_event_does_not_block_the_ones_behind_it(recorder: Recorder) -> None:
    """A payload that no longer fits its class (e.g. written by another version) fails like a
    handler failure: backed off, visible, parked; the events after it are still dispatched."""
    recorder.add("tests.h")
    with clock.frozen_at(T0):
        with transaction.atomic():
            bad = OutboxEvent.objects.create(
                name=EVENT, payload={"widget": "no count"}, occurred_at=T0, next_attempt_at=T0
            )
        good = publish_one("fine", 1)
        report = dispatch_pending()
        assert (report.events, report.applied, report.failed) == (2, 1, 1)
        assert recorder.count("tests.h") == 1
        assert recorder.calls["tests.h"][0][1] == good.public_id
        d = delivery(bad, "tests.h")
        assert (
            d.status == EventDelivery.Status.FAILED and "cannot rebuild the event" in d.last_error
        )
        for _ in range(MAX_ATTEMPTS):
            clock.advance(timedelta(hours=1))
            dispatch_pending()
        assert delivery(bad, "tests.h").status == EventDelivery.Status.DEAD
        assert recorder.count("tests.h") == 1


@pytest.mark.django_db(transaction=True)
def test_a_waiting_dispatch_run_is_not_queued_twice():
    """Commits that publish events while a dispatch run is queued and not yet started add no
    second run (it will see their events); once none is waiting, the next commit queues one."""
    from django_tasks_db.models import DBTaskResult

    from agora.core.tasks import enqueue_unless_waiting, outbox_dispatch

    def queued() -> int:
        return DBTaskResult.objects.filter(
            task_path=outbox_dispatch.module_path, status="READY"
        ).count()

    assert enqueue_unless_waiting(outbox_dispatch) is True
    assert enqueue_unless_waiting(outbox_dispatch) is False
    assert queued() == 1
    DBTaskResult.objects.all().delete()
    assert enqueue_unless_waiting(outbox_dispatch) is True
    assert queued() == 1
