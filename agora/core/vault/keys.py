"""The platform key (KEK) that wraps every person's key: from ``AGORA_PRIVACY_KEY`` (32 bytes,
base64url) in production, or generated once into ``DATA_DIR/privacy/platform.key`` (mode 0600)
so a fresh clone works with no set-up. Losing it loses every sealed record: back it up apart
from the database (a database backup alone then holds nothing readable)."""

from __future__ import annotations

import base64
import os
from functools import cache
from pathlib import Path

from django.conf import settings

from agora.core.vault.crypto import KEY_BYTES, search_key

KEY_ENV = "AGORA_PRIVACY_KEY"


class KeyConfigError(RuntimeError):
    pass


def key_path() -> Path:
    return Path(settings.DATA_DIR) / "privacy" / "platform.key"


def _decode(text: str, source: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except ValueError as exc:
        raise KeyConfigError(f"{source} is not base64url") from exc
    if len(key) != KEY_BYTES:
        raise KeyConfigError(f"{source} holds {len(key)} bytes, not {KEY_BYTES}")
    return key


@cache
def platform_key() -> bytes:
    if configured := os.environ.get(KEY_ENV, "").strip():
        return _decode(configured, KEY_ENV)
    path = key_path()
    try:
        return _decode(path.read_text(), str(path))
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    text = base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("=")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _decode(path.read_text(), str(path))
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return _decode(text, str(path))


@cache
def email_search_key() -> bytes:
    return search_key(platform_key())
