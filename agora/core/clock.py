"""The one source of "now" in Agora, so tests can freeze and move time.

Every use of the current time in services goes through :func:`now`; ``django.utils.timezone.now``
is fine in migrations and admin only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_lock = threading.Lock()
_frozen: datetime | None = None


def now() -> datetime:
    """Timezone-aware UTC now (or the time a test set)."""
    frozen = _frozen
    return frozen if frozen is not None else datetime.now(UTC)


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("the clock only holds timezone-aware times")
    return moment.astimezone(UTC)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Freezes :func:`now` at ``moment`` for the duration of the block."""
    global _frozen
    with _lock:
        previous, _frozen = _frozen, _require_aware(moment)
    try:
        yield
    finally:
        with _lock:
            _frozen = previous


def advance(delta: timedelta) -> datetime:
    """Moves a frozen clock forward; refuses when the clock is not frozen."""
    global _frozen
    with _lock:
        if _frozen is None:
            raise RuntimeError("advance() needs a frozen clock (use clock.frozen_at)")
        _frozen = _frozen + delta
        return _frozen
