"""What accounts holds about a person, for the privacy app's export and erasure (the
``privacy.personal_data`` and ``privacy.erase`` extension points).

Erasing an account keeps the ``User`` row as a pseudonym (orders, invoices and ledger entries
point at it) but makes it unusable: inactive, no password, its email digest replaced by a
tombstone, every way back in (sessions, API keys, 2FA) deleted. Security events stay for the
platform's own security record, without the device and network details. The person's key is
destroyed by the privacy app afterwards, which makes the sealed profile and addresses noise.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from agora.accounts.devices import session_store
from agora.accounts.models import (
    ApiKey,
    LoginThrottle,
    RecoveryCode,
    SecurityEvent,
    TotpDevice,
    User,
    UserSession,
)
from agora.accounts.throttle import account_key

TOMBSTONE = "erased:"


def export(user_id: int) -> tuple[str, dict[str, Any]] | None:
    user = User.objects.select_related("person").filter(pk=user_id).first()
    if user is None:
        return None
    return "Account", {
        "id": user.public_id,
        "email": user.email,
        "name": user.display_name,
        "language": user.preferred_language,
        "joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "two_factor": TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists(),
        "addresses": [
            {"id": a.public_id, "label": a.label, "country": a.country, **a.opened}
            for a in user.addresses.all()
        ],
        "sessions": [
            {
                "device": s.user_agent,
                "ip": s.ip_truncated,
                "signed_in": s.created_at.isoformat(),
                "last_seen": s.last_seen_at.isoformat(),
            }
            for s in UserSession.objects.filter(user=user)
        ],
        "security_events": [
            {"at": e.at.isoformat(), "kind": e.kind, "ip": e.ip_truncated, "device": e.user_agent}
            for e in SecurityEvent.objects.filter(user=user)[:500]
        ],
        "api_keys": [
            {"name": k.name, "created": k.created_at.isoformat(), "scopes": k.scopes}
            for k in ApiKey.objects.filter(user=user)
        ],
    }


def erase(user_id: int) -> dict[str, int]:
    user = User.objects.select_related("person").filter(pk=user_id).first()
    if user is None or user.email_digest.startswith(TOMBSTONE):
        return {}
    counts: dict[str, int] = {}
    counts["lock-out counters"] = LoginThrottle.objects.filter(
        scope=LoginThrottle.Scope.ACCOUNT, key=account_key(user.email)
    ).delete()[0]
    sessions = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in sessions:
        session_store(key).delete()
    counts["sessions"] = UserSession.objects.filter(user=user).delete()[0]
    counts["addresses"] = user.addresses.all().delete()[0]
    counts["api keys"] = ApiKey.objects.filter(user=user).delete()[0]
    counts["two-factor devices"] = TotpDevice.objects.filter(user=user).delete()[0]
    RecoveryCode.objects.filter(user=user).delete()
    counts["security events pseudonymised"] = SecurityEvent.objects.filter(user=user).update(
        ip_truncated="", user_agent="", detail={}
    )
    User.objects.filter(pk=user.pk).update(
        is_active=False,
        password=make_password(None),
        email_digest=f"{TOMBSTONE}{user.public_id}",
        last_login=None,
    )
    return counts
