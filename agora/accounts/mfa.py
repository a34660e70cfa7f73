"""Two-factor authentication: TOTP (RFC 6238, through ``pyotp``) with single-use recovery codes.

- **Enrolment** makes a fresh secret, stored encrypted and *pending*; it is shown once (QR code
  and text) and protects nothing until :func:`totp_confirm` sees a valid code from it. Confirming
  makes ten recovery codes, shown once, kept as argon2 hashes.
- **Sign-in** asks for a code after the password (``storefront.views.security``); a code is
  accepted for the current 30-second step or one step either side (clock drift), and never for a
  step at or before the last one accepted, so an observed code cannot be replayed. A recovery
  code works once.
- **Secrets at rest** are encrypted with AES-GCM under a key derived (HKDF-SHA256) from
  ``settings.AGORA_MFA_KEY`` when set, else from ``SECRET_KEY``; the user's public id is the
  associated data, so a ciphertext copied to another account does not decrypt. Set
  ``AGORA_MFA_KEY`` in production so rotating ``SECRET_KEY`` does not void every authenticator.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from agora.accounts import devices, errors
from agora.accounts.models import RecoveryCode, SecurityEvent, TotpDevice, User
from agora.accounts.security_events import security_event_record
from agora.core import clock
from agora.core.audit import audit_record
from agora.core.errors import AgoraError

ISSUER = "Agora"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
# Recovery codes carry 10 random characters (~49 bits); argon2 with OWASP's smallest profile
# is plenty and keeps checking ten of them well under a second.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


# --- secrets at rest ----------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _aead(material: str) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"agora.accounts.mfa.totp-secret"
    ).derive(material.encode())
    return AESGCM(key)


def _cipher() -> AESGCM:
    return _aead(getattr(settings, "AGORA_MFA_KEY", "") or settings.SECRET_KEY)


def encrypt_secret(secret: str, *, user: User) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + _cipher().encrypt(nonce, secret.encode(), user.public_id.encode())


def decrypt_secret(blob: bytes, *, user: User) -> str:
    blob = bytes(blob)
    return _cipher().decrypt(blob[:12], blob[12:], user.public_id.encode()).decode()


# --- codes -------------------------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def matching_step(secret: str, code: str, *, after_step: int) -> int | None:
    """The time step (now ± 1) whose TOTP equals ``code`` and lies after ``after_step``, or None.
    Pure apart from the clock, which is :func:`agora.core.clock.now` so tests can move it."""
    digits = _normalise(code)
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = clock.now()
    for offset in (-1, 0, 1):
        moment = now + timedelta(seconds=offset * STEP_SECONDS)
        step = totp.timecode(moment)
        if step > after_step and hmac.compare_digest(totp.at(moment), digits):
            return step
    return None


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _looks_like_recovery_code(code: str) -> bool:
    return len(_normalise(code)) == 10


# --- use cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows once: the secret as text, its otpauth URI and a QR code."""

    secret: str
    uri: str
    qr_svg: str


def totp_is_enabled(*, user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def totp_begin(*, user: User) -> Enrolment:
    """Starts (or restarts) enrolment with a fresh secret; a pending secret from an earlier,
    unfinished try is replaced, so a secret is only ever shown when it is made."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.confirmed_at is not None:
            raise AgoraError(errors.MFA_STATE, "two-factor authentication is already on")
        secret = pyotp.random_base32()
        blob = encrypt_secret(secret, user=user)
        if device is None:
            TotpDevice.objects.create(user=user, secret_encrypted=blob, created_at=clock.now())
        else:
            device.secret_encrypted = blob
            device.created_at = clock.now()
            device.last_step = 0
            device.save(update_fields=["secret_encrypted", "created_at", "last_step"])
    uri = pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=user.email, issuer_name=ISSUER
    )
    qr = segno.make(uri, error="m")
    return Enrolment(secret=secret, uri=uri, qr_svg=qr.svg_inline(scale=4, title=ISSUER))


def _make_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    now = clock.now()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_HASHER.hash(_normalise(c)), created_at=now)
        for c in codes
    )
    return codes


def totp_confirm(*, user: User, code: str, request: HttpRequest | None = None) -> list[str]:
    """Turns the pending authenticator on when ``code`` comes from it; returns the ten recovery
    codes, which are never retrievable again. Every other session of the account ends (every
    session, without a ``request``)."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None or device.confirmed_at is not None:
            raise AgoraError(errors.MFA_STATE, "there is no pending two-factor enrolment")
        step = matching_step(decrypt_secret(device.secret_encrypted, user=user), code, after_step=0)
        if step is None:
            raise AgoraError(
                errors.MFA_CODE_INVALID,
                "the code does not match the new authenticator; enter the 6 digits it shows now",
            )
        device.confirmed_at = clock.now()
        device.last_step = step
        device.save(update_fields=["confirmed_at", "last_step"])
        codes = _make_recovery_codes(user)
        _audit(user, "mfa.enabled")
        security_event_record(kind=SecurityEvent.Kind.MFA_ENABLED, user=user, request=request)
        # A session opened before (perhaps by whoever made 2FA necessary) signs in again,
        # with a code now; the one that proved the code stays.
        devices.session_end_others(
            user=user, request=request, reason=SecurityEvent.Kind.MFA_ENABLED.value
        )
    return codes


def _use_totp(user: User, code: str) -> bool:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = matching_step(
        decrypt_secret(device.secret_encrypted, user=user), code, after_step=device.last_step
    )
    if step is None:
        return False
    # Conditional update: of two requests racing with the same code, only one moves the step.
    return bool(TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step))


def _use_recovery_code(user: User, code: str) -> bool:
    normalised = _normalise(code)
    for row in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        try:
            _HASHER.verify(row.code_hash, normalised)
        except (VerificationError, InvalidHashError):
            continue
        # Single use even under a race: only the request that flips used_at wins.
        return bool(
            RecoveryCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=clock.now())
        )
    return False


def mfa_verify(*, user: User, code: str, request: HttpRequest | None = None) -> str:
    """Checks a sign-in code: a TOTP code or, failing that, a recovery code (used up). Returns
    "totp" or "recovery"; raises ``mfa-code-invalid`` otherwise (and records the failure)."""
    kind = ""
    with transaction.atomic():
        if _use_totp(user, code):
            kind = "totp"
        elif _looks_like_recovery_code(code) and _use_recovery_code(user, code):
            kind = "recovery"
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            security_event_record(
                kind=SecurityEvent.Kind.RECOVERY_CODE_USED,
                user=user,
                request=request,
                detail={"left": left},
            )
    if not kind:
        security_event_record(kind=SecurityEvent.Kind.MFA_FAILED, user=user, request=request)
        raise AgoraError(
            errors.MFA_CODE_INVALID,
            "the code is wrong or was already used; enter the code your app shows now, or an "
            "unused recovery code",
        )
    return kind


def totp_disable(*, user: User, code: str, request: HttpRequest | None = None) -> None:
    """Turns two-factor authentication off; needs a current code (or a recovery code), so a
    borrowed, signed-in browser alone cannot do it."""
    if not totp_is_enabled(user=user):
        raise AgoraError(errors.MFA_STATE, "two-factor authentication is not on")
    mfa_verify(user=user, code=code, request=request)
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        _audit(user, "mfa.disabled")
        security_event_record(kind=SecurityEvent.Kind.MFA_DISABLED, user=user, request=request)


def recovery_codes_renew(*, user: User, code: str, request: HttpRequest | None = None) -> list[str]:
    """Replaces every recovery code with ten new ones (shown once); needs a current code."""
    if not totp_is_enabled(user=user):
        raise AgoraError(errors.MFA_STATE, "two-factor authentication is not on")
    mfa_verify(user=user, code=code, request=request)
    with transaction.atomic():
        codes = _make_recovery_codes(user)
        security_event_record(
            kind=SecurityEvent.Kind.RECOVERY_CODES_RENEWED,
            user=user,
            request=request,
        )
    return codes


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _audit(user: User, action: str) -> None:
    from agora.accounts.services import actor_for_user

    audit_record(actor=actor_for_user(user), action=action, target=user)
