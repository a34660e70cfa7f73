"""The daily sweep: labels whose evidence expired or whose rule stopped holding are withdrawn."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def labels_sweep_task() -> dict[str, Any]:
    from agora.core.actors import system
    from agora.sustainability.labels.services import labels_sweep

    withdrawn = labels_sweep(actor=system("sustainability.labels_sweep"))
    return {"withdrawn": withdrawn}


def has_granted_labels() -> bool:
    """The scheduler's cheap check: nothing to sweep before a label is granted."""
    from agora.sustainability.models import GreenLabel

    return GreenLabel.objects.filter(status=GreenLabel.Status.GRANTED).exists()
