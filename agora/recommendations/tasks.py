"""Background work of recommendations, run by ``agora worker``: the daily training."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def recs_train() -> dict[str, Any]:
    """Retrains on every signal and saves the model; serving processes pick it up within
    seconds. Skipped (not failed) while nothing has been bought yet."""
    from agora.recommendations.training import train_and_save

    try:
        result = train_and_save()
    except ValueError as exc:
        return {"trained": False, "why": str(exc)}
    return {
        "trained": True,
        "model": result.path.name,
        "users": result.users,
        "items": result.items,
        "purchases": result.purchases,
        "seconds": round(result.seconds, 2),
    }


def has_purchases() -> bool:
    """The scheduler's cheap check: nothing to learn before the first purchase signal."""
    from agora.recommendations.models import Signal

    return Signal.objects.filter(kind=Signal.Kind.PURCHASE).exists()
