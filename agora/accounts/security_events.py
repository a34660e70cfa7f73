"""The security trail of an account: what happened (sign-in, failure, lock-out, 2FA, sessions,
password, API key limits), when and from where, shown to the account's owner.

Where a request is at hand the client is recorded with a *truncated* IP (IPv4 /24, IPv6 /48)
and a short User-Agent: enough for a person to recognise "that was me on my phone", too little
to track them.

Operators read every account's trail in the console (``security_event_search``, the page
``agora.operator.security``).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from agora.accounts.models import SecurityEvent, User
from agora.core import clock
from agora.core.errors import invalid

Kind = SecurityEvent.Kind


def client_ip(request: HttpRequest | None) -> str:
    """The peer address Django saw. A proxy in front must pass the client address through
    (e.g. granian/uvicorn ``--forwarded-allow-ips``); we never trust X-Forwarded-For here,
    because any client can send one and would escape every per-IP limit."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", "") or "")


def truncate_ip(ip: str) -> str:
    """203.0.113.77 → 203.0.113.0; 2001:db8:1:2::7 → 2001:db8:1::; anything else → ''."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


_BROWSERS = (
    ("Edge", re.compile(r"Edg(e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|CriOS/|Chromium/")),
    ("Safari", re.compile(r"Safari/")),
    ("curl", re.compile(r"^curl/")),
)
_SYSTEMS = (
    ("Android", re.compile(r"Android")),
    ("iOS", re.compile(r"iPhone|iPad|iPod")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux|X11")),
)


def device_label(user_agent: str) -> str:
    """A human name for a User-Agent ("Firefox on Linux"); '' when nothing is recognised."""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(user_agent)), "")
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def user_agent_of(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:300]


def security_event_record(
    *,
    kind: str,
    user: User | int | None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Appends an event. Call it inside the change's transaction where there is one, so the
    trail never claims something that was rolled back."""
    return SecurityEvent.objects.create(
        at=clock.now(),
        user_id=user.pk if isinstance(user, User) else user,
        kind=kind,
        ip_truncated=truncate_ip(client_ip(request)),
        user_agent=user_agent_of(request),
        detail=detail or {},
    )


def security_event_list(*, user: User, limit: int = 50) -> list[SecurityEvent]:
    """The newest events of ``user``'s account, newest first."""
    return list(SecurityEvent.objects.filter(user=user).order_by("-at", "-id")[:limit])


# --- the operator's view of the trail -----------------------------------------------------------

OPERATOR_PAGE_SIZE = 50


@dataclass(frozen=True)
class SecurityEventPage:
    """One page of events, newest first, and the cursor of the next (older) page, if any."""

    items: list[SecurityEvent]
    next_cursor: str | None


def _encode_cursor(event: SecurityEvent) -> str:
    raw = f"{event.at.isoformat()}|{event.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, pk = raw.partition("|")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid("cursor", "is not a cursor this page gave; start again without one") from None


def security_event_search(
    *, kind: str = "", user_public_id: str = "", cursor: str = "", limit: int = OPERATOR_PAGE_SIZE
) -> SecurityEventPage:
    """Every account's events for the operator console, newest first, optionally of one kind
    and/or one account (by its public id), a page at a time. The cursor is the last row's
    (time, id): a keyset, so a page stays right while new events arrive and costs one index
    range scan however far back the operator pages."""
    if kind and kind not in Kind.values:
        raise invalid("kind", f"{kind!r} is not one of {', '.join(Kind.values)}")
    if not 1 <= limit <= 200:
        raise invalid("limit", f"{limit} is outside 1..200")
    rows = SecurityEvent.objects.select_related("user")
    if kind:
        rows = rows.filter(kind=kind)
    if user_public_id:
        rows = rows.filter(user__public_id=user_public_id.strip())
    if cursor:
        at, pk = _decode_cursor(cursor)
        rows = rows.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    found = list(rows.order_by("-at", "-id")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return SecurityEventPage(found, _encode_cursor(found[-1]) if more and found else None)
