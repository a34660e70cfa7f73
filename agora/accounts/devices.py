"""Signed-in sessions as devices: recorded at sign-in, listed on the account's security page,
signed out one by one or all but the current one.

A row per session key (:class:`~agora.accounts.models.UserSession`) holds what a person
recognises (browser and system from the User-Agent, a truncated IP, last seen). Signing a
session out deletes the session itself through the configured session engine, so the other
browser's next request is anonymous, whatever the engine.

The row follows its session when the key is cycled (``update_session_auth_hash`` after a
password change does that): the row's id rides in the session's data, which a new key keeps, so
"this device" is still this device and is never signed out as one of the "others".

Changes that must not leave a possibly stolen session behind (turning two-factor authentication
on, changing the password) call :func:`session_end_others`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest

from agora.accounts.models import SecurityEvent, User, UserSession
from agora.accounts.security_events import (
    client_ip,
    device_label,
    security_event_record,
    truncate_ip,
    user_agent_of,
)
from agora.core import clock
from agora.core.errors import not_found

# How often "last seen" is written for a busy session: a write per request would cost more
# than the minute-level precision is worth.
TOUCH_EVERY = timedelta(minutes=5)
SEEN_SESSION_KEY = "_agora_seen"
ROW_SESSION_KEY = "_agora_session_row"  # the UserSession id, kept across a cycled key


def session_store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key)


@dataclass(frozen=True)
class Device:
    """One row of the session list as the page shows it."""

    id: int
    device: str
    user_agent: str
    ip: str
    created_at: datetime
    last_seen_at: datetime
    is_current: bool


def session_record(*, request: HttpRequest, user: User) -> None:
    """Called on sign-in (``user_logged_in``): remembers the new session's device."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    now = clock.now()
    row, _created = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "user_agent": user_agent_of(request),
            "ip_truncated": truncate_ip(client_ip(request)),
            "created_at": now,
            "last_seen_at": now,
        },
    )
    request.session[SEEN_SESSION_KEY] = now.timestamp()
    request.session[ROW_SESSION_KEY] = row.pk


def session_current(*, request: HttpRequest) -> UserSession | None:
    """The row of the session making ``request``, moved to the session's new key when the key
    was cycled since it was recorded (the session's data, and so the row id, survive that)."""
    key = request.session.session_key
    user_id = getattr(getattr(request, "user", None), "pk", None)
    if not key or user_id is None:
        return None
    row = UserSession.objects.filter(session_key=key, user_id=user_id).first()
    if row is not None:
        return row
    row_id = request.session.get(ROW_SESSION_KEY)
    if not isinstance(row_id, int):
        return None
    UserSession.objects.filter(pk=row_id, user_id=user_id).update(session_key=key)
    return UserSession.objects.filter(pk=row_id, user_id=user_id, session_key=key).first()


def session_touch(*, request: HttpRequest) -> None:
    """Moves "last seen" forward at most every :data:`TOUCH_EVERY` (the middleware calls it on
    each signed-in request; the timestamp in the session spares the query in between)."""
    now = clock.now()
    seen = request.session.get(SEEN_SESSION_KEY)
    if isinstance(seen, (int, float)) and now.timestamp() - seen < TOUCH_EVERY.total_seconds():
        return
    row = session_current(request=request)
    if row is not None:
        UserSession.objects.filter(pk=row.pk).update(
            last_seen_at=now, ip_truncated=truncate_ip(client_ip(request))
        )
    request.session[SEEN_SESSION_KEY] = now.timestamp()


def session_forget(*, session_key: str | None) -> None:
    """Called on sign-out (``user_logged_out``)."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_list(*, user: User, current_key: str | None) -> list[Device]:
    """The user's live sessions, newest activity first. Rows whose session has ended (expired,
    or flushed by a password change elsewhere) are dropped on the way."""
    devices: list[Device] = []
    store = session_store()
    for row in UserSession.objects.filter(user=user).order_by("-last_seen_at", "-id"):
        if not store.exists(row.session_key):
            row.delete()
            continue
        devices.append(
            Device(
                id=row.pk,
                device=device_label(row.user_agent),
                user_agent=row.user_agent,
                ip=row.ip_truncated,
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                is_current=row.session_key == current_key,
            )
        )
    return devices


def _revoke(
    rows: list[UserSession], *, user: User, request: HttpRequest | None, reason: str = ""
) -> int:
    store = session_store()
    with transaction.atomic():
        for row in rows:
            store.delete(row.session_key)
            row.delete()
            detail = {"device": device_label(row.user_agent), "ip": row.ip_truncated}
            security_event_record(
                kind=SecurityEvent.Kind.SESSION_REVOKED,
                user=user,
                request=request,
                detail={**detail, "reason": reason} if reason else detail,
            )
    return len(rows)


def _others(*, user: User, request: HttpRequest | None) -> list[UserSession]:
    rows = UserSession.objects.filter(user=user)
    current = session_current(request=request) if request is not None else None
    if current is not None:
        rows = rows.exclude(pk=current.pk)
    elif request is not None and request.session.session_key:
        rows = rows.exclude(session_key=request.session.session_key)
    return list(rows.order_by("pk"))


def session_revoke(*, user: User, session_id: int, request: HttpRequest | None) -> None:
    """Signs one of the user's sessions out (not the current one: that is "log out")."""
    current = request.session.session_key if request is not None else None
    row = UserSession.objects.filter(user=user, pk=session_id).exclude(session_key=current).first()
    if row is None:
        raise not_found("session", str(session_id))
    _revoke([row], user=user, request=request)


def session_revoke_others(*, user: User, request: HttpRequest) -> int:
    """Signs out every session of the user but the one making the request; returns how many."""
    return _revoke(_others(user=user, request=request), user=user, request=request)


def session_end_others(*, user: User, request: HttpRequest | None, reason: str) -> int:
    """Ends every session of ``user`` but the one making ``request`` (all of them without a
    request) because of a change to how the account is protected (``reason``: the security
    event kind of the change, e.g. ``mfa.enabled``): a session someone else holds must sign
    in again under the new rules. Each ended session is a ``session.revoked`` event naming the
    reason. Call it inside the change's transaction."""
    return _revoke(_others(user=user, request=request), user=user, request=request, reason=reason)
