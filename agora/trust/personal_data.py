"""What trust holds about a person, for the privacy app's export and erasure.

Erasure deletes the person's reviews (their words, shown under their name) and detaches them
from the notices they filed: the notices and the decisions on them stay, because the DSA's
transparency reporting counts them, but no longer say who reported."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Concat

from agora.trust.models import Notice, Review


def export(user_id: int) -> tuple[str, dict[str, Any]] | None:
    reviews = [
        {
            "product": r.product.public_id,
            "rating": r.rating,
            "title": r.title,
            "body": r.body,
            "written": r.created_at.isoformat(),
        }
        for r in Review.objects.filter(author_id=user_id).select_related("product")
    ]
    notices = [
        {
            "target": f"{n.target_kind}:{n.target_id}",
            "reason": n.reason,
            "explanation": n.explanation,
            "status": n.status,
        }
        for n in Notice.objects.filter(reporter_id=user_id)
    ]
    if not reviews and not notices:
        return None
    return "Reviews and reports", {"reviews": reviews, "notices": notices}


def erase(user_id: int) -> dict[str, int]:
    return {
        "reviews": Review.objects.filter(author_id=user_id).delete()[0],
        "notices detached": Notice.objects.filter(reporter_id=user_id).update(
            reporter=None, reporter_ref=Concat(Value("erased:"), F("public_id"))
        ),
    }
