"""Use cases of accounts: creating users, and issuing, checking and revoking API keys."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from agora.accounts import errors, ratelimit
from agora.accounts.models import ApiKey, SecurityEvent, User
from agora.accounts.scopes import ALL_SCOPES, invalid_scopes
from agora.accounts.security_events import security_event_record
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import AgoraError, FieldError, invalid, require_max_length

TOKEN_PREFIX = "agora_sk_"
_TOKEN = re.compile(r"^agora_sk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def user_create(
    *, email: str, password: str | None, display_name: str = "", language: str = "en"
) -> User:
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email, password, display_name=display_name, preferred_language=language
            )
    except IntegrityError as exc:
        raise AgoraError(
            errors.EMAIL_TAKEN,
            f"an account with email {email!r} already exists",
            [FieldError("email", "already registered")],
        ) from exc


def _hash_secret(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is safe here (unlike passwords) and keeps
    # every API request cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_issue(
    *,
    actor: Actor,
    name: str,
    scopes: list[str],
    seller_id: int | None,
    created_by: User | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Issues a key and returns it with the full token, which is never retrievable again."""
    if not name.strip():
        raise invalid("name", "must not be empty")
    require_max_length("name", name.strip(), 100)
    if bad := invalid_scopes(scopes):
        raise invalid("scopes", f"unknown scope(s) {bad}; allowed: {', '.join(ALL_SCOPES)}")
    if not scopes:
        raise invalid("scopes", "a key needs at least one scope")
    if expires_at is not None and expires_at <= clock.now():
        raise invalid("expires_at", "must be in the future")
    lookup = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            kind=ApiKey.Kind.SELLER if seller_id else ApiKey.Kind.APP,
            seller_id=seller_id,
            name=name.strip(),
            lookup=lookup,
            secret_hash=_hash_secret(secret),
            scopes=sorted(set(scopes)),
            created_by=created_by,
            created_at=clock.now(),
            expires_at=expires_at,
        )
        audit_record(
            actor=actor,
            action="api_key.issued",
            target=key,
            changes={"name": key.name, "scopes": key.scopes},
            seller_id=seller_id,
        )
    return key, f"{TOKEN_PREFIX}{lookup}_{secret}"


def api_key_authenticate(token: str) -> ApiKey:
    """Returns the active key for ``token`` or raises ``api-key-invalid``. Records last use at
    most once a minute per key, so authentication does not turn every read into a write."""
    match = _TOKEN.match(token or "")
    if not match:
        raise AgoraError(
            errors.API_KEY_INVALID, "the API key is malformed (expected agora_sk_<id>_<secret>)"
        )
    lookup, secret = match.groups()
    key = ApiKey.objects.select_related("seller").filter(lookup=lookup).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash_secret(secret)):
        raise AgoraError(errors.API_KEY_INVALID, "the API key is not known")
    if key.revoked_at is not None:
        raise AgoraError(errors.API_KEY_INVALID, f"the API key {key.public_id} was revoked")
    now = clock.now()
    if key.expires_at is not None and key.expires_at <= now:
        raise AgoraError(errors.API_KEY_INVALID, f"the API key {key.public_id} has expired")
    _rate_limit(key)
    touch = timedelta(seconds=settings.AGORA_API_KEY_TOUCH_SECONDS)
    if key.last_used_at is None or now - key.last_used_at >= touch:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def _rate_limit(key: ApiKey) -> None:
    """Counts the request against the key's rate limit (``accounts.ratelimit``); past it, a
    ``rate-limited`` problem with ``retry_after``. The first refusal of a window is recorded
    as a security event for the key's owner."""
    decision = ratelimit.hit("api_key", key.lookup)
    if decision.allowed:
        return
    if decision.hits == decision.limit + 1:
        security_event_record(
            kind=SecurityEvent.Kind.API_KEY_RATE_LIMITED,
            user=key.user_id or key.created_by_id,
            detail={"key": key.public_id, "limit": decision.limit},
        )
    raise ratelimit.refusal("api_key", decision)


def api_key_revoke(*, actor: Actor, key: ApiKey) -> ApiKey:
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = clock.now()
            key.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="api_key.revoked", target=key, seller_id=key.seller_id)
    return key


def actor_for_api_key(key: ApiKey) -> Actor:
    return Actor(
        kind="api_key",
        label=f"api key {key.public_id} ({key.name})",
        api_key_id=key.pk,
        seller_id=key.seller_id,
        scopes=frozenset(key.scopes),
    )


def actor_for_user(user: User, *, seller_id: int | None = None) -> Actor:
    return Actor(
        kind="user",
        # Operators sign their actions with their work email (accountability); everyone else
        # with their pseudonymous id, so the audit trail holds no buyer's address.
        label=user.email if user.is_staff else user.public_id,
        user_id=user.pk,
        seller_id=seller_id,
        is_operator=user.is_staff,
    )
