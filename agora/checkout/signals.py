"""What a guest brings along when they sign in: their cart, merged into the buyer's, and the
checkouts and orders they placed as a guest (connected in ``apps.py``)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest

from agora.checkout.flow.claim import guest_checkouts_claim
from agora.checkout.models import Cart
from agora.checkout.services import cart_merge
from agora.core.errors import AgoraError

logger = logging.getLogger("agora.checkout")

# Key in the server-side session holding the guest cart's token. Session *data* survives the
# session-key rotation Django's login() performs, so the cart is still found after login.
GUEST_CART_SESSION_KEY = "agora.checkout.guest_cart"


def merge_guest_cart_on_login(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """``user_logged_in`` receiver: a failed merge is logged and never blocks the login."""
    if request is None or not hasattr(request, "session"):
        return
    token = request.session.pop(GUEST_CART_SESSION_KEY, None)
    if not token:
        return
    try:
        claimed = guest_checkouts_claim(guest_token=token, buyer=user)
    except AgoraError:
        logger.exception("could not give guest orders to %s", user)
    else:
        if claimed:
            logger.info("gave %s guest order(s) to %s", claimed, user)
    guest = Cart.objects.filter(session_key=token, buyer=None, status=Cart.Status.OPEN).first()
    if guest is None:
        return
    try:
        result = cart_merge(guest_cart=guest, buyer=user)
    except AgoraError:
        logger.exception("could not merge guest cart %s into %s's cart", guest.public_id, user)
        return
    if result.capped or result.skipped:
        logger.info(
            "merged cart %s: capped %s, skipped %s", guest.public_id, result.capped, result.skipped
        )
