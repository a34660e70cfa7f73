"""Background tasks of search, run by ``agora worker``."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

KEEP_APPLIED_EVENTS = timedelta(days=14)


@task()
def search_prune_applied_events() -> dict[str, int]:
    """Forgets applied event ids older than the outbox would ever redeliver (daily)."""
    from agora.core import clock
    from agora.search.models import AppliedEvent

    deleted, _ = AppliedEvent.objects.filter(
        applied_at__lt=clock.now() - KEEP_APPLIED_EVENTS
    ).delete()
    return {"deleted": deleted}
