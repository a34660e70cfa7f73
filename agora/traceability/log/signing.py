"""The log's identity: its origin line and its Ed25519 signing key.

Works with no settings at all: the key is created on first use under
``DATA_DIR/trace/log-signing.key`` (mode 0600) in the signed-note ``PRIVATE+KEY+...`` format, so
a fresh install signs checkpoints at once and keeps the same key across restarts. Production sets
``AGORA_TRACE_SIGNING_KEY`` (the key itself, or the path of a file holding it) to keep the key
out of the data directory, and ``AGORA_TRACE_ORIGIN`` to name the log after its public host.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from agora.traceability import note

KEY_ENV = "AGORA_TRACE_SIGNING_KEY"
ORIGIN_ENV = "AGORA_TRACE_ORIGIN"


def origin() -> str:
    """The checkpoint's origin line: ``AGORA_TRACE_ORIGIN``, else ``<first host>/agora/log``
    (a wildcard or leading-dot host cannot name a log, so those fall back to localhost)."""
    if value := os.environ.get(ORIGIN_ENV, "").strip():
        return value
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    return f"{hosts[0] if hosts else 'localhost'}/agora/log"


def key_path() -> Path:
    """Where the generated key lives when the environment gives none."""
    return Path(settings.DATA_DIR) / "trace" / "log-signing.key"


def signing_key() -> str:
    """The signing key, from the environment or the key file (created on first use)."""
    configured = os.environ.get(KEY_ENV, "").strip()
    if configured:
        text = configured
        if not configured.startswith(note.PRIVATE_KEY_PREFIX):
            try:
                text = Path(configured).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ImproperlyConfigured(
                    f"{KEY_ENV} is neither a PRIVATE+KEY+... signing key nor a readable file "
                    f"({configured!r}: {exc.strerror})"
                ) from None
        return _checked(text, KEY_ENV)
    path = key_path()
    try:
        return _checked(path.read_text(encoding="utf-8").strip(), str(path))
    except FileNotFoundError:
        return _create(path)


def verifier_key() -> str:
    """The public key verifiers and monitors are given: ``<name>+<key id>+<base64>``."""
    return note.verifier_key(signing_key())


def _create(path: Path) -> str:
    """Write a new key with O_EXCL, so two processes starting together end up with one key."""
    key = note.generate_signing_key(_key_name(origin()))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _checked(path.read_text(encoding="utf-8").strip(), str(path))
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def _key_name(log_origin: str) -> str:
    """C2SP checkpoints name the key after the origin; a key name cannot hold '+' or spaces."""
    name = "".join("-" if c == "+" or c.isspace() else c for c in log_origin)
    return name or "agora-log"


def _checked(text: str, source: str) -> str:
    try:
        note.parse_signing_key(text)
    except note.NoteError as exc:
        raise ImproperlyConfigured(
            f"the log signing key from {source} is unusable: {exc}"
        ) from None
    return text
