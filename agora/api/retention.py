"""How long stored ``Idempotency-Key`` answers are kept (registered in ``apps.py`` through the
``privacy.retention_rules`` extension point; see :mod:`agora.core.retention`)."""

from __future__ import annotations

import math

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agora.core.retention import Action, RetentionRule


def _ttl_days() -> int:
    """An answer must be kept for the key's whole lifetime, or a retry would run twice."""
    return max(1, math.ceil(settings.AGORA_IDEMPOTENCY_TTL_HOURS / 24))


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            kind="api.idempotency_records",
            model="api.IdempotencyRecord",
            age_field="created_at",
            days=1,
            action=Action.DELETE,
            title=_("Stored API answers for retried requests (may hold an order)"),
            counted_from=_("from the request"),
            reason=_("A retry is answered from them for 24 hours; they are also pruned hourly."),
            min_days=_ttl_days,
        ),
    ]
