"""Who is reporting, for recognising a repeated report: the user, else the browser session."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest


def reporter_ref(request: HttpRequest) -> str:
    """``user:<pk>`` for a signed-in reporter, else ``session:<hash of the session key>`` (the
    session is started if needed, so an anonymous reporter's repeat is recognised too)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    if not request.session.session_key:
        request.session.save()
    key = request.session.session_key or ""
    return "session:" + hashlib.sha256(key.encode()).hexdigest()[:40]
