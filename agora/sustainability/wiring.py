"""What this app hooks into at start-up: event handlers, extension points and periodic jobs.
Each part adds its own registration here."""

from __future__ import annotations


def connect() -> None:
    """Register handlers, extension points and scheduled jobs (once, from ``ready``)."""
    _connect_labels_and_footprints()
    _connect_delivery_footprint()
    _connect_personal_data()


def _connect_personal_data() -> None:
    """A label challenger's contact email in a person's export and erasure."""
    from agora.core.extension_points import personal_data, personal_data_erase
    from agora.sustainability import personal_data as mine

    personal_data.register(mine.export, key="sustainability")
    personal_data_erase.register(mine.erase, key="sustainability")


def _connect_labels_and_footprints() -> None:
    """Part S2: badges and footprints for product and passport pages, label review in the
    operator console, and the daily sweep of labels whose evidence expired."""
    from datetime import timedelta

    from agora.core import schedule
    from agora.core.extension_points import product_badges, product_footprint
    from agora.sustainability.labels import admin  # noqa: F401  (registers the operator pages)
    from agora.sustainability.labels.selectors import product_badges as badges
    from agora.sustainability.labels.tasks import has_granted_labels, labels_sweep_task
    from agora.sustainability.products.selectors import product_footprint as footprint

    product_badges.register(badges, key="sustainability.labels")
    product_footprint.register(footprint, key="sustainability.products")
    schedule.every(
        timedelta(days=1),
        labels_sweep_task,
        name="sustainability.labels_sweep",
        when=has_granted_labels,
    )


def _connect_delivery_footprint() -> None:
    """Part S1: a paid order keeps the footprint of its delivery."""
    from agora.core.events import handles
    from agora.sustainability.delivery.handlers import HANDLER_NAME, on_order_paid

    handles("order.paid", name=HANDLER_NAME)(on_order_paid)
