"""A fixed-window rate limiter on a database table, shared by every server process.

Each hit is **one statement**: ``INSERT … ON CONFLICT (bucket, window_start) DO UPDATE SET
hits = hits + 1 RETURNING hits``. Both SQLite (3.35+) and PostgreSQL run it atomically: two
processes hitting the same bucket at once serialise on the row (PostgreSQL's row lock, SQLite's
single writer), and each gets its own count back, so the limit is never overshot by a race. The
middleware runs it in autocommit, before any transaction of the view, so a refused request
still counts.

Fixed windows let a client send up to twice the limit across a window boundary; that is the
price of one row per bucket and window (a sliding log would cost a row per hit). Old windows
are pruned by a periodic job (:func:`rate_counters_prune`).

Limits live in ``settings.AGORA_RATE_LIMITS`` as ``{name: {"limit": n, "window": seconds}}``;
a ``limit`` of 0 turns a limiter off. They are read per hit, so tests lower them with the
``settings`` fixture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from agora.accounts.models import RateCounter
from agora.core import clock
from agora.core.errors import RATE_LIMITED, AgoraError

DEFAULT_LIMITS: dict[str, dict[str, int]] = {
    # Sign-in attempts (password and 2FA step) per client IP.
    "login": {"limit": 30, "window": 60},
    # Checkout submissions per buyer (signed-in user, else session, else IP).
    "checkout": {"limit": 20, "window": 60},
    # Requests per API key.
    "api_key": {"limit": 1200, "window": 60},
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    hits: int
    limit: int
    retry_after: int  # seconds until the window ends (0 when allowed)


def limit_for(name: str) -> tuple[int, int]:
    configured = getattr(settings, "AGORA_RATE_LIMITS", {}).get(name, {})
    conf = {**DEFAULT_LIMITS.get(name, {}), **configured}
    return int(conf.get("limit", 0)), max(1, int(conf.get("window", 60)))


def _upsert(bucket: str, window_start: int) -> int:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (bucket, window_start, hits) VALUES (%s, %s, 1) "
        f"ON CONFLICT (bucket, window_start) DO UPDATE SET hits = {table}.hits + 1 "
        "RETURNING hits"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [bucket[:120], window_start])
        return int(cursor.fetchone()[0])


def hit(name: str, subject: str) -> Decision:
    """Counts one request of ``subject`` against limiter ``name`` and says whether it may go on."""
    limit, window = limit_for(name)
    if limit <= 0:
        return Decision(True, 0, 0, 0)
    now = clock.now().timestamp()
    window_start = int(now // window) * window
    hits = _upsert(f"{name}:{subject}", window_start)
    if hits <= limit:
        return Decision(True, hits, limit, 0)
    return Decision(False, hits, limit, max(1, math.ceil(window_start + window - now)))


def refusal(name: str, decision: Decision) -> AgoraError:
    """The ``rate-limited`` problem for a refused hit, carrying ``retry_after`` (seconds), which
    the API's problem responses also send as the ``Retry-After`` header."""
    return AgoraError(
        RATE_LIMITED,
        f"too many {name.replace('_', ' ')} requests: the limit is {decision.limit} per "
        f"{limit_for(name)[1]} s; retry after {decision.retry_after} s",
        extra={"retry_after": decision.retry_after},
    )


def rate_counters_prune(*, older_than_seconds: int = 3600) -> int:
    """Deletes counters of windows that ended long ago; returns how many."""
    longest = max((limit_for(name)[1] for name in DEFAULT_LIMITS), default=60)
    cutoff = int(clock.now().timestamp()) - max(older_than_seconds, 2 * longest)
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
