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
    from agora.core.extension_points import order_line_passport
    from agora.traceability.capture import handlers  # noqa: F401  (commerce -> EPCIS events)
    from agora.traceability.capture import selectors as _events  # noqa: F401  (record source)
    from agora.traceability.log.tasks import checkpoint_sign_task, log_grew
    from agora.traceability.passports import selectors as _certs  # noqa: F401  (record source)
    from agora.traceability.passports.order_lines import order_line_passport as line_passport

    schedule.every(
        timedelta(minutes=1), checkpoint_sign_task, name="trace.checkpoint", when=log_grew
    )
    order_line_passport.register(line_passport, key="traceability")
