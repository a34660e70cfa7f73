"""Background tasks of orders, run by ``agora worker``; the scheduler enqueues them."""

from __future__ import annotations

from django.tasks import task


@task()
def complete_delivered_orders() -> int:
    """Completes delivered orders whose return window has passed (see
    :func:`agora.orders.services.orders_complete_due`); payments releases escrow on the
    ``order.completed`` events."""
    from agora.orders.services import orders_complete_due

    return orders_complete_due()
