"""The vault's cryptography as pure functions over bytes (no Django, no I/O).

- A person's data key (DEK) is 32 random bytes; it is stored only *wrapped*: AES-GCM under the
  platform key (KEK) with the person's public id as associated data, so a wrapped key copied to
  another person's row does not open.
- A sealed record is ``version || nonce || AES-GCM(DEK, canonical JSON)`` with the person's
  public id and the record's *purpose* ("profile", "address", "ship_to") as associated data, so
  a ciphertext moved between purposes or people fails authentication instead of decrypting.
- Email search uses a keyed hash (HMAC-SHA256 under a key derived from the KEK with HKDF), so the
  database can find an account by email without holding the email: without the platform key the
  digests cannot be tested against guesses offline.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = b"\x01"


class VaultError(Exception):
    """A sealed value or wrapped key that does not open (tampered, wrong person or purpose, or
    wrong platform key)."""


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def _aad(*parts: str) -> bytes:
    return "\x1f".join(parts).encode()


def wrap_key(kek: bytes, dek: bytes, *, person: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(kek).encrypt(nonce, dek, _aad("dek", person))


def unwrap_key(kek: bytes, wrapped: bytes, *, person: str) -> bytes:
    return _open(kek, wrapped, _aad("dek", person), "the person's key")


def seal(dek: bytes, record: dict[str, Any], *, person: str, purpose: str) -> bytes:
    """``record`` as canonical JSON (sorted keys), encrypted for ``person`` and ``purpose``."""
    data = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(dek).encrypt(nonce, data, _aad(purpose, person))


def unseal(dek: bytes, blob: bytes, *, person: str, purpose: str) -> dict[str, Any]:
    return json.loads(_open(dek, blob, _aad(purpose, person), f"the sealed {purpose}"))


def _open(key: bytes, blob: bytes, aad: bytes, what: str) -> bytes:
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != VERSION:
        raise VaultError(f"{what} is not a sealed value of this vault")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise VaultError(f"{what} does not open: tampered, or sealed for another") from exc


def search_key(kek: bytes) -> bytes:
    """The HMAC key for email digests, derived from the platform key (one secret to keep)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"agora email search v1"
    ).derive(kek)


def normalise_email(email: str) -> str:
    """Case-folded and trimmed: the form in which emails are compared and digested."""
    return (email or "").strip().lower()


def email_digest(key: bytes, email: str) -> str:
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()
