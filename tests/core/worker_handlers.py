"""A handler for the worker end-to-end test, loaded by the worker subprocess (not by pytest's
collection: the file name does not start with ``test_``)."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core import clock
from agora.core.events import DomainEvent, handles

EVENT = "tests.worker_pinged"
HANDLER = "tests.worker_handler"


@dataclass(frozen=True, kw_only=True)
class WorkerPinged(DomainEvent):
    name = EVENT
    note: str


def handle(event: DomainEvent, event_id: str) -> None:
    from agora.core.models import AuditEntry

    assert isinstance(event, WorkerPinged)
    AuditEntry.objects.create(
        at=clock.now(),
        actor_kind="system",
        actor_label=HANDLER,
        action="tests.worker_handled",
        target_type="event",
        target_id=event_id,
        changes={"note": event.note},
    )


def register() -> None:
    handles(EVENT, name=HANDLER)(handle)
