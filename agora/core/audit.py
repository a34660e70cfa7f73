"""The audit log: services record who changed what in the change's own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from agora.core import clock
from agora.core.actors import Actor
from agora.core.models import AuditEntry


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    seller_id: int | None = None,
) -> AuditEntry:
    """Appends an entry. ``changes`` maps a field to ``[old, new]`` (or holds what was created)."""
    target_id = getattr(target, "public_id", None) or str(target.pk)
    return AuditEntry.objects.create(
        at=clock.now(),
        actor_kind=actor.kind,
        actor_label=actor.label,
        actor_user_id=actor.user_id,
        actor_api_key_id=actor.api_key_id,
        seller_id=seller_id if seller_id is not None else actor.seller_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target_id,
        changes=changes or {},
    )


def diff(instance: models.Model, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """Returns ``{field: [old, new]}`` for the values that really change (JSON-friendly)."""
    changed: dict[str, list[Any]] = {}
    for name, new in new_values.items():
        old = getattr(instance, name)
        if old != new:
            changed[name] = [_jsonable(old), _jsonable(new)]
    return changed


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    if isinstance(value, models.Model):
        return getattr(value, "public_id", None) or value.pk
    return str(value)


def audit_pseudonymise(*, user_id: int, label: str) -> int:
    """Renames the actor of every entry ``user_id`` made to ``label`` (their pseudonymous id):
    the trail of what happened stays, the name of who did it goes (erasure). Older entries
    labelled actors with their email."""
    return (
        AuditEntry.objects.filter(actor_user_id=user_id)
        .exclude(actor_label=label)
        .update(actor_label=label)
    )
