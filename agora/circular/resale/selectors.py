"""Reads of resale: requests, the channel's queue and a unit's ownership history."""

from __future__ import annotations

from typing import Any

from agora.circular.models import OwnershipRecord, ResaleRequest
from agora.core.errors import not_found


def request_get(*, public_id: str) -> ResaleRequest:
    request = ResaleRequest.objects.select_related("seller").filter(public_id=public_id).first()
    if request is None:
        raise not_found("resale request", public_id)
    return request


def requests_of_user(*, user_id: int) -> list[ResaleRequest]:
    return list(ResaleRequest.objects.filter(requester_id=user_id).order_by("-created_at", "-id"))


def ownership_history(*, gtin: str, serial: str | None) -> list[dict[str, Any]]:
    """The holders of resold units of ``gtin``, oldest first: of the unit ``serial`` when
    given, else of the units resold without a serial (only the GTIN was known)."""
    records = OwnershipRecord.objects.filter(gtin=gtin, serial=serial or "").order_by(
        "acquired_on", "id"
    )
    return [
        {"holder": r.holder_ref, "since": r.acquired_on, "kind": r.kind, "grade": r.grade}
        for r in records
    ]


def passport_history(gtin: str, serial: str | None) -> list[dict[str, Any]]:
    """The ``traceability.passport_history`` implementation (registered in wiring)."""
    return ownership_history(gtin=gtin, serial=serial)
