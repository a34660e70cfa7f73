"""Who a request is, as consent names people: the account (``user:<pk>``) or the guest session
(``guest:<hash>``, the same name checkout and recommendations give the session's cart owner)."""

from __future__ import annotations

import secrets

from django.http import HttpRequest

from agora.checkout.flow.place import owner_of
from agora.checkout.signals import GUEST_CART_SESSION_KEY
from agora.core.consent import subject_of_user


def request_subject(request: HttpRequest, *, create: bool = False) -> str:
    """The subject of this request; for a guest without a session token, "" unless ``create``
    (then a token is stored in the session, as the cart does)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return subject_of_user(user.pk)
    token = request.session.get(GUEST_CART_SESSION_KEY)
    if not token:
        if not create:
            return ""
        token = secrets.token_urlsafe(24)
        request.session[GUEST_CART_SESSION_KEY] = token
    return owner_of(buyer=None, guest_token=token)
