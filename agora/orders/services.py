"""Use cases of live orders: place, pay, cancel, refund, complete.

Who calls what (orders never imports checkout, payments or fulfilment; they call in here):

- checkout: :func:`order_place` inside its own transaction, one order per seller;
- payments: :func:`order_mark_paid`, :func:`order_record_refund`, :func:`order_cancel` (a paid
  order only after its full refund is recorded), and ``returns.return_mark_refunded``;
- fulfilment: ``delivery.order_lines_ship`` and ``delivery.order_mark_delivered``;
- the scheduler: :func:`orders_complete_due` once the return window has passed.

Lock rule: a use case locks the order row first (``select_for_update``), then its lines in
ascending primary key, so two shipments or returns of one order queue instead of deadlocking.
Each state change is checked against :mod:`agora.orders.states`, audited and published as an
event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pycountry
from django.conf import settings
from django.db import IntegrityError, transaction

from agora.catalog.models import Variant
from agora.core import clock
from agora.core.actors import Actor, system
from agora.core.audit import audit_record
from agora.core.errors import CONFLICT, INVALID_TRANSITION, AgoraError, FieldError, invalid
from agora.core.events import publish
from agora.core.models import Person
from agora.core.money import MoneyError, normalize_currency
from agora.core.vault.people import person_create, person_seal
from agora.marketplace.errors import SELLER_NOT_ACTIVE
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access
from agora.orders import errors
from agora.orders.events import (
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderPlaced,
)
from agora.orders.models import Order, OrderLine, OrderRefund, OrderReturn
from agora.orders.states import (
    OPEN_RETURNS,
    REFUNDABLE,
    OrderState,
)
from agora.orders.transitions import facts, lock, move

MAX_QUANTITY = 100_000  # units of one line; more is a typo
MAX_AMOUNT = 10**14  # minor units of any amount; keeps every sum inside a 64-bit column
_ADDRESS_FIELDS = {"name", "company", "line1", "line2", "city", "region", "postcode", "country"}
_ADDRESS_FIELDS |= {"phone", "email"}


@dataclass(frozen=True, slots=True)
class OrderLineDraft:
    """One line as checkout priced it; copied onto the order so later price changes do not
    alter what the buyer bought. ``discount_minor`` is taken off the line's gross amount."""

    sku: str
    title: str
    quantity: int
    unit_price_minor: int
    variant: Variant | None = None
    discount_minor: int = 0


def _amount(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(name, f"{value!r} is not a whole number of minor units")
    if not 0 <= value <= MAX_AMOUNT:
        raise invalid(name, f"{value} is outside 0..{MAX_AMOUNT} minor units")
    return value


def _ship_to(value: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise invalid("ship_to", "must be an address: an object with at least 'country'")
    unknown = sorted(set(value) - _ADDRESS_FIELDS)
    if unknown:
        accepted = ", ".join(sorted(_ADDRESS_FIELDS))
        raise invalid(f"ship_to.{unknown[0]}", f"is not an address field (accepted: {accepted})")
    address: dict[str, str] = {}
    for key, text in value.items():
        if not isinstance(text, str) or len(text) > 300:
            raise invalid(f"ship_to.{key}", "must be text of at most 300 characters")
        address[key] = text.strip()
    country = address.get("country", "").upper()
    if len(country) != 2 or pycountry.countries.get(alpha_2=country) is None:
        raise invalid("ship_to.country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
    address["country"] = country
    return address


def _line(index: int, draft: OrderLineDraft, seller: Seller) -> OrderLine:
    at = f"lines[{index}]"
    q = draft.quantity
    if isinstance(q, bool) or not isinstance(q, int) or not 1 <= q <= MAX_QUANTITY:
        raise invalid(f"{at}.quantity", f"{q!r} is not a whole number in 1..{MAX_QUANTITY}")
    unit = _amount(f"{at}.unit_price_minor", draft.unit_price_minor)
    discount = _amount(f"{at}.discount_minor", draft.discount_minor)
    if discount > q * unit:
        raise invalid(f"{at}.discount_minor", f"{discount} is more than the line's {q * unit}")
    sku, title = (draft.sku or "").strip(), (draft.title or "").strip()
    if not sku or len(sku) > 64:
        raise invalid(f"{at}.sku", "must be 1 to 64 characters")
    if not title or len(title) > 300:
        raise invalid(f"{at}.title", "must be 1 to 300 characters")
    if draft.variant is not None and draft.variant.seller_id != seller.pk:
        raise invalid(f"{at}.variant", f"{draft.variant.public_id} is not the seller's variant")
    return OrderLine(
        line_no=index + 1,
        variant=draft.variant,
        sku=sku,
        title=title,
        quantity=q,
        unit_price_minor=unit,
        discount_minor=discount,
        total_minor=q * unit - discount,
    )


def order_place(
    *,
    actor: Actor,
    seller: Seller,
    buyer: Any,
    currency: str,
    lines: Sequence[OrderLineDraft],
    ship_to: Mapping[str, Any],
    checkout_ref: str,
    shipping_minor: int = 0,
    tax_minor: int = 0,
    discount_minor: int = 0,
    prices_include_tax: bool = False,
    channel: str = Order.Channel.WEB,
    buyer_ref: str = "",
    person: Person | None = None,
) -> Order:
    """Creates a ``placed`` order with its lines in the caller's transaction (checkout's), and
    publishes ``order.placed``.

    ``buyer`` is an ``accounts.User`` or None for a guest. Totals are exact integers:
    ``total = sum(quantity * unit - line discount) + shipping - discount (+ tax when prices
    exclude it)``; ``tax_minor`` is the tax contained in (or added to) the order. One order per
    seller and ``checkout_ref``: a second one is refused, so a retried checkout cannot double.
    ``buyer_ref`` is checkout's name for the buyer (``guest:<hash>`` for a guest), by which a
    guest later acts on the order. ``person`` is the guest's vault person (an account's is
    the buyer's own); the address is sealed under their key, only the country stays clear.
    """
    if not seller.is_active:
        raise AgoraError(SELLER_NOT_ACTIVE, f"seller {seller.public_id} is {seller.state}")
    try:
        currency = normalize_currency(currency)
    except MoneyError as exc:
        raise invalid("currency", str(exc)) from exc
    checkout_ref = (checkout_ref or "").strip()
    if not checkout_ref or len(checkout_ref) > 64:
        raise invalid("checkout_ref", "must be 1 to 64 characters")
    if buyer is not None:
        buyer_ref = f"user:{buyer.pk}"
    elif buyer_ref and (not buyer_ref.startswith("guest:") or len(buyer_ref) > 64):
        raise invalid("buyer_ref", "a guest's reference is 'guest:…' (at most 64 characters)")
    if channel not in (Order.Channel.WEB, Order.Channel.API):
        raise invalid("channel", f"{channel!r} is not one of web, api")
    if not lines:
        raise invalid("lines", "an order needs at least one line")
    rows = [_line(i, draft, seller) for i, draft in enumerate(lines)]
    shipping = _amount("shipping_minor", shipping_minor)
    tax = _amount("tax_minor", tax_minor)
    discount = _amount("discount_minor", discount_minor)
    subtotal = sum(r.total_minor for r in rows)
    if discount > subtotal + shipping:
        raise invalid(
            "discount_minor", f"{discount} is more than the order's {subtotal + shipping}"
        )
    total = subtotal + shipping - discount + (0 if prices_include_tax else tax)
    if total > MAX_AMOUNT:
        raise invalid("lines", f"the order's total {total} is above {MAX_AMOUNT} minor units")
    address = _ship_to(ship_to)
    if buyer is not None:
        person = buyer.person
    now = clock.now()
    with transaction.atomic():
        if Order.objects.filter(seller=seller, checkout_ref=checkout_ref).exists():
            raise _already_placed(seller, checkout_ref)
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    seller=seller,
                    buyer=buyer,
                    buyer_ref=buyer_ref,
                    channel=channel,
                    status=OrderState.PLACED,
                    currency=currency,
                    subtotal_minor=subtotal,
                    shipping_minor=shipping,
                    tax_minor=tax,
                    discount_minor=discount,
                    prices_include_tax=prices_include_tax,
                    total_minor=total,
                    checkout_ref=checkout_ref,
                    person=person,
                    ship_country=address["country"],
                    placed_at=now,
                    status_changed_at=now,
                )
        except IntegrityError as exc:  # a concurrent checkout with the same reference won
            raise _already_placed(seller, checkout_ref) from exc
        street = {k: v for k, v in address.items() if k != "country" and v}
        if street and person is None:  # a guest the caller did not name: one of their own
            order.person = person = person_create()
            order.save(update_fields=["person"])
        if person is not None and street:
            order.ship_to_sealed = person_seal(person, street, purpose=order.ship_purpose)
            order.save(update_fields=["ship_to_sealed"])
        for row in rows:
            row.order = order
        OrderLine.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="order.placed",
            target=order,
            seller_id=seller.pk,
            changes={"checkout_ref": checkout_ref, "total_minor": total, "currency": currency},
        )
        publish(
            OrderPlaced(
                **facts(order),
                buyer_id=getattr(buyer, "public_id", None),
                checkout_ref=checkout_ref,
                lines=[
                    {
                        "line_no": r.line_no,
                        "sku": r.sku,
                        "variant_id": r.variant.public_id if r.variant else None,
                        "quantity": r.quantity,
                        "unit_price_minor": r.unit_price_minor,
                        "total_minor": r.total_minor,
                    }
                    for r in rows
                ],
            )
        )
    return order


def _already_placed(seller: Seller, checkout_ref: str) -> AgoraError:
    return AgoraError(
        errors.ORDER_ALREADY_PLACED,
        f"seller {seller.public_id} already has an order for checkout {checkout_ref!r}",
        [FieldError("checkout_ref", "already used for this seller")],
    )


def order_mark_paid(*, order: Order, payment_ref: str, actor: Actor | None = None) -> Order:
    """placed → paid, called by payments once the provider captured (or authorised) the money.
    Calling it again with the same ``payment_ref`` changes nothing (webhooks redeliver)."""
    payment_ref = (payment_ref or "").strip()
    if not payment_ref or len(payment_ref) > 100:
        raise invalid("payment_ref", "must be 1 to 100 characters")
    with transaction.atomic():
        order = lock(order)
        if order.status != OrderState.PLACED and order.payment_ref == payment_ref:
            return order
        move(
            order,
            OrderState.PAID,
            actor=actor or system("payments"),
            payment_ref=payment_ref,
            paid_at=clock.now(),
        )
        publish(OrderPaid(**facts(order), payment_ref=payment_ref, checkout_ref=order.checkout_ref))
    return order


def is_buyer_of(actor: Actor, order: Order) -> bool:
    """True when ``actor`` is the person who bought ``order``: the signed-in buyer, or the
    guest whose checkout placed it."""
    if actor.kind == "user":
        return order.buyer_id is not None and actor.user_id == order.buyer_id
    if actor.kind == "guest":
        return (
            bool(actor.buyer_ref) and order.buyer_id is None and actor.buyer_ref == order.buyer_ref
        )
    return False


def _require_buyer_or_seller(actor: Actor, order: Order) -> None:
    if is_buyer_of(actor, order):
        return
    require_seller_access(actor, order.seller, "orders:write")


def order_claim_for_buyer(*, buyer_ref: str, buyer: Any) -> int:
    """Gives a guest's orders to the account they signed in to, so their history and returns
    follow them. Only orders nobody owns yet move; returns how many did."""
    if not buyer_ref.startswith("guest:"):
        raise invalid("buyer_ref", "only a guest's orders can be claimed")
    with transaction.atomic():
        orders = list(Order.objects.select_for_update().filter(buyer_ref=buyer_ref, buyer=None))
        for order in orders:
            order.buyer = buyer
            order.buyer_ref = f"user:{buyer.pk}"
            order.save(update_fields=["buyer", "buyer_ref"])
            audit_record(
                actor=system("checkout (sign-in)"),
                action="order.claimed",
                target=order,
                seller_id=order.seller_id,
                changes={"buyer_ref": [buyer_ref, order.buyer_ref]},
            )
    return len(orders)


def order_cancel(*, actor: Actor, order: Order, reason: str) -> Order:
    """Cancels a placed order (by its buyer, its seller or a system flow such as checkout's
    compensation), or a paid one whose whole payment has been refunded (payments refunds first
    with :func:`order_record_refund`). Listeners release reservations on ``order.cancelled``."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise invalid("reason", "say why the order is cancelled (1 to 300 characters)")
    with transaction.atomic():
        order = lock(order)
        _require_buyer_or_seller(actor, order)
        previous = move(order, OrderState.CANCELLED, actor=actor, cancel_reason=reason)
        publish(
            OrderCancelled(
                **facts(order),
                previous_status=previous,
                reason=reason,
                refunded_minor=order.refunded_minor,
                checkout_ref=order.checkout_ref,
            )
        )
    return order


def order_record_refund(
    *, order: Order, amount_minor: int, refund_ref: str, actor: Actor | None = None
) -> Order:
    """Adds a refund payments has made to ``refunded_minor``; a delivered or completed order
    whose refunds reach its total becomes ``refunded``. A refund above what is left is refused.
    Payments publishes ``refund.issued``; this records the order's side in the same transaction.
    The same ``refund_ref`` again changes nothing (with another amount it is a conflict).
    """
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise invalid("amount_minor", f"{amount_minor!r} is not a positive number of minor units")
    refund_ref = (refund_ref or "").strip()
    if not refund_ref or len(refund_ref) > 64:
        raise invalid("refund_ref", "must be 1 to 64 characters")
    actor = actor or system("payments")
    with transaction.atomic():
        order = lock(order)
        seen = OrderRefund.objects.filter(refund_ref=refund_ref).first()
        if seen is not None:
            if seen.order_id != order.pk or seen.amount_minor != amount_minor:
                raise AgoraError(
                    CONFLICT,
                    f"refund {refund_ref} was recorded as {seen.amount_minor} on another "
                    f"order or amount; not {amount_minor} on {order.public_id}",
                    [FieldError("refund_ref", "already recorded differently")],
                )
            return order
        current = OrderState(order.status)
        if current not in REFUNDABLE:
            allowed = ", ".join(sorted(REFUNDABLE))
            raise AgoraError(
                INVALID_TRANSITION,
                f"order {order.public_id} is {current}; refunds are recorded only when it is "
                f"one of {allowed}",
            )
        left = order.total_minor - order.refunded_minor
        if amount_minor > left:
            raise AgoraError(
                errors.REFUND_EXCEEDS_ORDER_TOTAL,
                f"order {order.public_id} totals {order.total_minor} {order.currency}, "
                f"{order.refunded_minor} refunded already; at most {left} can be refunded, "
                f"not {amount_minor}",
                [FieldError("amount_minor", f"must be at most {left}")],
            )
        OrderRefund.objects.create(
            order=order, refund_ref=refund_ref, amount_minor=amount_minor, recorded_at=clock.now()
        )
        before = order.refunded_minor
        order.refunded_minor = before + amount_minor
        order.save(update_fields=["refunded_minor"])
        audit_record(
            actor=actor,
            action="order.refund_recorded",
            target=order,
            seller_id=order.seller_id,
            changes={"refunded_minor": [before, order.refunded_minor], "refund_ref": refund_ref},
        )
        full = order.refunded_minor == order.total_minor
        if full and current in (OrderState.DELIVERED, OrderState.COMPLETED):
            move(order, OrderState.REFUNDED, actor=actor)
    return order


def order_complete(*, order: Order, actor: Actor | None = None) -> Order:
    """delivered → completed (the return window has passed); publishes ``order.completed``."""
    with transaction.atomic():
        order = lock(order)
        move(order, OrderState.COMPLETED, actor=actor or system("orders"))
        publish(OrderCompleted(**facts(order), refunded_minor=order.refunded_minor))
    return order


def orders_complete_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Completes delivered orders whose return window (``AGORA_RETURN_WINDOW_DAYS``) has passed
    and that have no open return; one transaction per order, so one failure stops nothing.
    Returns how many were completed."""
    cutoff = (now or clock.now()) - timedelta(days=settings.AGORA_RETURN_WINDOW_DAYS)
    due = list(
        Order.objects.filter(status=OrderState.DELIVERED, delivered_at__lte=cutoff)
        .exclude(pk__in=OrderReturn.objects.filter(status__in=OPEN_RETURNS).values("order_id"))
        .order_by("delivered_at")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    actor = system("return window")
    for pk in due:
        try:
            order_complete(order=Order(pk=pk), actor=actor)
        except AgoraError:  # moved meanwhile (refunded, returned): not due any more
            continue
        done += 1
    return done
