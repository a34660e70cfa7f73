"""Shipment events reach the packages travelling with them (registered from ``wiring``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.tasks import task

from agora.circular.models import PackagingChoice
from agora.circular.packaging.services import packaging_delivered
from agora.core import clock
from agora.core.events import on_commit_once

HANDLER_NAME = "circular.packaging_delivered"
PAID_HANDLER_NAME = "circular.packaging_charge_deposit"


def on_shipment_updated(event: Any, event_id: str) -> None:
    """A delivered shipment: its packages are at the buyer's, waiting to come back."""
    if event.status != "delivered":
        return
    try:
        at = datetime.fromisoformat(event.at)
    except (TypeError, ValueError):
        at = clock.now()
    packaging_delivered(shipment_public_id=event.shipment_id, at=at)


def on_order_paid(event: Any, event_id: str) -> None:
    """A paid order whose buyer chose reusable packaging: its deposit is charged. Handlers run
    inside the outbox's transaction and the provider may not be called there (DESIGN.md §4), so
    the charge is a task enqueued after the commit (the daily sweep catches a lost enqueue)."""
    pending = PackagingChoice.objects.filter(
        order_public_id=event.order_id, status=PackagingChoice.Status.PENDING
    )
    if pending.exists():
        on_commit_once(_enqueue_charge)


def _enqueue_charge() -> None:
    from agora.core.tasks import enqueue_unless_waiting

    enqueue_unless_waiting(packaging_charge_task)


@task()
def packaging_charge_task() -> int:
    """Charges the deposits of paid orders still pending (run by ``agora worker``)."""
    from agora.circular.packaging.deposits import packaging_charge_due

    return packaging_charge_due()


@task()
def packaging_deposit_sweep_task() -> dict[str, int]:
    """Daily: release unused deposits, keep those of packages not returned, finish settlements."""
    from agora.circular.packaging.deposits import packaging_deposit_sweep

    return packaging_deposit_sweep().as_dict()
