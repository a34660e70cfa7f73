"""What this app hooks into at start-up: event handlers, extension points and periodic jobs.
Each part adds its own registration here."""

from __future__ import annotations

from datetime import timedelta


def connect() -> None:
    """Register handlers, extension points and scheduled jobs (once, from ``ready``)."""
    _connect_rental()
    _connect_resale()
    _connect_packaging()
    _connect_tradein()


def _connect_rental() -> None:
    """C1 rental: resume half-paid bookings, settle damage claims nobody answered."""
    from agora.circular.rental.tasks import rental_sweep
    from agora.core import schedule

    schedule.every(timedelta(minutes=5), rental_sweep, name="circular.rental_sweep")


def _connect_packaging() -> None:
    """C4 reusable packaging: a delivered shipment's packages are waiting to come back; a paid
    order's deposit is charged; daily, unused deposits are released and unreturned ones kept."""
    from agora.circular.packaging.handlers import (
        HANDLER_NAME,
        PAID_HANDLER_NAME,
        on_order_paid,
        on_shipment_updated,
        packaging_deposit_sweep_task,
    )
    from agora.core import schedule
    from agora.core.events import handles

    handles("shipment.updated", name=HANDLER_NAME)(on_shipment_updated)
    handles("order.paid", name=PAID_HANDLER_NAME)(on_order_paid)
    schedule.every(
        timedelta(days=1), packaging_deposit_sweep_task, name="circular.packaging_deposit_sweep"
    )


def _connect_resale() -> None:
    """C2 resale: record the new holder when a resale unit is paid; show the ownership
    history on the passport page."""
    from agora.circular.resale.handlers import on_order_paid
    from agora.circular.resale.selectors import passport_history as history
    from agora.core.events import handles
    from agora.core.extension_points import passport_history

    handles("order.paid", name="circular.resale_record_sale")(on_order_paid)
    passport_history.register(history, key="circular.resale")


def _connect_tradein() -> None:
    """C3 trade-in: expire quotes and revised offers past their date."""
    from agora.circular.tradein.tasks import tradein_sweep
    from agora.core import schedule

    schedule.every(timedelta(minutes=15), tradein_sweep, name="circular.tradein_sweep")
