"""Dispatches committed outbox events to their handlers: at least once, applied once.

For each (event, handler) pair there is one :class:`EventDelivery` row. A handler runs inside a
transaction that also marks its delivery done, so its database effects and the "done" mark commit
together: a crash in between redoes both, a success is never repeated. A handler that raises is
retried with exponential back-off; after ``MAX_ATTEMPTS`` it is parked as ``dead`` and shown in
``agora outbox`` and the admin until an operator retries it.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from agora.core import clock
from agora.core.events import RegisteredHandler, event_from_row, handlers_for
from agora.core.models import EventDelivery, OutboxEvent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BACKOFF_BASE = timedelta(seconds=2)
BACKOFF_CAP = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """Delay before attempt ``attempts + 1``: 2s, 4s, 8s, … capped at one hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


@dataclass
class DispatchReport:
    events: int = 0
    applied: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def dispatch_pending(*, limit: int = 500) -> DispatchReport:
    """Hands every due, undispatched event to its handlers, oldest first."""
    report = DispatchReport()
    due = list(
        OutboxEvent.objects.filter(dispatched_at__isnull=True, next_attempt_at__lte=clock.now())
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for event_id in due:
        dispatch_event(event_id, report)
    return report


def dispatch_event(event_id: int, report: DispatchReport | None = None) -> DispatchReport:
    report = report or DispatchReport()
    row = OutboxEvent.objects.get(pk=event_id)
    if row.dispatched_at is not None:
        return report
    report.events += 1
    try:
        event: object = event_from_row(row.name, row.payload)
    except Exception as exc:  # e.g. a payload written by another version of the event class
        # Not raised here: one unreadable event must not stop the events queued behind it. Each
        # handler fails on it instead, so it backs off, is parked and shows in `agora outbox`.
        event = _Unreadable(exc)
    now = clock.now()
    states = {
        name: (status, next_at)
        for name, status, next_at in EventDelivery.objects.filter(event=row).values_list(
            "handler", "status", "next_attempt_at"
        )
    }
    retry_at = []
    for handler in handlers_for(row.name):
        status, next_at = states.get(handler.name, (None, None))
        if status in (EventDelivery.Status.DONE, EventDelivery.Status.DEAD):
            continue
        if next_at is not None and next_at > now:
            # Each handler keeps its own back-off: one that is not due yet is not run on
            # another handler's schedule (nor early by a direct call), only remembered.
            retry_at.append(next_at)
            continue
        outcome = _deliver(row, handler, event)
        if outcome is None:
            report.applied += 1
        elif outcome[0] is None:  # another worker got there first and it is not due again yet
            retry_at.append(outcome[1])
        else:
            report.failed += 1
            report.errors.append(f"{row.name} {row.public_id} → {handler.name}: {outcome[0]}")
            if outcome[1] is not None:
                retry_at.append(outcome[1])
    with transaction.atomic():
        row = OutboxEvent.objects.select_for_update().get(pk=event_id)
        row.attempts += 1
        if retry_at:
            row.next_attempt_at = min(retry_at)
        else:
            row.dispatched_at = clock.now()
        row.save(update_fields=["attempts", "next_attempt_at", "dispatched_at"])
    return report


@dataclass(frozen=True)
class _Unreadable:
    """Stands for an event whose row could not be turned back into its class."""

    error: Exception


def _deliver(
    row: OutboxEvent, handler: RegisteredHandler, event: object
) -> tuple[str | None, object] | None:
    """Runs one handler; returns None when applied (now or earlier), else (error, retry time);
    the error is None when the delivery is not due yet."""
    try:
        with transaction.atomic():
            delivery, _ = EventDelivery.objects.select_for_update().get_or_create(
                event=row, handler=handler.name
            )
            if delivery.status in (EventDelivery.Status.DONE, EventDelivery.Status.DEAD):
                return None
            if delivery.next_attempt_at is not None and delivery.next_attempt_at > clock.now():
                return None, delivery.next_attempt_at
            if isinstance(event, _Unreadable):
                error = event.error
                raise RuntimeError(f"cannot rebuild the event: {type(error).__name__}: {error}")
            handler.func(event, row.public_id)
            delivery.status = EventDelivery.Status.DONE
            delivery.attempts += 1
            delivery.done_at = clock.now()
            delivery.last_error = ""
            delivery.next_attempt_at = None
            delivery.save()
            return None
    except Exception as exc:  # a handler's failure must not stop the others
        message = f"{type(exc).__name__}: {exc}"
        logger.warning("handler %s failed on %s: %s", handler.name, row.public_id, message)
        with transaction.atomic():
            delivery, _ = EventDelivery.objects.select_for_update().get_or_create(
                event=row, handler=handler.name
            )
            delivery.attempts += 1
            delivery.last_error = "".join(traceback.format_exception(exc))[-4000:]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = EventDelivery.Status.DEAD
                delivery.next_attempt_at = None
            else:
                delivery.status = EventDelivery.Status.FAILED
                delivery.next_attempt_at = clock.now() + backoff(delivery.attempts)
            delivery.save()
        return message, delivery.next_attempt_at


def retry_dead(*, event_public_id: str | None = None) -> int:
    """Gives parked (dead) deliveries another round of attempts; returns how many."""
    deliveries = EventDelivery.objects.filter(status=EventDelivery.Status.DEAD)
    if event_public_id:
        deliveries = deliveries.filter(event__public_id=event_public_id)
    now = clock.now()
    with transaction.atomic():
        event_ids = set(deliveries.values_list("event_id", flat=True))
        count = deliveries.update(
            status=EventDelivery.Status.FAILED, attempts=0, next_attempt_at=now
        )
        OutboxEvent.objects.filter(pk__in=event_ids).update(dispatched_at=None, next_attempt_at=now)
    return count


def has_due_events() -> bool:
    return OutboxEvent.objects.filter(
        dispatched_at__isnull=True, next_attempt_at__lte=clock.now()
    ).exists()
