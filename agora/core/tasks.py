"""Background tasks of the kernel, run by ``agora worker`` (django-tasks-db)."""

from __future__ import annotations

from django.tasks import Task, task, task_backends

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


def enqueue_unless_waiting(job: Task) -> bool:
    """Enqueues ``job`` unless a run of it is already queued and not yet started.

    After-commit hooks enqueue a sweep per transaction; under load that is a task row (a write
    transaction, on SQLite a turn at the single write lock) per checkout for work one queued run
    does anyway: a run that has not started yet will see everything committed before it starts.
    Only the database backend can be asked; with any other backend this always enqueues.
    """
    backend = task_backends[job.backend]
    if type(backend).__module__.startswith("django_tasks_db"):
        from django.tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=job.module_path, status=TaskResultStatus.READY, queue_name=job.queue_name
        )
        if waiting.exists():
            return False
    job.enqueue()
    return True
