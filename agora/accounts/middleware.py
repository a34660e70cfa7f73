"""Request-level guards of account security.

- :class:`RateLimitMiddleware` answers sign-in and checkout floods with 429 and ``Retry-After``
  before the view runs (problem+json under ``/api/``, a short page elsewhere). API keys are
  limited where they are checked (``accounts.services.api_key_authenticate``), so the count is
  per verified key and nobody can spend another's budget with a made-up token.
- :class:`SessionSecurityMiddleware` turns a session that signed in without its second factor
  into the code step, and keeps the session list's "last seen" current.

Both sit after Django's session and authentication middleware.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string

from agora.accounts import devices, ratelimit, signin
from agora.core import clock

# (limiter, method, exact paths). Paths, not URL names, so the rule holds before routing and
# for the API's catch-all as well.
LOGIN_PATHS = ("/accounts/login/", "/accounts/login/verify/", "/admin/login/")
CHECKOUT_PATHS = ("/checkout/", "/api/v1/checkout")


def _subject(request: HttpRequest, name: str) -> str:
    ip = str(request.META.get("REMOTE_ADDR", "") or "unknown")
    if name == "checkout":
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        if key := request.session.session_key:
            return f"session:{key}"
    return f"ip:{ip}"


def too_many_requests(
    request: HttpRequest, name: str, decision: ratelimit.Decision
) -> HttpResponse:
    """The 429 answer: problem+json for the API, a page saying when to try again otherwise."""
    error = ratelimit.refusal(name, decision)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(error.as_problem(instance=request.path), status=429)
        response["Content-Type"] = "application/problem+json"
    else:
        at = clock.now() + timedelta(seconds=decision.retry_after)
        response = HttpResponse(
            render_to_string(
                "accounts/too_many_requests.html",
                {"retry_after": decision.retry_after, "retry_at": at, "back": request.path},
                request=request,
            ),
            status=429,
        )
    response["Retry-After"] = str(decision.retry_after)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            path = request.path_info
            name = "login" if path in LOGIN_PATHS else "checkout" if path in CHECKOUT_PATHS else ""
            if name:
                decision = ratelimit.hit(name, _subject(request, name))
                if not decision.allowed:
                    return too_many_requests(request, name, decision)
        return self.get_response(request)


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            if signin.session_owes_code(request):
                next_url = request.get_full_path()
                signin.session_to_pending(request, next_url=next_url)
                if not request.path.startswith("/api/"):
                    verify = getattr(settings, "AGORA_MFA_VERIFY_URL", "/accounts/login/verify/")
                    return redirect(f"{verify}?{urlencode({'next': next_url})}")
            elif request.user.is_authenticated:
                devices.session_touch(request=request)
        return self.get_response(request)
