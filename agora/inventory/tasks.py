"""Background tasks of inventory, run by ``agora worker``."""

from __future__ import annotations

from django.tasks import task

from agora.inventory.services import reservations_expire


@task()
def expire_reservations() -> int:
    """Releases reservations whose checkout did not finish in time; the scheduler enqueues it
    every minute when any is due (see ``InventoryConfig.ready``)."""
    return reservations_expire()
