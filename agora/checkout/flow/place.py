"""Step 1 of checkout: everything that needs no one outside, in one transaction.

Lock order (the rule of inventory and orders, extended): the cart row first, then the new
orders, the intent and the buyer's store-credit account (when credit is spent), then, last, the
stock levels and reservations (inside :func:`agora.inventory.reservations.stock_reserve`, by
primary key). Every checkout takes them in that order, so two checkouts queue on a shared stock
level and never deadlock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from agora.accounts.services import actor_for_user
from agora.catalog.models import Variant
from agora.checkout.errors import NO_SHIPPING_ZONE, VARIANT_NOT_AVAILABLE
from agora.checkout.models import Cart, CartLine, Checkout
from agora.checkout.selectors import cart_summary
from agora.core import clock
from agora.core.actors import Actor, guest, system
from agora.core.errors import (
    CONFLICT,
    VALIDATION,
    AgoraError,
    FieldError,
    invalid,
    registered_problem_types,
)
from agora.core.vault.people import person_create
from agora.inventory.reservations import stock_precheck, stock_reserve
from agora.marketplace.models import Seller
from agora.orders.services import OrderLineDraft, order_place
from agora.payments.services import payment_intent_create

State = Checkout.State
IN_FLIGHT = (State.STARTED, State.ORDERS_PLACED, State.AUTHORIZING, State.REQUIRES_ACTION)
RESERVATION_TTL = timedelta(minutes=30)  # longer than the 3-D Secure timeout of the sweep
MAX_EMAIL = 254


def owner_of(*, buyer: Any | None, guest_token: str = "") -> str:
    """Who a checkout belongs to: a signed-in buyer, or a guest's session token (hashed, so the
    token itself is never stored twice)."""
    if buyer is not None:
        return f"user:{buyer.pk}"
    if not guest_token:
        raise ValueError("a guest checkout needs the guest's session token")
    return "guest:" + hashlib.sha256(guest_token.encode()).hexdigest()[:40]


def actor_of(buyer: Any | None) -> Actor:
    """Who places a checkout's orders: the buyer, or the platform on a guest's behalf."""
    return actor_for_user(buyer) if buyer is not None else system("checkout (guest)")


def buyer_actor(*, buyer: Any | None, owner: str | None) -> Actor | None:
    """Who acts on an order after checkout (returns, cancelling): the signed-in buyer, or the
    guest this session's checkouts were placed for; None when the session owns nothing."""
    if buyer is not None:
        return actor_for_user(buyer)
    return guest(owner) if owner and owner.startswith("guest:") else None


def checkout_start(
    *,
    buyer: Any | None,
    cart: Cart,
    shipping_choices: dict[str, str],
    card: str,
    email: str | None,
    idempotency_key: str,
    address: Mapping[str, str] | None = None,
    store_credit_minor: int = 0,
) -> Checkout:
    """The whole buyer-facing checkout: step 1, then the provider (step 2) and, when the card
    needs no 3-D Secure, capture and completion (step 3). Returns the checkout in ``paid``,
    ``requires_action`` or ``failed`` (declined, compensated). Refusals of step 1 (out of
    stock, invalid cart) raise and leave nothing written. The same key returns the same
    checkout."""
    from agora.checkout.flow.pay import checkout_pay

    checkout = checkout_place(
        buyer=buyer,
        cart=cart,
        shipping_choices=shipping_choices,
        card=card,
        email=email,
        idempotency_key=idempotency_key,
        address=address,
        store_credit_minor=store_credit_minor,
    )
    if checkout.state == State.ORDERS_PLACED:
        checkout = checkout_pay(checkout=checkout)
    return checkout


ADDRESS_FIELDS = ("name", "company", "line1", "line2", "city", "region", "phone")


def _street_address(address: Mapping[str, str] | None) -> dict[str, str]:
    """The street part of a delivery address, checked before anything is written."""
    if address is None:
        return {}
    if not isinstance(address, Mapping):
        raise invalid("address", "must be an object of address fields")
    unknown = sorted(set(address) - set(ADDRESS_FIELDS) - {"country", "postcode"})
    if unknown:
        raise invalid(
            f"address.{unknown[0]}", f"is not an address field ({', '.join(ADDRESS_FIELDS)})"
        )
    street = {}
    for name in ADDRESS_FIELDS:
        value = address.get(name) or ""
        if not isinstance(value, str) or len(value.strip()) > 200:
            raise invalid(f"address.{name}", "must be text of at most 200 characters")
        if value.strip():
            street[name] = value.strip()
    return street


@dataclass(frozen=True)
class _SellerPlan:
    seller_id: int
    lines: list[OrderLineDraft]
    shipping_minor: int
    tax_minor: int
    prices_include_tax: bool


def checkout_place(
    *,
    buyer: Any | None,
    cart: Cart,
    shipping_choices: dict[str, str],
    card: str,
    email: str | None,
    idempotency_key: str,
    address: Mapping[str, str] | None = None,
    store_credit_minor: int = 0,
) -> Checkout:
    """Step 1 (one transaction): validate, reserve all lines (all or nothing: ``out-of-stock``
    names the SKU), place one order per seller and our payment intent, record the checkout in
    ``orders_placed``. Idempotent by ``(owner, idempotency_key)``.

    ``address`` is where the parcels go beyond the cart's destination (name, street, city…);
    the country and postcode always come from the cart, which priced shipping and VAT for them.

    ``store_credit_minor`` of the total is paid with the buyer's store credit (held with the
    payment); the card pays the rest and may be left empty when the credit pays it all."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 200:
        raise invalid("idempotency_key", "give a key of 1 to 200 characters")
    email = (email or "").strip()
    if len(email) > MAX_EMAIL or (email and "@" not in email):
        raise invalid("email", f"{email[:60]!r} is not an email address")
    if isinstance(store_credit_minor, bool) or not isinstance(store_credit_minor, int):
        raise invalid("store_credit_minor", f"{store_credit_minor!r} is not a number")
    if store_credit_minor < 0:
        raise invalid("store_credit_minor", "must not be negative")
    if store_credit_minor and buyer is None:
        raise invalid("store_credit_minor", "sign in to spend store credit")
    card = card if isinstance(card, str) else ""
    if (not card.strip() and not store_credit_minor) or len(card) > 64:
        raise invalid("card", "give the card number or the provider's card token")
    street = _street_address(address)
    owner = owner_of(buyer=buyer, guest_token=cart.session_key)
    existing = Checkout.objects.filter(owner=owner, idempotency_key=key).first()
    if existing is not None:
        return existing
    # Sold out already? Say so before taking the cart lock and writing anything (a flash
    # sale's losers would otherwise each place and roll back a whole checkout).
    lines = list(CartLine.objects.filter(cart=cart).values_list("variant_id", "quantity"))
    if lines:  # an empty cart is refused, by name, inside
        stock_precheck(items=lines)
    try:
        with transaction.atomic():
            return _place(
                buyer,
                cart,
                shipping_choices,
                card.strip(),
                email,
                key,
                owner,
                street,
                store_credit_minor,
            )
    except IntegrityError:
        existing = Checkout.objects.filter(owner=owner, idempotency_key=key).first()
        if existing is None:
            raise
        return existing


def _place(
    buyer: Any | None,
    cart: Cart,
    choices: dict[str, str],
    card: str,
    email: str,
    key: str,
    owner: str,
    street: dict[str, str] | None = None,
    credit_minor: int = 0,
) -> Checkout:
    cart = Cart.objects.select_for_update().get(pk=cart.pk)
    if cart.status != Cart.Status.OPEN:
        raise AgoraError(CONFLICT, f"cart {cart.public_id} is {cart.status}, no longer open")
    busy = Checkout.objects.filter(cart=cart, state__in=IN_FLIGHT).first()
    if busy is not None:
        raise AgoraError(
            CONFLICT,
            f"checkout {busy.public_id} of this cart is still {busy.state}; finish or abandon it",
        )
    now = clock.now()
    # A guest becomes a person in the vault for this checkout: their email and the address
    # are sealed under a key of their own, which erasure can destroy.
    person = buyer.person if buyer is not None else person_create(email=email)
    checkout = Checkout.objects.create(
        cart=cart,
        buyer=buyer,
        owner=owner,
        idempotency_key=key,
        person=person,
        currency=cart.currency,
        shipping_choices=dict(choices),
        created_at=now,
        updated_at=now,
    )
    plans = _plans(cart, choices)
    actor = actor_of(buyer)
    ship_to = {**(street or {}), "country": cart.country, "postcode": cart.postcode}
    orders = []
    by_pk = Seller.objects.in_bulk({p.seller_id for p in plans})
    for plan in plans:
        orders.append(
            order_place(
                actor=actor,
                seller=by_pk[plan.seller_id],
                buyer=buyer,
                currency=cart.currency,
                lines=plan.lines,
                ship_to=ship_to,
                checkout_ref=checkout.public_id,
                buyer_ref=owner,
                person=person,
                shipping_minor=plan.shipping_minor,
                tax_minor=plan.tax_minor,
                prices_include_tax=plan.prices_include_tax,
            )
        )
    total = sum(o.total_minor for o in orders)
    if credit_minor < total and not card:
        raise invalid(
            "card",
            "the store credit does not pay the whole total; give a card for the rest",
        )
    intent = payment_intent_create(
        actor=actor,
        orders=orders,
        payment_method=card or "store_credit",
        idempotency_key=f"checkout:{checkout.public_id}",
        buyer_id=getattr(buyer, "pk", None),
        checkout_ref=checkout.public_id,
        credit_minor=credit_minor,
    )
    # Reserve LAST: the stock rows are the rows every buyer of a flash sale wants, and their row
    # locks are held until this transaction commits, so nothing else should run after taking
    # them. Out of stock still rolls back the orders and the intent written above.
    items = list(
        CartLine.objects.filter(cart=cart).order_by("pk").values_list("variant_id", "quantity")
    )
    stock_reserve(
        actor=actor,
        reference=checkout.public_id,
        items=items,
        ship_to=(cart.country, None, None),
        ttl=getattr(settings, "AGORA_CHECKOUT_RESERVATION_TTL", RESERVATION_TTL),
    )
    checkout.payment = intent
    checkout.amount_minor = intent.amount_minor
    checkout.state = State.ORDERS_PLACED
    checkout.save(update_fields=["payment", "amount_minor", "state"])
    return checkout


def _plans(cart: Cart, choices: dict[str, str]) -> list[_SellerPlan]:
    """Per seller: the order lines at today's prices, the chosen shipping method's price and the
    VAT, all from :func:`cart_summary` so the buyer pays exactly what the cart showed."""
    summary = cart_summary(cart)
    if not summary["sellers"]:
        raise invalid("cart", f"cart {cart.public_id} is empty; add items before checking out")
    if summary["destination"] is None:
        raise invalid(
            "destination", "set the delivery country first (PUT /api/v1/cart/destination)"
        )
    if not isinstance(choices, dict):
        raise invalid("shipping", "map each seller id to a shipping method id")
    known = {g["seller"]["id"] for g in summary["sellers"]}
    for seller_id in choices:
        if seller_id not in known:
            raise invalid(f"shipping.{seller_id}", "no item of this seller is in the cart")
    variant_ids = [line["variant_id"] for g in summary["sellers"] for line in g["lines"]]
    variants = {v.public_id: v for v in Variant.objects.filter(public_id__in=variant_ids)}
    plans = []
    for group in summary["sellers"]:
        seller_ref = group["seller"]["id"]
        for line in group["lines"]:
            if not line["available"]:
                raise AgoraError(
                    VARIANT_NOT_AVAILABLE,
                    f"{line['sku']} ({line['variant_id']}) cannot be bought: "
                    f"{line['unavailable_reason']}; remove it from the cart",
                    [FieldError("cart", f"{line['variant_id']} is not available")],
                )
        shipping = group["shipping"] or {"options": [], "problem": None}
        if shipping["problem"] is not None:
            # Keep the cart's stable type (e.g. no-shipping-zone), naming the seller's field.
            problem = shipping["problem"]
            slug = problem["type"].rsplit("/", 1)[-1]
            raise AgoraError(
                registered_problem_types().get(slug, VALIDATION),
                problem["detail"],
                [FieldError(f"shipping.{seller_ref}", problem["detail"])],
                extra={"country": cart.country} if slug == NO_SHIPPING_ZONE.slug else {},
            )
        if group.get("tax_problem") or group["tax"] is None:
            detail = (group.get("tax_problem") or {}).get("detail", "no VAT could be computed")
            raise invalid("destination", detail)
        method_id = choices.get(seller_ref)
        if not method_id:
            offered = ", ".join(o["method_id"] for o in shipping["options"]) or "none"
            raise invalid(f"shipping.{seller_ref}", f"choose a shipping method ({offered})")
        option = next((o for o in shipping["options"] if o["method_id"] == method_id), None)
        if option is None:
            offered = ", ".join(o["method_id"] for o in shipping["options"]) or "none"
            raise invalid(
                f"shipping.{seller_ref}",
                f"{method_id!r} does not ship this parcel to {cart.country} (offered: {offered})",
            )
        plans.append(
            _SellerPlan(
                seller_id=variants[group["lines"][0]["variant_id"]].seller_id,
                lines=[
                    OrderLineDraft(
                        sku=line["sku"],
                        title=line["title"][:300],
                        quantity=line["quantity"],
                        unit_price_minor=line["unit_price"]["amount_minor"],
                        variant=variants[line["variant_id"]],
                    )
                    for line in group["lines"]
                ],
                shipping_minor=option["price"]["amount_minor"],
                tax_minor=group["tax"]["tax"]["amount_minor"],
                prices_include_tax=group["prices_include_tax"],
            )
        )
    return plans
