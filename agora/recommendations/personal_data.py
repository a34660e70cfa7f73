"""What recommendations derived from a person, for the privacy app's export and erasure:
their signals (views, purchases, returns, ratings, "not interested") and their choice of a
non-profiled list. Erasure deletes both; the next training run no longer sees the buyer."""

from __future__ import annotations

from typing import Any

from agora.core.consent import subject_of_user
from agora.recommendations.models import Preference, Signal


def export(user_id: int) -> tuple[str, list[dict[str, Any]]] | None:
    rows = [
        {"day": s.day.isoformat(), "kind": s.get_kind_display(), "weight": s.weight}
        for s in Signal.objects.filter(buyer=subject_of_user(user_id)).order_by("day", "id")
    ]
    return ("Recommendation signals", rows) if rows else None


def erase(user_id: int) -> dict[str, int]:
    return {
        "recommendation signals": Signal.objects.filter(buyer=subject_of_user(user_id)).delete()[0],
        "recommendation preference": Preference.objects.filter(user_id=user_id).delete()[0],
    }
