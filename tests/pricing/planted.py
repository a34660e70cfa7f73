"""What a careless developer could write to personalise prices, for the price audit's tests to
plant: a middleware that remembers the current request where pricing code can read it (the
classic "thread-local request"), and price functions that look at the buyer through it.

Nothing in ``agora`` imports this module; the tests put it in place with ``settings`` and
``monkeypatch`` and take it away after."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from django.http import HttpRequest, HttpResponse

from agora.catalog.documents import money_document
from agora.pricing.quote import Quote, quote_many
from agora.storefront.reads import price_in

current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


class RememberRequest:
    """Middleware: makes the request readable anywhere below the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def _surcharged(quotes: dict[int, Quote], percent: int) -> dict[int, Quote]:
    return {
        pk: replace(q, amount_minor=q.amount_minor * (100 + percent) // 100)
        for pk, q in quotes.items()
    }


def iphone_surcharge(*args: Any, **kwargs: Any) -> dict[int, Quote]:
    """Charges iPhone users 10 % more ("they can afford it")."""
    quotes = quote_many(*args, **kwargs)
    request = current_request.get()
    if request is not None and "iPhone" in request.headers.get("User-Agent", ""):
        return _surcharged(quotes, 10)
    return quotes


def loyalty_surcharge(*args: Any, **kwargs: Any) -> dict[int, Quote]:
    """Charges buyers with five or more past orders 5 % more ("they will buy anyway")."""
    quotes = quote_many(*args, **kwargs)
    request = current_request.get()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.orders.count() >= 5:
        return _surcharged(quotes, 5)
    return quotes


def highest_as_was_price(*args: Any, **kwargs: Any) -> dict[int, Quote]:
    """Shows the list price plus a fifth as the "was" price on every product: a reduction
    nobody ever offered, against the Omnibus rule."""
    quotes = quote_many(*args, **kwargs)
    return {pk: replace(q, prior_minor=q.list_minor * 6 // 5) for pk, q in quotes.items()}


def card_surcharge_for_repeat_buyers(doc: dict[str, Any], currency: str) -> dict[str, Any] | None:
    """Shows buyers with five or more past orders 5 % more on listing cards only ("they click
    anyway"); the product page, the cart and the API stay honest, so only the cards tell."""
    price = price_in(doc, currency)
    request = current_request.get()
    user = getattr(request, "user", None)
    if price is None or user is None or not user.is_authenticated or user.orders.count() < 5:
        return price
    return money_document(price["amount_minor"] * 105 // 100, currency)
