"""What the traceability app hooks into at start-up: its event handlers and periodic jobs.

Each part registers itself here, so ``apps.py`` stays one line and a part that is removed
takes its hooks with it.
"""

from __future__ import annotations


def connect() -> None:
    """Register event handlers and scheduled jobs (called once from ``AppConfig.ready``)."""
    from datetime import timedelta

    from agora.core import schedule
    from agora.traceability.capture import handlers  # noqa: F401  (commerce -> EPCIS events)
    from agora.traceability.log.tasks import checkpoint_sign_task, log_grew

    schedule.every(
        timedelta(minutes=1), checkpoint_sign_task, name="trace.checkpoint", when=log_grew
    )
