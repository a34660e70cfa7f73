"""Background work of the log, run by ``agora worker``: signing a tree head every minute."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def checkpoint_sign_task() -> dict[str, Any]:
    """Signs the current tree head when the log grew since the last checkpoint."""
    from agora.traceability.log.services import checkpoint_sign

    signed = checkpoint_sign()
    if signed is None:
        return {"signed": False}
    return {"signed": True, "size": signed.size}


def log_grew() -> bool:
    """The scheduler's cheap check: sign only when there is no checkpoint yet or the log has
    entries the latest checkpoint does not cover."""
    from agora.traceability.log.selectors import latest_checkpoint, log_size

    latest = latest_checkpoint()
    return latest is None or log_size() > latest.size
