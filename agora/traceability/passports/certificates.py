"""The pieces of an authenticity certificate that need no database: its payload, its signature,
the pseudonym that names its holder, and the one-time transfer code.

A certificate is a C2SP signed note whose text is the payload (RFC 8785 JSON) and a newline,
signed with the transparency log's Ed25519 key. Anyone with the log's verifier key
(GET /api/v1/trace/key) can check it with any signed-note library, and the same payload bytes are
the log entry, so ``agora trace verify`` on the entry's bundle shows it was logged unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from django.conf import settings

from agora.traceability import note
from agora.traceability.canonical import canonical_bytes

PAYLOAD_FORMAT = "agora-authenticity-certificate/1"
LOG_KIND = "certificate"
# Crockford's base32 without I, L, O, U: codes are read aloud and typed from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 4, 4


def holder_pseudonym(user_public_id: str) -> str:
    """What the public payload says about the holder: a keyed hash of their account id, stable
    (a holder's certificates can be recognised by them) but revealing nothing to others."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"certificate-holder:{user_public_id}".encode(), "sha256"
    ).hexdigest()
    return f"holder:{digest[:24]}"


def payload(
    *,
    certificate_id: str,
    gtin: str,
    serial: str,
    lot: str | None,
    product_title: str,
    seller: str,
    holder: str,
    issued_at: datetime,
    digital_link: str,
    previous: str | None,
) -> bytes:
    """The canonical bytes that are signed and logged (everything a resale buyer checks)."""
    value: dict[str, Any] = {
        "format": PAYLOAD_FORMAT,
        "certificate": certificate_id,
        "item": {"gtin": gtin, "serial": serial, "lot": lot},
        "digital_link": digital_link,
        "product": product_title,
        "seller": seller,
        "holder": holder,
        "issued_at": issued_at.isoformat().replace("+00:00", "Z"),
        "previous": previous,
    }
    return canonical_bytes(value)


def note_text(payload_bytes: bytes) -> str:
    """The signed note's text: the JSON on one line and the newline notes end with."""
    return payload_bytes.decode("utf-8") + "\n"


def sign(payload_bytes: bytes, signing_key: str) -> tuple[bytes, str]:
    """(raw Ed25519 signature, verifier key) of the certificate note."""
    signer = note.parse_signing_key(signing_key)
    signature = signer.sign(note_text(payload_bytes).encode("utf-8"))
    return signature, signer.verifier.key


def signed_note(payload_bytes: bytes, signature: bytes, verifier_key: str) -> str:
    """The certificate as a signed note, as ``note.sign`` would have written it."""
    verifier = note.parse_verifier_key(verifier_key)
    blob = base64.b64encode(verifier.key_id.to_bytes(4, "big") + signature).decode("ascii")
    return f"{note_text(payload_bytes)}\n{note.SIGNATURE_PREFIX}{verifier.name} {blob}\n"


def verify(payload_bytes: bytes, signature: bytes, verifier_key: str) -> bool:
    """True when ``signature`` is the key's signature of this payload's note."""
    try:
        verifier = note.parse_verifier_key(verifier_key)
    except note.NoteError:
        return False
    return verifier.verify(note_text(payload_bytes).encode("utf-8"), signature)


def new_transfer_code() -> str:
    """A one-time code like ``7K2M-QX9D-4TPA-H3VB`` (80 random bits)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    groups = [chars[i : i + CODE_GROUP_LENGTH] for i in range(0, len(chars), CODE_GROUP_LENGTH)]
    return "-".join(groups)


def normalise_code(code: str) -> str:
    """Forgives what people do when typing a code: case, spaces, missing dashes, O for 0."""
    cleaned = "".join(c for c in code.upper() if c.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    return "-".join(
        cleaned[i : i + CODE_GROUP_LENGTH] for i in range(0, len(cleaned), CODE_GROUP_LENGTH)
    )


def code_hash(code: str) -> str:
    """What is stored of a transfer code: its SHA-256, so a database leak reveals no code."""
    return hashlib.sha256(normalise_code(code).encode("ascii")).hexdigest()
