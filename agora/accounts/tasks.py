"""Background tasks of accounts, run by ``agora worker``; the scheduler enqueues them."""

from __future__ import annotations

from django.tasks import task


@task()
def prune_rate_counters() -> int:
    """Deletes rate-limit windows that ended long ago (``accounts.ratelimit``)."""
    from agora.accounts.ratelimit import rate_counters_prune

    return rate_counters_prune()
