"""Checkout pages: where to deliver, then delivery per seller and the card, then 3-D Secure when
the provider asks for it, then the confirmation listing one order per seller.

The flow itself is checkout's (:func:`checkout_start`, :func:`checkout_confirm_3ds`); the pages
only collect what it needs. The payment form carries a random token that is the checkout's
idempotency key, so a double click or a resent form finds the checkout the first one started
instead of paying twice. A decline re-renders the form with what was typed (a test store:
the test card number is no secret) and a fresh token for the next attempt.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from agora.accounts.addresses import (
    AddressInput,
    address_create,
    address_get,
    address_list,
)
from agora.checkout import buyer
from agora.checkout.flow import checkout_confirm_3ds, checkout_start
from agora.checkout.flow.place import buyer_actor
from agora.checkout.models import Cart, Checkout
from agora.checkout.selectors import cart_summary
from agora.checkout.services import cart_set_destination
from agora.circular.models import PackagingChoice
from agora.circular.packaging.deposits import packaging_choose
from agora.core.errors import AgoraError
from agora.orders.models import Order
from agora.payments.providers import test as test_cards
from agora.payments.selectors import store_credit_balance
from agora.storefront import reads
from agora.storefront.forms import (
    CheckoutAddressForm,
    PaymentForm,
    ThreeDSForm,
    add_service_error,
    address_values,
    country_name,
    decline_message,
    problem_message,
)
from agora.storefront.views.cart import as_buyer_request, buyer_of, current_cart
from agora.sustainability.delivery.selectors import annotate_checkout

ADDRESS_SESSION_KEY = "agora.storefront.checkout_address"
AFTER_ORDER_COUNT = 4  # "you may also like" after an order
State = Checkout.State

# The test provider's cards, shown in a help box as a provider's test mode does.
TEST_CARDS = [
    (" ".join(number[i : i + 4] for i in range(0, 16, 4)), kind)
    for number, kind in (
        (test_cards.SUCCEEDS, "succeeds"),
        (test_cards.THREE_D_SECURE, "3ds"),
        (test_cards.DECLINED, "declined"),
        (test_cards.INSUFFICIENT_FUNDS, "insufficient_funds"),
    )
]


def _saved_address(request: HttpRequest) -> dict[str, str] | None:
    return request.session.get(ADDRESS_SESSION_KEY)


def _ready(cart: Cart, address: dict[str, str] | None) -> bool:
    """An address was given and the cart's destination still matches it."""
    return bool(address and cart.country and address.get("country") == cart.country)


def _open_cart_or_redirect(request: HttpRequest) -> Cart | HttpResponse:
    cart = current_cart(request)
    if cart is None or not cart.lines.exists():
        messages.info(request, _("Your cart is empty."))
        return redirect("storefront:cart")
    return cart


# --- step 1: the address ------------------------------------------------------------------


def _address_context(request: HttpRequest, cart: Cart, form: CheckoutAddressForm) -> dict:
    user = buyer_of(request)
    return {
        "form": form,
        "saved": address_list(user=user) if user is not None else [],
        "summary": cart_summary(cart),
    }


def _initial_address(request: HttpRequest, cart: Cart) -> dict[str, Any]:
    previous = _saved_address(request)
    if previous:
        return dict(previous)
    user = buyer_of(request)
    if user is not None:
        default = next(iter(address_list(user=user)), None)
        if default is not None:
            return address_values(default)
    return {"country": cart.country, "postcode": cart.postcode, "vat_id": cart.vat_id}


def _use_address(request: HttpRequest, cart: Cart, values: dict[str, str]) -> None:
    """Sets the cart's destination (shipping and VAT follow it) and remembers the address for
    the payment step and the orders."""
    cart_set_destination(
        cart=cart,
        country=values["country"],
        postcode=values.get("postcode", ""),
        vat_id=values.get("vat_id", ""),
    )
    request.session[ADDRESS_SESSION_KEY] = values


@never_cache
@require_http_methods(["GET", "POST"])
def checkout_address(request: HttpRequest) -> HttpResponse:
    cart = _open_cart_or_redirect(request)
    if isinstance(cart, HttpResponse):
        return cart
    user = buyer_of(request)
    template = "storefront/buy/checkout_address.html"
    if request.method == "GET":
        form = CheckoutAddressForm(initial=_initial_address(request, cart), guest=user is None)
        return render(request, template, _address_context(request, cart, form))
    picked = request.POST.get("use_address", "")
    if user is not None and picked:
        saved = address_get(user=user, public_id=picked)
        if saved is None:
            raise Http404("no such address")
        try:
            _use_address(request, cart, address_values(saved))
        except AgoraError as exc:
            messages.error(request, problem_message(exc))
            return redirect("storefront:checkout_address")
        return redirect("storefront:checkout")
    form = CheckoutAddressForm(request.POST, guest=user is None)
    if form.is_valid():
        values = form.address() | {"vat_id": form.cleaned_data["vat_id"]}
        if user is None:
            values["email"] = form.cleaned_data["email"]
        try:
            _use_address(request, cart, values)
            if user is not None and form.cleaned_data.get("save_address"):
                address_create(user=user, data=AddressInput(**values))
        except AgoraError as exc:
            add_service_error(form, exc)
        else:
            return redirect("storefront:checkout")
    return render(request, template, _address_context(request, cart, form), status=422)


# --- step 2: delivery and payment ---------------------------------------------------------


def _to_pay(summary: dict[str, Any], choices: dict[str, str]) -> dict[str, Any]:
    """Per seller and overall: goods (with VAT as the seller prices them) plus the chosen
    delivery, i.e. what each order will total (``orders.services.order_place``'s sum)."""
    total = 0
    for group in summary["sellers"]:
        options = (group.get("shipping") or {}).get("options") or []
        chosen = next(
            (o for o in options if o["method_id"] == choices.get(group["seller"]["id"])), None
        )
        if chosen is None and options:
            chosen = options[0]
        group["chosen"] = chosen
        gross = group["tax"]["gross"]["amount_minor"] if group.get("tax") else None
        if gross is None or chosen is None:
            group["to_pay"] = None
            continue
        amount = gross + chosen["price"]["amount_minor"]
        group["to_pay"] = {"amount_minor": amount, "currency": summary["currency"]}
        total += amount
    ready = all(g["to_pay"] is not None for g in summary["sellers"])
    return {"amount_minor": total, "currency": summary["currency"]} if ready else {}


def _payment_page(
    request: HttpRequest,
    cart: Cart,
    form: PaymentForm | None = None,
    *,
    status: int = 200,
    decline: str = "",
) -> HttpResponse:
    summary = cart_summary(cart)
    if form is None:
        form = PaymentForm(initial={"token": secrets.token_urlsafe(24)}, sellers=summary["sellers"])
    choices = {g["seller"]["id"]: form[name].value() or "" for g, name in form.seller_fields}
    address = _saved_address(request) or {}
    total = _to_pay(summary, choices)
    annotate_checkout(summary)  # kg CO2e of each delivery option, and the greener choice
    current = {g["seller"]["id"]: g for g in summary["sellers"]}
    for g, name, offer in form.reusable_fields:  # the reusable packaging offer per seller
        current.get(g["seller"]["id"], g)["reusable"] = {
            "field": form[name],
            "deposit": {"amount_minor": offer.deposit_minor, "currency": offer.currency},
        }
    fields = form.seller_fields
    credit = _credit_for(request, total)
    context = {
        "summary": summary,
        "form": form,
        "credit": credit,
        # the groups of this summary (totals, footprints), also when the form came from a post
        "seller_fields": [(current.get(g["seller"]["id"], g), form[name]) for g, name in fields],
        "total": total,
        "address": address,
        "country_name": country_name(address.get("country", "")),
        "test_cards": TEST_CARDS,
        "decline": decline,
    }
    return render(request, "storefront/buy/checkout.html", context, status=status)


def _credit_for(request: HttpRequest, total: dict[str, Any]) -> dict[str, int] | None:
    """The signed-in buyer's store credit and how much of this total it would pay (None when
    there is none to spend)."""
    user = buyer_of(request)
    if user is None or not total:
        return None
    available = store_credit_balance(buyer=user, currency=total["currency"])
    if available <= 0:
        return None
    use = min(available, total["amount_minor"])
    return {
        "available": {"amount_minor": available, "currency": total["currency"]},
        "use": {"amount_minor": use, "currency": total["currency"]},
        "card": {"amount_minor": total["amount_minor"] - use, "currency": total["currency"]},
        "use_minor": use,
    }


def _fresh(form: PaymentForm, sellers: list[dict[str, Any]]) -> PaymentForm:
    """The submitted form again, with what was typed and a new token for the next attempt."""
    data = form.data.copy()
    data["token"] = secrets.token_urlsafe(24)
    again = PaymentForm(data, sellers=sellers)
    again.is_valid()
    return again


def _go(checkout: Checkout) -> HttpResponse:
    if checkout.state == State.REQUIRES_ACTION:
        return redirect("storefront:checkout_3ds", checkout_id=checkout.public_id)
    if checkout.state == State.FAILED:
        return redirect(f"{reverse('storefront:checkout')}?declined={checkout.public_id}")
    return redirect("storefront:checkout_done", checkout_id=checkout.public_id)


def _declined_form(request: HttpRequest, cart: Cart, checkout_id: str) -> HttpResponse | None:
    """The payment form after a refused 3-D Secure: the choices and card of that attempt."""
    owner = buyer.request_owner(as_buyer_request(request))
    failed = buyer.checkout_get_for_owner(owner=owner, public_id=checkout_id)
    if failed is None or failed.state != State.FAILED:
        return None
    summary = cart_summary(cart)
    card = failed.payment.payment_method if failed.payment else ""
    data = {"token": secrets.token_urlsafe(24), "card": card}
    for seller_id, method_id in (failed.shipping_choices or {}).items():
        data[f"ship_{seller_id}"] = method_id
    form = PaymentForm(data, sellers=summary["sellers"])
    form.is_valid()
    code = (failed.error or {}).get("code", "")
    return _payment_page(request, cart, form, status=200, decline=decline_message(code))


def _started_with(request: HttpRequest, token: str) -> Checkout | None:
    """The checkout an earlier submission of this very form started (the form was sent again
    after the first one finished and checked the cart out)."""
    owner = buyer.request_owner(as_buyer_request(request))
    if not token or owner is None:
        return None
    return buyer.checkout_get_by_key(owner=owner, idempotency_key=f"page-{token}")


@never_cache
@require_http_methods(["GET", "POST"])
def checkout_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (
        earlier := _started_with(request, request.POST.get("token", ""))
    ):
        return _go(earlier)
    cart = _open_cart_or_redirect(request)
    if isinstance(cart, HttpResponse):
        return cart
    address = _saved_address(request)
    if not _ready(cart, address):
        return redirect("storefront:checkout_address")
    if request.method == "GET":
        declined = request.GET.get("declined", "")
        if declined and (page := _declined_form(request, cart, declined)) is not None:
            return page
        return _payment_page(request, cart)
    summary = cart_summary(cart)
    form = PaymentForm(request.POST, sellers=summary["sellers"])
    if not form.is_valid():
        return _payment_page(request, cart, _fresh(form, summary["sellers"]), status=422)
    user = buyer_of(request)
    street = {k: v for k, v in (address or {}).items() if k not in ("email", "vat_id")}
    credit = 0
    if form.cleaned_data.get("use_store_credit"):
        offer = _credit_for(request, _to_pay(summary, form.shipping_choices()))
        credit = offer["use_minor"] if offer else 0
        if not credit and not form.cleaned_data["card"]:
            again = _fresh(form, summary["sellers"])
            again.add_error("card", _("You have no store credit to spend; enter the card number."))
            return _payment_page(request, cart, again, status=422)
    try:
        checkout = checkout_start(
            buyer=user,
            cart=cart,
            shipping_choices=form.shipping_choices(),
            card=form.cleaned_data["card"],
            email=user.email if user is not None else (address or {}).get("email"),
            idempotency_key=f"page-{form.cleaned_data['token']}",  # see _started_with
            address=street,
            store_credit_minor=credit,
        )
    except AgoraError as exc:
        again = _fresh(form, summary["sellers"])
        field_map = {f"shipping.{g['seller']['id']}": n for g, n in form.seller_fields}
        add_service_error(again, exc, field_map)
        return _payment_page(request, cart, again, status=422)
    if checkout.state == State.FAILED:
        code = (checkout.error or {}).get("code", "")
        again = _fresh(form, summary["sellers"])
        return _payment_page(request, cart, again, status=402, decline=decline_message(code))
    _choose_packaging(request, checkout, form.reusable_choices())
    return _go(checkout)


def _choose_packaging(request: HttpRequest, checkout: Checkout, chosen: dict[str, Any]) -> None:
    """The buyer ticked reusable packaging for some sellers: record the choice on each of those
    orders; its deposit is charged to the card now (paid orders) or once 3-D Secure passes. A
    refused deposit never undoes the order: the page says so and the goods come as usual."""
    if not chosen:
        return
    actor = buyer_actor(
        buyer=buyer_of(request), owner=buyer.request_owner(as_buyer_request(request))
    )
    if actor is None:
        return
    orders = Order.objects.filter(
        checkout_ref=checkout.public_id, seller__public_id__in=list(chosen)
    ).select_related("seller")
    for order in orders:
        seller = order.seller.display_name
        try:
            choice = packaging_choose(
                actor=actor,
                order_public_id=order.public_id,
                ptype=chosen[order.seller.public_id].ptype,
            )
        except AgoraError as exc:
            messages.warning(
                request,
                _("Reusable packaging for your order from %(seller)s was not arranged: %(why)s")
                % {"seller": seller, "why": problem_message(exc)},
            )
            continue
        if choice.status == PackagingChoice.Status.DECLINED:
            messages.warning(
                request,
                _(
                    "Your order from %(seller)s is paid, but the card refused the reusable "
                    "packaging deposit, so it comes in ordinary packaging."
                )
                % {"seller": seller},
            )


# --- 3-D Secure and the confirmation ----------------------------------------------------------


def _checkout_of(request: HttpRequest, checkout_id: str) -> Checkout:
    owner = buyer.request_owner(as_buyer_request(request))
    checkout = buyer.checkout_get_for_owner(owner=owner, public_id=checkout_id)
    if checkout is None:
        raise Http404("no such checkout")
    return checkout


@never_cache
@require_http_methods(["GET", "POST"])
def checkout_3ds(request: HttpRequest, checkout_id: str) -> HttpResponse:
    """The card issuer's challenge page (the test provider's stand-in for an ACS): the buyer
    approves or refuses the payment."""
    checkout = _checkout_of(request, checkout_id)
    if checkout.state != State.REQUIRES_ACTION:
        return _go(checkout)
    if request.method == "POST":
        form = ThreeDSForm(request.POST)
        if form.is_valid():
            try:
                checkout = checkout_confirm_3ds(
                    checkout=checkout, passed=form.cleaned_data["result"] == "pass"
                )
            except AgoraError:  # a second click after the first one finished
                checkout = _checkout_of(request, checkout_id)
            return _go(checkout)
    card = checkout.payment.payment_method if checkout.payment else ""
    return render(
        request,
        "storefront/buy/checkout_3ds.html",
        {
            "checkout": checkout,
            "amount": {"amount_minor": checkout.amount_minor, "currency": checkout.currency},
            "card_last4": card.replace(" ", "")[-4:],
            "challenge": checkout.payment.challenge_ref if checkout.payment else "",
        },
    )


@never_cache
def checkout_done(request: HttpRequest, checkout_id: str) -> HttpResponse:
    checkout = _checkout_of(request, checkout_id)
    if checkout.state == State.REQUIRES_ACTION:
        return _go(checkout)
    if checkout.state == State.FAILED:
        return _go(checkout)
    if checkout.state == State.PAID:
        request.session.pop(ADDRESS_SESSION_KEY, None)
    orders = buyer.checkout_orders(checkout)
    recs = None
    if checkout.state == State.PAID:
        user = buyer_of(request)
        recs = reads.recommended_cards(
            user_id=user.pk if user is not None else None,
            currency=checkout.currency,
            limit=AFTER_ORDER_COUNT,
            placement="order",
            anchors=reads.products_bought_in(order_public_ids=[o.public_id for o in orders]),
            fallback=False,
        )
    return render(
        request,
        "storefront/buy/checkout_done.html",
        {
            "checkout": checkout,
            "recs": recs,
            "orders": [
                {
                    "public_id": o.public_id,
                    "seller": o.seller.display_name,
                    "total": {"amount_minor": o.total_minor, "currency": o.currency},
                    "status": o.status,
                }
                for o in orders
            ],
            "amount": {"amount_minor": checkout.amount_minor, "currency": checkout.currency},
            "is_guest": buyer_of(request) is None,
        },
    )
