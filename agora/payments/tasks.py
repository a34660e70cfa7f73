"""Background tasks of payments, run by ``agora worker``."""

from __future__ import annotations

from django.tasks import task


@task()
def payments_reconcile() -> dict[str, object]:
    """Finishes payment flows left half-way by a crash (scheduled every minute)."""
    from agora.payments.reconcile import payments_reconcile as sweep

    return sweep().as_dict()
