"""Background tasks of privacy, run by ``agora worker``; the scheduler enqueues them."""

from __future__ import annotations

from django.tasks import task


@task()
def privacy_retention_sweep() -> dict[str, object]:
    """Deletes or pseudonymises what is past its retention period (scheduled daily)."""
    from agora.privacy.retention.sweep import retention_sweep

    return retention_sweep().as_dict()
