"""Who owns the cart: the signed-in buyer (Django session) or a guest (a token in the session).

Why not ``NinjaAPI(csrf=True)``: that switches CSRF on for the whole API, including the
seller endpoints that authenticate with a Bearer key (which a browser never sends on its own, so
they need no CSRF). Ninja's ``django_auth`` refuses anonymous visitors, and guests must be able
to fill a cart. So the cart router has its own auth, :class:`BuyerSessionAuth`: it lets every
visitor in (guest or buyer) and, for every unsafe method (POST, PUT, PATCH, DELETE), runs
Django's CSRF check (``CsrfViewMiddleware``, through ``ninja.utils.check_csrf``), whether or not a
session cookie is present yet, because cart requests are authenticated by cookies alone.
``GET /api/v1/cart`` sets the ``csrftoken`` cookie; pages send it back as ``X-CSRFToken``.

A buyer's own API key (``Authorization: Bearer``, see ``accounts.buyer_keys``) is also accepted,
for reading only: it needs no CSRF token because a browser never sends it by itself.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from agora.accounts.errors import API_KEY_INVALID, SCOPE_MISSING
from agora.accounts.models import ApiKey
from agora.accounts.services import api_key_authenticate
from agora.checkout.errors import CSRF_FAILED
from agora.checkout.models import Cart
from agora.checkout.services import cart_get_or_create
from agora.checkout.signals import GUEST_CART_SESSION_KEY
from agora.core.errors import FORBIDDEN, AgoraError

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
        if request.headers.get("Authorization", "").startswith("Bearer "):
            return BuyerIdentity(buyer_key_user(request))
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise AgoraError(
                CSRF_FAILED,
                "CSRF token missing or wrong: send the csrftoken cookie's value as X-CSRFToken",
            )
        user = getattr(request, "user", None)
        return BuyerIdentity(user if user is not None and user.is_authenticated else None)


def buyer_key_user(request: HttpRequest) -> Any:
    """The buyer a Bearer key acts for (``accounts.buyer_keys``): read-only, so a key may
    only read (safe methods) and must be a buyer's key holding ``orders:read``. A seller's or
    app's key is refused here: they act for a business, never as a shopper."""
    token = request.headers["Authorization"].removeprefix("Bearer ").strip()
    key = api_key_authenticate(token)
    if key.kind != ApiKey.Kind.BUYER or key.user is None:
        raise AgoraError(API_KEY_INVALID, "the buyer endpoints take a buyer's key, not this one")
    if request.method not in SAFE_METHODS:
        raise AgoraError(
            FORBIDDEN, "buyer API keys are read-only: changes need the signed-in session"
        )
    if "orders:read" not in key.scopes:
        raise AgoraError(SCOPE_MISSING, "this API key lacks the scope 'orders:read'")
    if not key.user.is_active:
        raise AgoraError(API_KEY_INVALID, "the key's account is deactivated")
    return key.user


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
