"""Background upkeep of the API layer."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.tasks import task

from agora.api.models import IdempotencyRecord
from agora.core import clock


@task()
def prune_idempotency_records() -> int:
    """Deletes stored answers older than the key's lifetime (``AGORA_IDEMPOTENCY_TTL_HOURS``).

    An expired key is already treated as new when it comes back; without this job, keys that
    never come back (most of them) would keep their stored response bodies forever. A record
    still "running" after a whole lifetime belongs to a process that died mid-request."""
    cutoff = clock.now() - timedelta(hours=settings.AGORA_IDEMPOTENCY_TTL_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
