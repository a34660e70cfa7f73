"""Domain events and the transactional outbox.

A service calls :func:`publish` inside its transaction; the event is a row in the outbox table in
that same transaction, so it exists if and only if the change committed. After commit a task is
enqueued that hands the event to every registered handler (see :mod:`agora.core.outbox`).
Handlers are registered by name with :func:`handles` and must be idempotent per event id; the
outbox guarantees that a handler's own database writes are applied once per event.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import transaction

from agora.core import clock

Handler = Callable[["DomainEvent", str], None]


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base class: a fact in the past tense. Fields must be JSON types (str, int, bool, lists,
    dicts) so the event survives the outbox and webhooks unchanged."""

    name: ClassVar[str] = ""

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            existing = _EVENT_TYPES.setdefault(cls.name, cls)
            if existing is not cls and existing.__qualname__ != cls.__qualname__:
                raise ValueError(f"event name {cls.name!r} is used by two classes")
            _EVENT_TYPES[cls.name] = cls


@dataclass(frozen=True)
class RegisteredHandler:
    name: str
    event_name: str
    func: Handler


_EVENT_TYPES: dict[str, type[DomainEvent]] = {}
_HANDLERS: dict[str, dict[str, RegisteredHandler]] = {}
WILDCARD = "*"


def handles(event_name: str, *, name: str | None = None) -> Callable[[Handler], Handler]:
    """Registers ``func(event, event_id)`` for ``event_name`` (or ``"*"`` for every event).

    The handler's name is its delivery key in the outbox; renaming a handler makes it a new one.
    """

    def register(func: Handler) -> Handler:
        handler_name = name or f"{func.__module__}.{func.__qualname__}"
        _HANDLERS.setdefault(event_name, {})[handler_name] = RegisteredHandler(
            handler_name, event_name, func
        )
        return func

    return register


def unregister(event_name: str, handler_name: str) -> None:
    _HANDLERS.get(event_name, {}).pop(handler_name, None)


def handlers_for(event_name: str) -> list[RegisteredHandler]:
    specific = _HANDLERS.get(event_name, {})
    wildcard = _HANDLERS.get(WILDCARD, {})
    return [*specific.values(), *wildcard.values()]


def event_from_row(name: str, payload: dict[str, Any]) -> DomainEvent:
    """Rebuilds the typed event when its class is known, else a generic one holding the data."""
    cls = _EVENT_TYPES.get(name)
    if cls is not None:
        field_names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in payload.items() if k in field_names})
    return UnknownEvent(event_name=name, data=payload)


@dataclass(frozen=True, kw_only=True)
class UnknownEvent(DomainEvent):
    """An event whose class is not loaded in this process (e.g. from a newer version)."""

    event_name: str
    data: dict[str, Any]


class PublishOutsideTransaction(RuntimeError):
    pass


def publish(event: DomainEvent) -> str:
    """Writes ``event`` to the outbox inside the caller's transaction; returns its public id.

    Refuses to run outside a transaction: an event published without one could be dispatched for
    a change that later fails.
    """
    from agora.core.models import OutboxEvent

    if not event.name:
        raise ValueError(f"{type(event).__name__} has no event name")
    if not transaction.get_connection().in_atomic_block:
        raise PublishOutsideTransaction(
            f"publish({event.name}) must be called inside the service's transaction.atomic()"
        )
    moment = clock.now()
    row = OutboxEvent.objects.create(
        name=event.name, payload=event.payload(), occurred_at=moment, next_attempt_at=moment
    )
    on_commit_once(_enqueue_dispatch)
    return row.public_id


def on_commit_once(callback: Callable[[], None]) -> None:
    """Runs ``callback`` after the current transaction commits, once however often it is asked
    for in that transaction (one sweep per commit is enough). Robust: a failing enqueue is
    logged, and the scheduler's periodic sweep catches what it missed."""
    connection = transaction.get_connection()
    if any(registered is callback for _, registered, _ in connection.run_on_commit):
        return
    transaction.on_commit(callback, robust=True)


def event_names() -> frozenset[str]:
    """Names of the event classes loaded in this process."""
    return frozenset(_EVENT_TYPES)


def _enqueue_dispatch() -> None:
    from agora.core.tasks import enqueue_unless_waiting, outbox_dispatch

    enqueue_unless_waiting(outbox_dispatch)
