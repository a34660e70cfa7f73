"""Background tasks of webhooks, run by ``agora worker``."""

from __future__ import annotations

from django.tasks import task

from agora.webhooks.delivery import deliver_due


@task()
def webhooks_deliver() -> dict[str, int]:
    """Sends due deliveries; enqueued after a commit that created or replayed deliveries, and by
    the scheduler for retries that came due."""
    report = deliver_due()
    return {
        "sent": report.sent,
        "succeeded": report.succeeded,
        "failed": report.failed,
        "disabled": len(report.disabled),
    }
