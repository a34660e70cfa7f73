"""``Idempotency-Key`` for API POSTs: the same key and the same request get the first response;
the same key with a different request is refused (422); a key whose first request is still
running gets 409. Keys are scoped to the caller's credential and expire after a day.

It is a middleware rather than a decorator so that it stores exactly what the client received,
including problem responses, and covers every POST under /api/v1/ without per-endpoint code.
Server errors (5xx) are not stored: the client may retry them with the same key.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from agora.api.models import IdempotencyRecord
from agora.api.problems import too_large
from agora.core import clock
from agora.core.errors import (
    IDEMPOTENCY_IN_PROGRESS,
    IDEMPOTENCY_KEY_REUSED,
    VALIDATION,
    AgoraError,
    FieldError,
)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Paths whose view reads a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE itself (EPCIS capture
# takes 10 MB documents); the key must cover those bodies too.
_BODY_LIMITS: dict[str, int] = {}


def allow_body_up_to(path: str, limit: int) -> None:
    """Lets the POSTs to ``path`` carry up to ``limit`` bytes under an Idempotency-Key; a larger
    body passes through unrecorded, for the view to refuse."""
    _BODY_LIMITS[path] = limit


def _read_body(request: HttpRequest) -> bytes:
    limit = _BODY_LIMITS.get(request.path)
    if limit is None:
        return request.body
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        raise RequestDataTooBig(f"the body is larger than {limit} bytes")
    raw = request.read(limit + 1)
    # Hand the bytes on as Django's own ``request.body`` does, so the view can read them again.
    request._body = raw  # type: ignore[attr-defined]
    request._stream = io.BytesIO(raw)  # type: ignore[attr-defined]
    if len(raw) > limit:
        raise RequestDataTooBig(f"the body is larger than {limit} bytes")
    return raw


def _problem(error: AgoraError, request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        json.dumps(error.as_problem(instance=request.path)),
        status=error.problem.status,
        content_type="application/problem+json",
    )


def _principal(request: HttpRequest) -> str:
    credential = request.headers.get("Authorization", "")
    if not credential and request.session.session_key:
        credential = f"session:{request.session.session_key}"
    return hashlib.sha256((credential or "anonymous").encode()).hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            error = AgoraError(
                VALIDATION,
                f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters",
                [FieldError(f"header.{HEADER}", "empty, too long or not printable")],
            )
            return _problem(error, request)
        principal = _principal(request)
        try:
            raw = _read_body(request)
        except RequestDataTooBig:
            if request.path in _BODY_LIMITS:
                return self.get_response(request)
            return _problem(too_large(), request)
        fingerprint = hashlib.sha256(
            b"\n".join([request.method.encode(), request.path.encode(), raw])
        ).hexdigest()
        now = clock.now()
        ttl = timedelta(hours=settings.AGORA_IDEMPOTENCY_TTL_HOURS)
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.filter(
                    principal=principal, key=key, created_at__lt=now - ttl
                ).delete()
                record = IdempotencyRecord.objects.create(
                    principal=principal,
                    key=key,
                    fingerprint=fingerprint,
                    state=IdempotencyRecord.State.RUNNING,
                    created_at=now,
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
            if existing is None:  # expired and deleted in between: treat as new next time
                return self.get_response(request)
            if existing.fingerprint != fingerprint:
                return _problem(
                    AgoraError(
                        IDEMPOTENCY_KEY_REUSED,
                        f"{HEADER} {key!r} was used for a different request; use a new key",
                    ),
                    request,
                )
            if existing.state == IdempotencyRecord.State.RUNNING:
                return _problem(
                    AgoraError(
                        IDEMPOTENCY_IN_PROGRESS,
                        f"the first request with {HEADER} {key!r} is still running",
                    ),
                    request,
                )
            replay = HttpResponse(
                bytes(existing.body or b""),
                status=existing.status_code,
                content_type=existing.content_type,
            )
            replay["Idempotent-Replayed"] = "true"
            return replay

        try:
            response = self.get_response(request)
        except Exception:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500 or getattr(response, "streaming", False):
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            state=IdempotencyRecord.State.DONE,
            status_code=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=response.content,
        )
        return response
