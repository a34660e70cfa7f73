"""What the traceability app hooks into at start-up: its event handlers, periodic jobs and the
stored copies its bundles show.

Each part registers itself here, so ``apps.py`` stays one line and a part that is removed
takes its hooks with it.
"""

from __future__ import annotations


def connect() -> None:
    """Register event handlers, scheduled jobs and record sources (once, from ``ready``)."""
    from datetime import timedelta

    from agora.core import schedule
    from agora.traceability.capture import handlers  # noqa: F401  (commerce -> EPCIS events)
    from agora.traceability.capture import selectors as _events  # noqa: F401  (record source)
    from agora.traceability.log.tasks import checkpoint_sign_task, log_grew
    from agora.traceability.passports import selectors as _certs  # noqa: F401  (record source)

    schedule.every(
        timedelta(minutes=1), checkpoint_sign_task, name="trace.checkpoint", when=log_grew
    )
