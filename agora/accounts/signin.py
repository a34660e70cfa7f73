"""The sign-in flow around Django's ``login()``: lock-out bookkeeping, the second step for
accounts with two-factor authentication, and the session list, wired through Django's auth
signals so that *every* way in (the storefront's login page, the operator console's admin
login, ``Client.login`` in tests) goes through the same rules.

Two-factor step: a page that checks the password and sees the account has 2FA does not call
``login()``; it parks the user in the session (:func:`pending_start`) and sends them to the code
page, which calls ``login()`` with :data:`MFA_VERIFIED_ATTR` set on the request. A login that
did not pass a code (Django admin's own login view) is marked pending by the receiver, and
:class:`~agora.accounts.middleware.SessionSecurityMiddleware` turns it into the code step on the
next request, before any view runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from agora.accounts import devices, mfa, throttle
from agora.accounts.models import SecurityEvent, User
from agora.accounts.security_events import security_event_record
from agora.core import clock

MFA_VERIFIED_ATTR = "_agora_mfa_verified"  # set on the request by the code page before login()
MFA_REQUIRED_FLAG = "_agora_mfa_required"  # in a session that still owes a code
PENDING_KEY = "_agora_mfa_pending"  # password checked, code not yet given
PENDING_FOR = timedelta(minutes=5)


def pending_start(request: HttpRequest, *, user: User, backend: str, next_url: str) -> None:
    """Parks a user whose password was right until they give a code. The session key is
    cycled so a session fixed before sign-in cannot ride along."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "at": clock.now().isoformat(),
    }


def pending_get(request: HttpRequest) -> tuple[User, str, str] | None:
    """The parked user, their auth backend and where to go after; None when nothing is parked
    or the parking is older than :data:`PENDING_FOR`."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    try:
        started = datetime.fromisoformat(data["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if clock.now() - started > PENDING_FOR:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        return None
    return user, str(data.get("backend", "")), str(data.get("next", ""))


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def session_owes_code(request: HttpRequest) -> bool:
    return bool(request.session.get(MFA_REQUIRED_FLAG))


def session_to_pending(request: HttpRequest, *, next_url: str) -> None:
    """Turns a session that signed in without its code (admin login) into the code step."""
    from django.contrib.auth import logout

    user_id = request.session.get(SESSION_KEY)
    backend = request.session.get(BACKEND_SESSION_KEY, "")
    logout(request)
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        pending_start(request, user=user, backend=str(backend), next_url=next_url)


# --- receivers (connected in AccountsConfig.ready) -----------------------------------------------


@receiver(user_logged_in, dispatch_uid="agora.accounts.signin.logged_in")
def _on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    throttle.login_success_record(user=user, request=request)
    devices.session_record(request=request, user=user)
    verified = getattr(request, MFA_VERIFIED_ATTR, "")
    if not verified and mfa.totp_is_enabled(user=user):
        request.session[MFA_REQUIRED_FLAG] = True
        return
    pending_clear(request)
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_OK,
        user=user,
        request=request,
        detail={"second_factor": verified} if verified else {},
    )


@receiver(user_logged_out, dispatch_uid="agora.accounts.signin.logged_out")
def _on_logged_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        devices.session_forget(session_key=request.session.session_key)


@receiver(user_login_failed, dispatch_uid="agora.accounts.signin.login_failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get(User.USERNAME_FIELD) or "")
    if throttle.login_locked_until(email=email, request=request) is not None:
        return  # refused by the lock-out before any password was checked; not a new failure
    throttle.login_failure_record(email=email, request=request)


def password_change_record(*, user: User, request: HttpRequest) -> None:
    """After a password change (call it after ``update_session_auth_hash``): every other
    session ends (Django would refuse them on their next request anyway; this also clears them
    from the device list, each as a ``session.revoked`` event) and the change is put on the
    account's security trail. The current session's row follows the key
    ``update_session_auth_hash`` cycled (:func:`devices.session_current`), so this device stays
    in the list."""
    from django.db import transaction

    with transaction.atomic():
        security_event_record(kind=SecurityEvent.Kind.PASSWORD_CHANGED, user=user, request=request)
        devices.session_end_others(
            user=user, request=request, reason=SecurityEvent.Kind.PASSWORD_CHANGED.value
        )
