"""Standard Webhooks signatures (https://www.standardwebhooks.com/), as plain functions.

A message is signed with HMAC-SHA256 over ``f"{msg_id}.{timestamp}.".encode() + body``, keyed by
the base64-decoded part of the endpoint's ``whsec_…`` secret; the ``webhook-signature`` header
holds ``v1,<base64 signature>``, several of them separated by spaces while a secret is being
rotated. :func:`verify` is what a receiver runs: it refuses a bad signature and a timestamp
outside the tolerance, which is what stops a captured request from being replayed later.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the standard asks for 24 to 64 random bytes
DEFAULT_TOLERANCE = 300  # seconds, either way


class WebhookVerificationError(ValueError):
    """The message cannot be trusted; the subclass says why."""


class MissingHeaders(WebhookVerificationError):
    pass


class TimestampOutOfTolerance(WebhookVerificationError):
    pass


class SignatureMismatch(WebhookVerificationError):
    pass


def new_secret() -> str:
    """A fresh endpoint secret: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_…`` secret (the prefix is optional, as in the official libs)."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("a webhook secret is 'whsec_' followed by base64") from exc
    if not key:
        raise ValueError("a webhook secret must not be empty")
    return key


def _signature(key: bytes, msg_id: str, timestamp: int, payload: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + payload
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def sign(secret: str, msg_id: str, timestamp: int, payload: bytes) -> str:
    """The ``webhook-signature`` header value for one message: ``v1,<base64 HMAC-SHA256>``."""
    return f"v1,{_signature(secret_key(secret), msg_id, int(timestamp), payload)}"


def verify(
    secret: str,
    headers: Mapping[str, str],
    payload: bytes,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: int | None = None,
) -> None:
    """Checks a received message; returns nothing and raises :class:`WebhookVerificationError`.

    ``headers`` holds ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (any case).
    The timestamp must lie within ``tolerance`` seconds of ``now`` (default: the system clock),
    and one of the space-separated ``v1`` signatures must match.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    missing = [
        name
        for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
        if not lowered.get(name)
    ]
    if missing:
        raise MissingHeaders(f"missing header(s): {', '.join(missing)}")
    msg_id = lowered["webhook-id"]
    try:
        timestamp = int(lowered["webhook-timestamp"])
    except ValueError as exc:
        raise TimestampOutOfTolerance(
            f"webhook-timestamp {lowered['webhook-timestamp']!r} is not a Unix time in seconds"
        ) from exc
    current = int(time.time()) if now is None else int(now)
    if timestamp < current - tolerance:
        raise TimestampOutOfTolerance(
            f"webhook-timestamp {timestamp} is {current - timestamp}s old; at most {tolerance}s "
            "is accepted"
        )
    if timestamp > current + tolerance:
        raise TimestampOutOfTolerance(
            f"webhook-timestamp {timestamp} is {timestamp - current}s in the future; at most "
            f"{tolerance}s is accepted"
        )
    expected = _signature(secret_key(secret), msg_id, timestamp, payload)
    for candidate in lowered["webhook-signature"].split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected.encode()):
            return
    raise SignatureMismatch("no v1 signature in webhook-signature matches the message")
