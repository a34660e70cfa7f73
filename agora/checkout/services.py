"""Cart use cases. Every write runs in one transaction with the cart row locked
(``select_for_update``), so two devices of one buyer changing the cart never lose an update;
a merge locks both carts in primary-key order so two merges can never deadlock.

Carts write no audit entries and publish no events: they are a buyer's scratch pad until
checkout, which records the orders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from agora.catalog.models import Product, Variant
from agora.checkout.errors import CART_FULL, CURRENCY_NOT_SOLD, VARIANT_NOT_AVAILABLE
from agora.checkout.models import MAX_CART_LINES, MAX_LINE_QUANTITY, Cart, CartLine
from agora.checkout.shipping import normalize_country
from agora.checkout.tax.compute import validate_vat_id
from agora.core import clock
from agora.core.errors import CONFLICT, AgoraError, FieldError, invalid, not_found
from agora.core.money import MoneyError, normalize_currency
from agora.marketplace.states import SellerState
from agora.pricing.models import Price

DEFAULT_CURRENCY = "EUR"


def check_quantity(quantity: object, field_name: str = "quantity") -> int:
    """A line quantity: an integer from 1 to MAX_LINE_QUANTITY, else an error naming the field."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise invalid(field_name, f"must be a whole number, got {quantity!r}")
    if quantity < 1:
        raise invalid(field_name, f"must be at least 1, got {quantity} (remove the line instead)")
    if quantity > MAX_LINE_QUANTITY:
        raise invalid(field_name, f"must be at most {MAX_LINE_QUANTITY} per line, got {quantity}")
    return quantity


def check_sellable(variant: Variant, currency: str) -> None:
    """Refuses a variant whose product is not published, whose seller is not active, or that has
    no price in ``currency``."""
    row = (
        Variant.objects.filter(pk=variant.pk)
        .values("product__status", "seller__state", "seller__display_name")
        .first()
    )
    if row is None:
        raise not_found("variant", variant.public_id)
    if row["product__status"] != Product.Status.PUBLISHED:
        raise AgoraError(
            VARIANT_NOT_AVAILABLE,
            f"variant {variant.public_id} is not on sale: its product is {row['product__status']}",
            [FieldError("variant_id", "the product is not published")],
        )
    if row["seller__state"] != SellerState.ACTIVE:
        raise AgoraError(
            VARIANT_NOT_AVAILABLE,
            f"variant {variant.public_id} is not on sale: seller {row['seller__display_name']} "
            f"is {row['seller__state']}",
            [FieldError("variant_id", "the seller is not active")],
        )
    if not Price.objects.filter(variant_id=variant.pk, currency=currency).exists():
        sold_in = sorted(
            Price.objects.filter(variant_id=variant.pk).values_list("currency", flat=True)
        )
        raise AgoraError(
            CURRENCY_NOT_SOLD,
            f"variant {variant.public_id} is not sold in {currency} "
            f"(sold in: {', '.join(sold_in) or 'no currency'})",
            [FieldError("currency", f"{currency} is not a currency this variant is sold in")],
        )


def _locked(cart: Cart) -> Cart:
    locked = Cart.objects.select_for_update().get(pk=cart.pk)
    if locked.status != Cart.Status.OPEN:
        raise AgoraError(CONFLICT, f"cart {cart.public_id} is {locked.status}, no longer open")
    return locked


def _touch(cart: Cart) -> None:
    cart.updated_at = clock.now()
    cart.save(update_fields=["updated_at"])


def cart_get_or_create(
    *, buyer: object | None = None, session_key: str = "", currency: str = DEFAULT_CURRENCY
) -> Cart:
    """The open cart of ``buyer`` (on any device), or of the guest holding ``session_key``;
    created on demand in ``currency``. Safe against two requests creating it at once."""
    if buyer is None and not session_key:
        raise ValueError("a cart belongs to a buyer or to a guest session key")
    try:
        currency = normalize_currency(currency)
    except MoneyError as exc:
        raise invalid("currency", str(exc)) from exc
    lookup = {"buyer": buyer} if buyer is not None else {"session_key": session_key, "buyer": None}
    for _ in range(2):
        cart = Cart.objects.filter(status=Cart.Status.OPEN, **lookup).first()
        if cart is not None:
            return cart
        now = clock.now()
        try:
            with transaction.atomic():
                return Cart.objects.create(
                    currency=currency,
                    created_at=now,
                    updated_at=now,
                    **({"buyer": buyer} if buyer is not None else {"session_key": session_key}),
                )
        except IntegrityError:  # another request created it first: read theirs
            continue
    raise AgoraError(CONFLICT, "the cart is being created by another request; retry")


def cart_add(*, cart: Cart, variant: Variant, quantity: int) -> CartLine:
    """Adds ``quantity`` of ``variant`` (summed with a line already holding it)."""
    check_quantity(quantity)
    with transaction.atomic():
        cart = _locked(cart)
        check_sellable(variant, cart.currency)
        line = CartLine.objects.filter(cart=cart, variant=variant).first()
        if line is None:
            if CartLine.objects.filter(cart=cart).count() >= MAX_CART_LINES:
                raise AgoraError(CART_FULL, f"a cart holds at most {MAX_CART_LINES} lines")
            line = CartLine.objects.create(
                cart=cart, variant=variant, quantity=quantity, added_at=clock.now()
            )
        else:
            check_quantity(line.quantity + quantity)
            line.quantity += quantity
            line.save(update_fields=["quantity"])
        _touch(cart)
    return line


def cart_set_quantity(*, cart: Cart, variant: Variant, quantity: int) -> CartLine:
    check_quantity(quantity)
    with transaction.atomic():
        cart = _locked(cart)
        line = CartLine.objects.filter(cart=cart, variant=variant).first()
        if line is None:
            raise not_found("cart line for variant", variant.public_id)
        if quantity > line.quantity:  # more of it: it must still be on sale
            check_sellable(variant, cart.currency)
        line.quantity = quantity
        line.save(update_fields=["quantity"])
        _touch(cart)
    return line


def cart_remove(*, cart: Cart, variant: Variant) -> None:
    with transaction.atomic():
        cart = _locked(cart)
        deleted, _ = CartLine.objects.filter(cart=cart, variant=variant).delete()
        if not deleted:
            raise not_found("cart line for variant", variant.public_id)
        _touch(cart)


def cart_set_destination(*, cart: Cart, country: str, postcode: str = "", vat_id: str = "") -> Cart:
    """Where the goods go (for tax and shipping) and, for a business buyer, its VAT id,
    validated here so a wrong one is refused when typed, not at checkout."""
    code = normalize_country(country)
    postcode = (postcode or "").strip().upper()
    if len(postcode) > 20:
        raise invalid("postcode", f"is {len(postcode)} characters long; at most 20 are allowed")
    normalized_vat = validate_vat_id(vat_id) if (vat_id or "").strip() else ""
    with transaction.atomic():
        cart = _locked(cart)
        cart.country, cart.postcode, cart.vat_id = code, postcode, normalized_vat
        cart.updated_at = clock.now()
        cart.save(update_fields=["country", "postcode", "vat_id", "updated_at"])
    return cart


@dataclass
class MergeResult:
    cart: Cart
    merged_lines: int = 0
    capped: list[str] = field(default_factory=list)  # variants whose sum hit the line maximum
    skipped: list[str] = field(default_factory=list)  # variants not sold in the buyer's currency


def cart_merge(*, guest_cart: Cart, buyer: object) -> MergeResult:
    """Moves a guest's cart into ``buyer``'s open cart at login: quantities of the same variant
    are summed and capped at MAX_LINE_QUANTITY. Without an open buyer cart the guest cart simply
    becomes the buyer's. The guest cart ends as ``merged``; nothing is lost silently (capped and
    skipped variants are returned)."""
    buyer_cart = Cart.objects.filter(buyer=buyer, status=Cart.Status.OPEN).first()
    with transaction.atomic():
        if buyer_cart is None:
            guest = _locked(guest_cart)
            guest.buyer, guest.session_key = buyer, ""
            guest.updated_at = clock.now()
            guest.save(update_fields=["buyer", "session_key", "updated_at"])
            return MergeResult(cart=guest, merged_lines=guest.lines.count())
        # Lock both carts in primary-key order: two merges never wait on each other in a cycle.
        locked = {
            c.pk: c
            for c in (_locked(c) for c in sorted([guest_cart, buyer_cart], key=lambda c: c.pk))
        }
        guest, target = locked[guest_cart.pk], locked[buyer_cart.pk]
        result = MergeResult(cart=target)
        existing = {line.variant_id: line for line in CartLine.objects.filter(cart=target)}
        priced = set(
            Price.objects.filter(
                variant__in=guest.lines.values("variant"), currency=target.currency
            ).values_list("variant_id", flat=True)
        )
        for line in guest.lines.select_related("variant").order_by("added_at", "id"):
            public_id = line.variant.public_id
            if line.variant_id not in priced:
                result.skipped.append(public_id)
                continue
            mine = existing.get(line.variant_id)
            if mine is None:
                if len(existing) >= MAX_CART_LINES:
                    result.skipped.append(public_id)
                    continue
                existing[line.variant_id] = CartLine.objects.create(
                    cart=target,
                    variant_id=line.variant_id,
                    quantity=line.quantity,
                    added_at=line.added_at,
                )
            else:
                total = mine.quantity + line.quantity
                if total > MAX_LINE_QUANTITY:
                    result.capped.append(public_id)
                mine.quantity = min(total, MAX_LINE_QUANTITY)
                mine.save(update_fields=["quantity"])
            result.merged_lines += 1
        if not target.country and guest.country:
            target.country, target.postcode, target.vat_id = (
                guest.country,
                guest.postcode,
                guest.vat_id,
            )
        target.updated_at = clock.now()
        target.save(update_fields=["country", "postcode", "vat_id", "updated_at"])
        guest.status, guest.session_key = Cart.Status.MERGED, ""
        guest.updated_at = target.updated_at
        guest.save(update_fields=["status", "session_key", "updated_at"])
    return result
