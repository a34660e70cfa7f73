"""The cart page: lines grouped by seller, quantities changed in place (htmx), totals with VAT.

Every change goes through checkout's cart services; the page is :func:`cart_summary` plus what
only a page needs (the title in the visitor's language, units left in stock, the error of the
line just edited with what was typed). Guests get a cart on their first "add" (a random token in
the server-side session, as the cart API does); on login it is merged into the buyer's cart by
checkout's ``user_logged_in`` receiver.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agora.catalog.selectors import variant_get
from agora.checkout.auth import BuyerIdentity
from agora.checkout.models import Cart
from agora.checkout.selectors import cart_for_buyer, cart_for_guest, cart_summary, cart_units
from agora.checkout.services import (
    cart_add,
    cart_get_or_create,
    cart_remove,
    cart_set_destination,
    cart_set_quantity,
)
from agora.checkout.signals import GUEST_CART_SESSION_KEY
from agora.core.errors import AgoraError
from agora.core.templatetags.agora_format import translated
from agora.recommendations.signals import product_added_to_cart
from agora.storefront import reads
from agora.storefront.forms import (
    AddToCartForm,
    CartQuantityForm,
    DestinationForm,
    add_service_error,
    country_name,
    problem_message,
)
from agora.storefront.preferences import display_currency

CART_TEMPLATE = "storefront/buy/cart.html"
CART_RECOMMENDED_COUNT = 4


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def buyer_of(request: HttpRequest) -> Any | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def as_buyer_request(request: HttpRequest) -> HttpRequest:
    """Lets the page call checkout's buyer selectors (``buyer.request_owner``), which read the
    caller from ``request.auth`` as the buyer API's session auth sets it."""
    request.auth = BuyerIdentity(buyer_of(request))  # type: ignore[attr-defined]
    return request


def current_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The visitor's open cart; with ``create``, made on demand in the display currency."""
    user = buyer_of(request)
    if user is not None:
        if not create:
            return cart_for_buyer(buyer=user)
        return cart_get_or_create(buyer=user, currency=display_currency(request))
    token = request.session.get(GUEST_CART_SESSION_KEY)
    if not create:
        return cart_for_guest(session_key=token) if token else None
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[GUEST_CART_SESSION_KEY] = token
    return cart_get_or_create(session_key=token, currency=display_currency(request))


def decorate(summary: dict[str, Any], line_errors: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Adds what the page shows beside :func:`cart_summary`: each line's title in the active
    language, the units left when fewer than in the cart, and the error of a failed edit."""
    lines = [line for group in summary["sellers"] for line in group["lines"]]
    left = reads.units_available(variant_public_ids=[line["variant_id"] for line in lines])
    products = reads.product_titles(public_ids={line["product_id"] for line in lines})
    variants = reads.variant_titles(public_ids={line["variant_id"] for line in lines})
    for line in lines:
        product = products.get(line["product_id"])
        if product is None:
            line["display_title"] = line["title"]
        else:  # the product's name in the visitor's language, then which variant it is
            variant = variants.get(line["variant_id"])
            parts = (translated(product, "title"), translated(variant, "title"))
            line["display_title"] = " — ".join(part for part in parts if part)
        units = left.get(line["variant_id"], 0)
        line["stock_left"] = units if units < line["quantity"] else None
        line["error"] = line_errors.get(line["variant_id"])
    summary["has_problems"] = any(
        not line["available"] or line["stock_left"] is not None for line in lines
    )
    return summary


def cart_context(
    request: HttpRequest,
    cart: Cart | None,
    *,
    line_errors: dict[str, dict[str, Any]] | None = None,
    destination_form: DestinationForm | None = None,
    notice: str = "",
    recs: reads.Recommended | None = None,
) -> dict[str, Any]:
    summary = decorate(cart_summary(cart), line_errors or {}) if cart is not None else None
    if destination_form is None:
        initial = {}
        if summary and summary["destination"]:
            initial = dict(summary["destination"])
        destination_form = DestinationForm(initial=initial)
    destination = summary["destination"] if summary else None
    return {
        "summary": summary,
        "destination_form": destination_form,
        "destination_name": country_name(destination["country"]) if destination else "",
        "notice": notice,
        "recs": recs,
    }


def render_cart(
    request: HttpRequest, cart: Cart | None, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The whole page, or only its cart region for htmx (always 200, so htmx swaps it in)."""
    context = cart_context(request, cart, **extra)
    if is_htmx(request):
        return render(request, f"{CART_TEMPLATE}#cart-body", context)
    return render(request, CART_TEMPLATE, context, status=status)


@require_GET
def cart_page(request: HttpRequest) -> HttpResponse:
    cart = current_cart(request)
    recs = None
    if cart is not None and not is_htmx(request):
        user = buyer_of(request)
        recs = reads.recommended_cards(
            user_id=user.pk if user is not None else None,
            currency=cart.currency,
            limit=CART_RECOMMENDED_COUNT,
            placement="cart",
            anchors=reads.products_in_cart(cart_id=cart.pk),
            fallback=False,
        )
    return render_cart(request, cart, recs=recs)


@require_POST
def cart_add_view(request: HttpRequest) -> HttpResponse:
    """ "Add to cart" from a product page: a redirect to the cart, or for htmx the mini-cart
    (the header's count, out of band, and a status line)."""
    form = AddToCartForm(request.POST)
    variant = variant_get(public_id=request.POST.get("variant", ""))
    error = ""
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    elif variant is None:
        error = _("This item does not exist (any more).")
    else:
        try:
            cart_add(
                cart=current_cart(request, create=True),
                variant=variant,
                quantity=form.cleaned_data["quantity"],
            )
            product_added_to_cart(
                user_id=request.user.pk if request.user.is_authenticated else None,
                product_id=variant.product_id,
                units=form.cleaned_data["quantity"],
            )
        except AgoraError as exc:
            error = problem_message(exc)
    if is_htmx(request):
        cart = current_cart(request)
        count = cart_units(cart=cart) if cart else 0
        return render(
            request,
            "storefront/buy/mini_cart.html",
            {
                "error": error,
                "added": form.cleaned_data.get("quantity") if not error else 0,
                "cart_units": count,
            },
        )
    if error:
        return render_cart(request, current_cart(request), status=422, notice=error)
    return redirect("storefront:cart")


@require_POST
def cart_update_view(request: HttpRequest, variant_id: str) -> HttpResponse:
    """A new quantity for one line; a refusal is shown next to that line with what was typed."""
    cart = current_cart(request)
    form = CartQuantityForm(request.POST)
    variant = variant_get(public_id=variant_id)
    typed = request.POST.get("quantity", "")
    message = ""
    if cart is None or variant is None:
        message = _("This item is no longer in your cart.")
    elif not form.is_valid():
        message = " ".join(str(e) for e in form.errors["quantity"])
    else:
        try:
            cart_set_quantity(cart=cart, variant=variant, quantity=form.cleaned_data["quantity"])
        except AgoraError as exc:
            message = problem_message(exc)
    if message:
        errors = {variant_id: {"message": message, "typed": typed}}
        return render_cart(request, cart, status=422, line_errors=errors)
    return render_cart(request, cart) if is_htmx(request) else redirect("storefront:cart")


@require_POST
def cart_remove_view(request: HttpRequest, variant_id: str) -> HttpResponse:
    cart = current_cart(request)
    variant = variant_get(public_id=variant_id)
    if cart is not None and variant is not None:
        # Already gone (a second click): the page shows the cart as it is.
        with contextlib.suppress(AgoraError):
            cart_remove(cart=cart, variant=variant)
    return render_cart(request, cart) if is_htmx(request) else redirect("storefront:cart")


@require_POST
def cart_destination_view(request: HttpRequest) -> HttpResponse:
    """ "Deliver to": the country (and postcode) that price shipping and VAT on the cart page."""
    cart = current_cart(request)
    form = DestinationForm(request.POST)
    if cart is None:
        return redirect("storefront:cart")
    if form.is_valid():
        try:
            cart_set_destination(
                cart=cart,
                country=form.cleaned_data["country"],
                postcode=form.cleaned_data["postcode"],
                vat_id=cart.vat_id,
            )
        except AgoraError as exc:
            add_service_error(form, exc)
    if form.errors:
        return render_cart(request, cart, status=422, destination_form=form)
    return render_cart(request, cart) if is_htmx(request) else redirect(reverse("storefront:cart"))
