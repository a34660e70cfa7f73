"""Sign-in with lock-out and the two-factor step, and the account's security page (2FA,
signed-in devices, recent security events). The rules live in ``agora.accounts`` (``throttle``,
``mfa``, ``devices``, ``signin``); these views parse, call them and show the outcome.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agora.accounts import devices, mfa, signin, throttle
from agora.accounts.security_events import security_event_list
from agora.core.errors import AgoraError
from agora.core.templatetags.agora_format import local_datetime


def _lock_message(until: datetime) -> tuple[str, int]:
    seconds, minutes = throttle.lock_wait(until)
    text = ngettext(
        "Too many failed sign-ins. Try again after %(time)s (in %(n)d minute).",
        "Too many failed sign-ins. Try again after %(time)s (in %(n)d minutes).",
        minutes,
    ) % {"time": local_datetime(until), "n": minutes}
    return text, seconds


def _locked(response: HttpResponse, until: datetime) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(_lock_message(until)[1])
    return response


class LoginView(auth_views.LoginView):
    """Django's login page with the lock-out message and the hand-over to the code step."""

    template_name = "storefront/login.html"

    def _until(self) -> datetime | None:
        email = self.request.POST.get("username", "")
        return throttle.login_locked_until(email=email, request=self.request)

    def form_invalid(self, form: Any) -> HttpResponse:
        until = self._until()
        if until is None:
            return super().form_invalid(form)
        form.errors.pop("__all__", None)
        form.add_error(None, _lock_message(until)[0])
        return _locked(super().form_invalid(form), until)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not mfa.totp_is_enabled(user=user):
            return super().form_valid(form)
        signin.pending_start(
            self.request, user=user, backend=user.backend, next_url=self.get_success_url()
        )
        return redirect("storefront:login_verify")


@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app or a recovery code."""
    pending = signin.pending_get(request)
    if pending is None:
        messages.info(request, _("Please sign in again."))
        return redirect("storefront:login")
    user, backend, next_url = pending
    error = ""
    status = 200
    if request.method == "POST":
        until = throttle.login_locked_until(email=user.email, request=request)
        if until is None:
            try:
                kind = mfa.mfa_verify(user=user, code=request.POST.get("code", ""), request=request)
            except AgoraError:
                until = throttle.login_failure_record(email=user.email, request=request)
                error = _("That code is not right. Enter the code your app shows now.")
                status = 422
            else:
                setattr(request, signin.MFA_VERIFIED_ATTR, kind)
                login(request, user, backend=backend or None)
                if kind == "recovery":
                    left = mfa.recovery_codes_left(user=user)
                    messages.warning(
                        request,
                        ngettext(
                            "You signed in with a recovery code; %(n)d code is left.",
                            "You signed in with a recovery code; %(n)d codes are left.",
                            left,
                        )
                        % {"n": left},
                    )
                safe = next_url and url_has_allowed_host_and_scheme(
                    next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                )
                return redirect(next_url if safe else "/")
        if until is not None:
            error, _seconds = _lock_message(until)
            response = render(request, "storefront/login_verify.html", {"error": error})
            return _locked(response, until)
    return render(request, "storefront/login_verify.html", {"error": error}, status=status)


# --- the security page ------------------------------------------------------------------------


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    devices.session_current(request=request)  # follows a key cycled since sign-in
    return render(
        request,
        "storefront/account/security.html",
        {
            "mfa_enabled": mfa.totp_is_enabled(user=user),
            "codes_left": mfa.recovery_codes_left(user=user),
            "sessions": devices.session_list(user=user, current_key=request.session.session_key),
            "events": security_event_list(user=user, limit=30),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """GET makes a new secret and shows it once; POST confirms it with a code."""
    user: Any = request.user
    if request.method == "GET":
        try:
            enrolment = mfa.totp_begin(user=user)
        except AgoraError:
            return redirect("storefront:security")
        return render(request, "storefront/account/two_factor.html", {"enrolment": enrolment})
    try:
        codes = mfa.totp_confirm(user=user, code=request.POST.get("code", ""), request=request)
    except AgoraError as exc:
        return render(
            request, "storefront/account/two_factor.html", {"error": str(exc)}, status=422
        )
    # This session proved the code, so it need not give one again.
    request.session.pop(signin.MFA_REQUIRED_FLAG, None)
    messages.success(request, _("Two-factor authentication is on."))
    return render(request, "storefront/account/recovery_codes.html", {"codes": codes}, status=201)


def _with_code(request: HttpRequest, action: Any, done: str) -> HttpResponse | Any:
    try:
        result = action(user=request.user, code=request.POST.get("code", ""), request=request)
    except AgoraError as exc:
        messages.error(request, str(exc))
        return redirect("storefront:security")
    messages.success(request, done)
    return result


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    result = _with_code(request, mfa.totp_disable, _("Two-factor authentication is off."))
    return result if isinstance(result, HttpResponse) else redirect("storefront:security")


@login_required
@never_cache
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    codes = _with_code(request, mfa.recovery_codes_renew, _("New recovery codes were made."))
    if isinstance(codes, HttpResponse):
        return codes
    return render(request, "storefront/account/recovery_codes.html", {"codes": codes})


@login_required
@require_POST
def session_revoke(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        devices.session_revoke(user=request.user, session_id=session_id, request=request)  # type: ignore[arg-type]
    except AgoraError as exc:
        raise Http404("no such session") from exc
    messages.success(request, _("That device was signed out."))
    return redirect("storefront:security")


@login_required
@require_POST
def session_revoke_others(request: HttpRequest) -> HttpResponse:
    count = devices.session_revoke_others(user=request.user, request=request)  # type: ignore[arg-type]
    messages.success(
        request,
        ngettext(
            "%(n)d other device was signed out.", "%(n)d other devices were signed out.", count
        )
        % {"n": count},
    )
    return redirect("storefront:security")
