"""How long accounts keeps what it records about signing in (registered in ``apps.py`` through
the ``privacy.retention_rules`` extension point; see :mod:`agora.core.retention`)."""

from __future__ import annotations

import math
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agora.core import clock
from agora.core.retention import Action, RetentionRule

DB_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def _session_days() -> int:
    """Days a session can live without being used (SESSION_COOKIE_AGE, two weeks by default):
    nothing tied to a session may go sooner."""
    return max(1, math.ceil(settings.SESSION_COOKIE_AGE / 86400))


def _forget_days() -> int:
    """A login throttle row must outlive the lock-out's memory (``forget_hours``)."""
    from agora.accounts.throttle import policies

    return max(1, math.ceil(max(p.forget for p in policies().values()).total_seconds() / 86400))


def _sessions() -> QuerySet:
    from django.contrib.sessions.models import Session

    return Session.objects.all()


def _ended_devices() -> QuerySet:
    """Device rows whose session is over: a live session's row stays, so its owner can always
    see and sign out every browser that holds their account."""
    from agora.accounts.models import UserSession

    rows = UserSession.objects.all()
    if settings.SESSION_ENGINE in DB_SESSION_ENGINES:
        from django.contrib.sessions.models import Session

        live = Session.objects.filter(expire_date__gt=clock.now()).values("session_key")
        rows = rows.exclude(session_key__in=live)
    return rows


def _idle_throttles() -> QuerySet:
    from agora.accounts.models import LoginThrottle

    now = clock.now()
    return LoginThrottle.objects.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            kind="accounts.sessions",
            model="sessions.Session",
            age_field="expire_date",
            days=1,
            action=Action.DELETE,
            title=_("Browser sessions (sign-in and guest cart token)"),
            counted_from=_("from when the session expired"),
            reason=_("An expired session is never read again."),
            rows=_sessions,
        ),
        RetentionRule(
            kind="accounts.devices",
            model="accounts.UserSession",
            age_field="last_seen_at",
            days=30,
            action=Action.DELETE,
            title=_("Signed-in devices (browser, shortened IP address, last seen)"),
            counted_from=_("from last use, once the session has ended"),
            reason=_(
                "Shown so you can sign out other devices; a device whose session ended "
                "has nothing left to sign out."
            ),
            rows=_ended_devices,
            min_days=_session_days,
        ),
        RetentionRule(
            kind="accounts.login_throttles",
            model="accounts.LoginThrottle",
            age_field="last_failure_at",
            days=7,
            action=Action.DELETE,
            title=_("Failed sign-in counters (hashed e-mail or IP address)"),
            counted_from=_("from the last failed attempt"),
            reason=_("Lock-out forgets failures after a day; a week covers a slow attack."),
            rows=_idle_throttles,
            min_days=_forget_days,
        ),
        RetentionRule(
            kind="accounts.rate_counters",
            model="accounts.RateCounter",
            age_field="window_start",
            days=1,
            action=Action.DELETE,
            title=_("Request counters for rate limits"),
            counted_from=_("from the start of their time window"),
            reason=_("A window counts for a minute; old ones are also pruned every hour."),
            age_value=_unix,
        ),
        RetentionRule(
            kind="accounts.security_events",
            model="accounts.SecurityEvent",
            age_field="at",
            days=365,
            action=Action.DELETE,
            title=_("Security events of your account (sign-ins, failures, 2FA changes)"),
            counted_from=_("from the event"),
            reason=_(
                "Long enough for you or us to trace a break-in noticed months later; "
                "IP addresses in them are already shortened."
            ),
        ),
    ]
