"""Who owns the cart: the signed-in buyer (Django session) or a guest (a token in the session).

Why not ``NinjaAPI(csrf=True)``: that switches CSRF on for the whole API, including the
seller endpoints that authenticate with a Bearer key (which a browser never sends on its own, so
they need no CSRF). Ninja's ``django_auth`` refuses anonymous visitors, and guests must be able
to fill a cart. So the cart router has its own auth, :class:`BuyerSessionAuth`: it lets every
visitor in (guest or buyer) and, for every unsafe method (POST, PUT, PATCH, DELETE), runs
Django's CSRF check (``CsrfViewMiddleware``, through ``ninja.utils.check_csrf``), whether or not a
session cookie is present yet, because cart requests are authenticated by cookies alone.
``GET /api/v1/cart`` sets the ``csrftoken`` cookie; pages send it back as ``X-CSRFToken``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from agora.checkout.errors import CSRF_FAILED
from agora.checkout.models import Cart
from agora.checkout.services import cart_get_or_create
from agora.checkout.signals import GUEST_CART_SESSION_KEY
from agora.core.errors import AgoraError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class BuyerIdentity:
    user: Any | None  # None: a guest

    def __bool__(self) -> bool:  # Ninja treats a falsy result as "not authenticated"
        return True


class BuyerSessionAuth(AuthBase):
    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The Django session cookie (guests get one on first use). Unsafe methods also need the "
        "CSRF token in `X-CSRFToken` (the `csrftoken` cookie)."
    )

    def __call__(self, request: HttpRequest) -> BuyerIdentity:
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise AgoraError(
                CSRF_FAILED,
                "CSRF token missing or wrong: send the csrftoken cookie's value as X-CSRFToken",
            )
        user = getattr(request, "user", None)
        return BuyerIdentity(user if user is not None and user.is_authenticated else None)


buyer_session_auth = BuyerSessionAuth()


def request_cart(request: HttpRequest) -> Cart:
    """The caller's open cart, created on demand: the buyer's (any device) or the guest's,
    found by a random token in the server-side session (never exposed to the browser)."""
    identity: BuyerIdentity = request.auth  # type: ignore[attr-defined]
    currency = getattr(settings, "AGORA_DEFAULT_CART_CURRENCY", "EUR")
    if identity.user is not None:
        return cart_get_or_create(buyer=identity.user, currency=currency)
    token = request.session.get(GUEST_CART_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[GUEST_CART_SESSION_KEY] = token
    return cart_get_or_create(session_key=token, currency=currency)
