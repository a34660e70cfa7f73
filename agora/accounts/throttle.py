"""Lock-out with exponential back-off after failed sign-ins, per account and per client IP.

The rule (:func:`after_failure`, pure): failures are counted in a window
(``window_minutes``, 15 by default); reaching the threshold (5 per account, 20 per IP, since many
people may share one address) locks for ``base_minutes`` * 2^(lock-outs in a row - 1), capped
at ``cap_minutes`` (1, 2, 4, … 60 minutes). The run of lock-outs is forgotten after
``forget_hours`` without a failure, and an account's record is cleared by a successful sign-in.

The account is known by a keyed hash of the email as typed (normalised), whether or not such an
account exists: an unknown email fails, locks and answers exactly like a known one, so the
sign-in page never tells which emails are registered. IPs are kept as keyed hashes too.

State lives in a table (:class:`~agora.accounts.models.LoginThrottle`), because the server runs
several processes and no shared cache is configured; each failure is one short transaction
holding a row lock.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from agora.accounts.models import LoginThrottle, SecurityEvent, User
from agora.accounts.security_events import client_ip, security_event_record
from agora.core import clock

DEFAULTS: dict[str, Any] = {
    "account_failures": 5,
    "ip_failures": 20,
    "window_minutes": 15,
    "base_minutes": 1,
    "cap_minutes": 60,
    "forget_hours": 24,
}


@dataclass(frozen=True)
class Policy:
    threshold: int
    window: timedelta
    base: timedelta
    cap: timedelta
    forget: timedelta


def policies() -> dict[str, Policy]:
    """The policy per scope from ``settings.AGORA_LOGIN_LOCKOUT`` (read per call, so tests may
    change it with the ``settings`` fixture)."""
    conf = {**DEFAULTS, **getattr(settings, "AGORA_LOGIN_LOCKOUT", {})}
    common = {
        "window": timedelta(minutes=conf["window_minutes"]),
        "base": timedelta(minutes=conf["base_minutes"]),
        "cap": timedelta(minutes=conf["cap_minutes"]),
        "forget": timedelta(hours=conf["forget_hours"]),
    }
    return {
        LoginThrottle.Scope.ACCOUNT: Policy(threshold=conf["account_failures"], **common),
        LoginThrottle.Scope.IP: Policy(threshold=conf["ip_failures"], **common),
    }


@dataclass(frozen=True)
class State:
    failures: int
    window_started_at: datetime
    last_failure_at: datetime
    lockouts: int
    locked_until: datetime | None


def lock_duration(lockouts: int, policy: Policy) -> timedelta:
    """base * 2^(lockouts - 1), capped: 1, 2, 4, 8 … minutes."""
    if lockouts <= 0:
        return timedelta(0)
    return min(policy.base * (2 ** min(lockouts - 1, 32)), policy.cap)


def after_failure(state: State | None, now: datetime, policy: Policy) -> State:
    """The state after one more failed sign-in at ``now``. A failure while locked changes
    nothing (such attempts are refused before the password is even checked)."""
    if state is None:
        state = State(0, now, now, 0, None)
    if state.locked_until is not None and now < state.locked_until:
        return state
    if now - state.last_failure_at > policy.forget:
        state = replace(state, lockouts=0)
    if now - state.window_started_at > policy.window:
        state = replace(state, failures=0, window_started_at=now)
    failures = state.failures + 1
    if failures >= policy.threshold:
        lockouts = state.lockouts + 1
        return State(0, now, now, lockouts, now + lock_duration(lockouts, policy))
    return replace(state, failures=failures, last_failure_at=now)


# --- keys ---------------------------------------------------------------------------------------


def _keyed(kind: str, value: str) -> str:
    secret = (getattr(settings, "AGORA_MFA_KEY", "") or settings.SECRET_KEY).encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def account_key(email: str) -> str:
    return _keyed("account", (email or "").strip().lower())


def ip_key(ip: str) -> str | None:
    """IPv4 as is; IPv6 by its /64, the block one client usually holds."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if address.version == 6:
        address = ipaddress.ip_network(f"{address}/64", strict=False).network_address
    return _keyed("ip", str(address))


def _keys(email: str, request: HttpRequest | None) -> list[tuple[str, str]]:
    keys = [(LoginThrottle.Scope.ACCOUNT.value, account_key(email))]
    if (ip := ip_key(client_ip(request))) is not None:
        keys.append((LoginThrottle.Scope.IP.value, ip))
    return keys


# --- use cases ----------------------------------------------------------------------------------


def lock_wait(until: datetime) -> tuple[int, int]:
    """Seconds (for ``Retry-After``, rounded up) and whole minutes (for people) until ``until``."""
    seconds = max(1, int((until - clock.now()).total_seconds()) + 1)
    return seconds, max(1, -(-seconds // 60))


def login_locked_until(*, email: str, request: HttpRequest | None) -> datetime | None:
    """When sign-in for this email from this client may be tried again, or None if it may now."""
    now = clock.now()
    latest: datetime | None = None
    for scope, key in _keys(email, request):
        row = LoginThrottle.objects.filter(scope=scope, key=key).first()
        if row is not None and row.locked_until is not None and row.locked_until > now:
            latest = row.locked_until if latest is None else max(latest, row.locked_until)
    return latest


def login_failure_record(*, email: str, request: HttpRequest | None) -> datetime | None:
    """Counts a failed sign-in (wrong password, unknown email or wrong 2FA code) against the
    account and the client IP; returns the time the lock ends when this failure caused one
    (or one was already running)."""
    now = clock.now()
    rules = policies()
    locked: datetime | None = None
    started_lock = False
    with transaction.atomic():
        for scope, key in _keys(email, request):
            LoginThrottle.objects.bulk_create(
                [LoginThrottle(scope=scope, key=key, window_started_at=now, last_failure_at=now)],
                ignore_conflicts=True,
            )
            row = LoginThrottle.objects.select_for_update().get(scope=scope, key=key)
            before = State(
                row.failures,
                row.window_started_at,
                row.last_failure_at,
                row.lockouts,
                row.locked_until,
            )
            after = after_failure(before, now, rules[scope])
            if after != before:
                LoginThrottle.objects.filter(pk=row.pk).update(
                    failures=after.failures,
                    window_started_at=after.window_started_at,
                    last_failure_at=after.last_failure_at,
                    lockouts=after.lockouts,
                    locked_until=after.locked_until,
                )
            if after.locked_until is not None and after.locked_until > now:
                if after.locked_until != before.locked_until:
                    started_lock = True
                locked = after.locked_until if locked is None else max(locked, after.locked_until)
        user = User.objects.by_email(email or "").first()
        security_event_record(
            kind=SecurityEvent.Kind.LOGIN_FAILED,
            user=user,
            request=request,
            detail={} if user else {"account": "unknown"},
        )
        if started_lock:
            security_event_record(
                kind=SecurityEvent.Kind.LOCKED_OUT,
                user=user,
                request=request,
                detail={"until": locked.isoformat() if locked else None},
            )
    return locked


def login_success_record(*, user: User, request: HttpRequest | None) -> None:
    """Clears the account's failures and lock-out run (the client IP keeps its record: one good
    password must not reset a guesser's budget for every other account)."""
    LoginThrottle.objects.filter(
        scope=LoginThrottle.Scope.ACCOUNT, key=account_key(user.email)
    ).delete()
