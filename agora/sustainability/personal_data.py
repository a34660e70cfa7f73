"""What sustainability holds about a person: the contact email they may have left with a
challenge to a green label. Erasure blanks it; the challenge itself (its reason and the
decision) stays on the label's public record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from agora.sustainability.models.labels import LabelChallenge


def _mine(user_id: int) -> Q | None:
    user = get_user_model().objects.select_related("person").filter(pk=user_id).first()
    if user is None:
        return None
    mine = Q(raised_by=user.public_id)
    return mine | Q(contact_email__iexact=user.email) if user.email else mine


def export(user_id: int) -> tuple[str, list[dict[str, Any]]] | None:
    mine = _mine(user_id)
    rows = (
        [
            {
                "label": c.label.public_id,
                "reason": c.reason,
                "contact_email": c.contact_email,
                "raised": c.raised_at.isoformat(),
                "status": c.status,
            }
            for c in LabelChallenge.objects.filter(mine).select_related("label")
        ]
        if mine is not None
        else []
    )
    return ("Green label challenges", rows) if rows else None


def erase(user_id: int) -> dict[str, int]:
    mine = _mine(user_id)
    if mine is None:
        return {}
    changed = LabelChallenge.objects.filter(mine).exclude(contact_email="")
    return {"challenge contact emails": changed.update(contact_email="")}
