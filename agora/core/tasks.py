"""Background tasks of the kernel, run by ``agora worker`` (django-tasks-db)."""

from __future__ import annotations

from django.tasks import task

from agora.core.outbox import dispatch_pending


@task()
def outbox_dispatch() -> dict[str, int]:
    """Dispatches due outbox events; enqueued after each commit that published events, and by
    the scheduler for retries and for events whose enqueue was lost in a crash."""
    report = dispatch_pending()
    return {"events": report.events, "applied": report.applied, "failed": report.failed}


@task()
def prune_task_results() -> int:
    """Deletes finished task rows older than a day so the task table stays small."""
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    from agora.core import clock

    deleted, _ = DBTaskResult.objects.filter(
        finished_at__lt=clock.now() - timedelta(days=1)
    ).delete()
    return deleted
