"""Background tasks of checkout, run by ``agora worker``; the scheduler enqueues them."""

from __future__ import annotations

from django.tasks import task


@task()
def checkouts_sweep() -> dict[str, object]:
    """Resumes or compensates checkouts left half-way (scheduled every minute)."""
    from agora.checkout.flow.sweep import checkouts_sweep as sweep

    return sweep().as_dict()
