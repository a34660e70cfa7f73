"""Serving uploaded files (sellers' product images) from MEDIA_ROOT.

Whitenoise serves only the static files collected at build time, and Agora runs as one ASGI
server without a separate web server in front, so uploads need a route of their own. Files are
stored under unguessable names (``catalog/uploads.py``) and never executed; this view refuses
paths outside MEDIA_ROOT, serves images only with ``nosniff``, and lets browsers cache them for
a day (an upload never changes under its name).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join

SERVED_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation as exc:  # a path outside MEDIA_ROOT
        raise Http404("no such file") from exc
    content_type, _ = mimetypes.guess_type(full.name)
    if content_type not in SERVED_TYPES or not full.is_file():
        raise Http404("no such file")
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
