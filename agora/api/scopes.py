"""Scope checks for read endpoints (writes are checked by the services themselves)."""

from __future__ import annotations

from django.http import HttpRequest

from agora.accounts.errors import SCOPE_MISSING
from agora.core.errors import AgoraError


def require_scope(request: HttpRequest, scope: str) -> None:
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.can(scope):
        raise AgoraError(SCOPE_MISSING, f"this API key lacks the scope {scope!r}")
