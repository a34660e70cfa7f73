"""What a visitor has chosen or holds that every storefront page shows: the display currency and
the number of items in the cart.

The currency is the visitor's explicit choice (kept in the session), else the currency of the
cart they already have (so prices on the pages match the cart), else the store's default
(``AGORA_DEFAULT_CART_CURRENCY``). Pages, the cart and checkout all ask
:func:`display_currency`, so a visitor never sees one currency on a product and another in the
cart they are about to fill.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from agora.catalog.selectors import category_children
from agora.checkout.models import Cart
from agora.checkout.selectors import cart_for_buyer, cart_for_guest, cart_units
from agora.checkout.signals import GUEST_CART_SESSION_KEY

CURRENCY_SESSION_KEY = "agora.storefront.currency"


def currencies() -> tuple[str, ...]:
    """The currencies a visitor may pick (every demo product is priced in each of them)."""
    return tuple(getattr(settings, "AGORA_STOREFRONT_CURRENCIES", ("EUR", "GBP", "CNY")))


def default_currency() -> str:
    return str(getattr(settings, "AGORA_DEFAULT_CART_CURRENCY", "EUR"))


def open_cart(request: HttpRequest) -> Cart | None:
    """The visitor's open cart, or None; reading never creates a cart or a session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return cart_for_buyer(buyer=user)
    session = getattr(request, "session", None)
    token = session.get(GUEST_CART_SESSION_KEY) if session is not None else None
    return cart_for_guest(session_key=token) if token else None


def display_currency(
    request: HttpRequest, *, read_cart: Callable[[HttpRequest], Cart | None] = open_cart
) -> str:
    """The currency prices are shown in for this visitor (see the module docstring)."""
    session = getattr(request, "session", None)
    chosen = session.get(CURRENCY_SESSION_KEY) if session is not None else None
    if chosen in currencies():
        return str(chosen)
    cart = read_cart(request)
    if cart is not None:
        return cart.currency
    return default_currency()


def set_display_currency(request: HttpRequest, currency: str) -> bool:
    """Remembers the visitor's currency; False (and nothing stored) for one we do not offer."""
    code = (currency or "").strip().upper()
    if code not in currencies():
        return False
    request.session[CURRENCY_SESSION_KEY] = code
    return True


def cart_item_count(
    request: HttpRequest, *, read_cart: Callable[[HttpRequest], Cart | None] = open_cart
) -> int:
    """Units in the visitor's open cart (what the header's cart link shows)."""
    cart = read_cart(request)
    return cart_units(cart=cart) if cart is not None else 0


def storefront(request: HttpRequest) -> dict[str, Any]:
    """Context processor: lazy, so pages that never show the header (admin, API docs) never
    pay for the cart query; the currency and the badge share one read of the cart."""
    read_once = functools.cache(open_cart)  # per call of the processor: one request
    return {
        "display_currency": SimpleLazyObject(
            lambda: display_currency(request, read_cart=read_once)
        ),
        "cart_count": SimpleLazyObject(lambda: cart_item_count(request, read_cart=read_once)),
        "storefront_currencies": currencies(),
        "nav_categories": SimpleLazyObject(top_categories),
    }


def top_categories() -> list[dict[str, Any]]:
    """The top of the category tree for the header's navigation, as small dicts that the
    ``tr`` filter can translate."""
    return category_children(parent_id=None)
