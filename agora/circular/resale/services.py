"""Resale use cases: a buyer asks to resell a unit from an order, a seller offers its own used
goods, the channel inspects and grades it, lists it as an ordinary catalog product, and each
paid resale order appends the new owner to the unit's history.

Lock rule: a step on a request locks the request row (``select_for_update``) before reading its
state. "Listed twice" cannot happen: one request per order-line unit is UNIQUE in the database,
and listing moves ``inspected -> listed`` under the lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from agora.catalog.services import product_publish
from agora.circular.models import OwnershipRecord, ResaleRequest
from agora.circular.resale import channel, errors, pricing
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import FORBIDDEN, AgoraError, invalid, require_max_length
from agora.core.extension_points import order_line_passport
from agora.core.money import MoneyError, normalize_currency
from agora.inventory.services import stock_receive
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access
from agora.orders.models import Order
from agora.pricing.services import MAX_AMOUNT_MINOR as MAX_PRICE_MINOR
from agora.pricing.services import PricedVariantInput, product_create_priced

RESELLABLE = (Order.Status.DELIVERED, Order.Status.COMPLETED)
CHECK_RESULTS = ("pass", "fail")
SCOPE = "catalog:write"


def _state(request: ResaleRequest, *allowed: str) -> None:
    if request.status not in allowed:
        raise AgoraError(
            errors.RESALE_WRONG_STATE,
            f"resale request {request.public_id} is {request.status}; this step needs "
            f"{' or '.join(allowed)}",
        )


def _locked(request: ResaleRequest) -> ResaleRequest:
    return (
        ResaleRequest.objects.select_for_update(of=("self",))
        .select_related("seller", "source_line__variant")
        .get(pk=request.pk)
    )


def _gtin14(gtin: str) -> str:
    """GTINs are kept as 14 digits, the form the passport pages ask with."""
    gtin = (gtin or "").strip()
    return gtin.zfill(14) if gtin.isdigit() else ""


def _passport_of(order: Order, line_no: int) -> dict[str, str]:
    for implementation in order_line_passport.implementations():
        answer = implementation(order.public_id, line_no)
        if answer:
            return {k: str(answer.get(k) or "") for k in ("digital_link", "gtin", "serial")}
    return {}


def resale_request_from_order(
    *, actor: Actor, user: Any, order_id: str, line_no: int
) -> ResaleRequest:
    """ "Resell this" on the order page: one unit of a delivered line the user bought, carried
    over with its product, purchase date, price paid and passport, to the platform channel."""
    order = (
        Order.objects.filter(public_id=order_id, buyer_id=getattr(user, "pk", None))
        .select_related("seller")
        .first()
    )
    if order is None or actor.user_id != user.pk:
        raise AgoraError(errors.RESALE_NOT_YOURS, f"order {order_id} is not an order of yours")
    if order.status not in RESELLABLE:
        raise AgoraError(
            errors.RESALE_NOT_YOURS,
            f"order {order_id} is {order.status}; items can be resold once delivered",
        )
    line = order.lines.select_related("variant__product").filter(line_no=line_no).first()
    if line is None:
        raise AgoraError(errors.RESALE_NOT_YOURS, f"order {order_id} has no line {line_no}")
    kept = line.quantity - line.returned_quantity
    taken = set(ResaleRequest.objects.filter(source_line=line).values_list("unit_no", flat=True))
    free = [n for n in range(1, kept + 1) if n not in taken]
    if not free:
        raise AgoraError(
            errors.RESALE_ALREADY_REQUESTED,
            f"every unit of line {line_no} of order {order_id} is already offered for resale",
        )
    variant = line.variant
    passport = _passport_of(order, line_no)
    purchased = (order.paid_at or order.placed_at).date()
    seller = channel.platform_seller()
    now = clock.now()
    try:
        with transaction.atomic():
            request = ResaleRequest.objects.create(
                origin=ResaleRequest.Origin.BUYER,
                seller=seller,
                requester=user,
                requester_ref=channel.holder_ref(order.buyer_ref or f"user:{user.pk}"),
                source_line=line,
                unit_no=free[0],
                original_product_id=variant.product.public_id if variant else "",
                original_variant_id=variant.public_id if variant else "",
                title=line.title,
                purchased_on=purchased,
                currency=order.currency,
                price_paid_minor=line.unit_price_minor,
                gtin=_gtin14(passport.get("gtin") or (variant.gtin if variant else "")),
                serial=passport.get("serial", ""),
                digital_link=passport.get("digital_link", ""),
                created_at=now,
                updated_at=now,
            )
            OwnershipRecord.objects.create(
                request=request,
                kind=OwnershipRecord.Kind.ORIGINAL,
                holder_ref=request.requester_ref,
                order_id=order.public_id,
                acquired_on=purchased,
                gtin=request.gtin,
                serial=request.serial,
                created_at=now,
            )
            audit_record(
                actor=actor,
                action="resale.requested",
                target=request,
                seller_id=seller.pk,
                changes={"order": order.public_id, "line_no": line_no, "unit_no": free[0]},
            )
    except IntegrityError as exc:  # a concurrent click took the same unit
        raise AgoraError(
            errors.RESALE_ALREADY_REQUESTED,
            f"unit {free[0]} of line {line_no} of order {order_id} is already offered for resale",
        ) from exc
    return request


def resale_request_by_seller(
    *,
    actor: Actor,
    seller: Seller,
    title: str,
    currency: str,
    original_price_minor: int,
    purchased_on: date | None = None,
    gtin: str = "",
    original_product_id: str = "",
) -> ResaleRequest:
    """A seller offers its own used goods; it inspects and lists them itself."""
    require_seller_access(actor, seller, SCOPE)
    title = (title or "").strip()
    if not title:
        raise invalid("title", "must not be empty")
    require_max_length("title", title, 300)
    try:
        currency = normalize_currency(currency)
    except MoneyError as exc:
        raise invalid("currency", str(exc)) from None
    if (
        isinstance(original_price_minor, bool)
        or not isinstance(original_price_minor, int)
        or original_price_minor <= 0
    ):
        raise invalid("original_price_minor", f"{original_price_minor!r} is not a positive amount")
    if original_price_minor > MAX_PRICE_MINOR:
        raise invalid("original_price_minor", f"is more than {MAX_PRICE_MINOR} minor units")
    now = clock.now()
    with transaction.atomic():
        request = ResaleRequest.objects.create(
            origin=ResaleRequest.Origin.SELLER,
            seller=seller,
            title=title,
            currency=currency,
            price_paid_minor=original_price_minor,
            purchased_on=purchased_on,
            gtin=_gtin14(gtin),
            original_product_id=original_product_id,
            created_at=now,
            updated_at=now,
        )
        audit_record(actor=actor, action="resale.requested", target=request, seller_id=seller.pk)
    return request


def _clean_checklist(checklist: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    if not isinstance(checklist, Mapping) or not checklist:
        raise invalid("checklist", "give at least one checked item: {item: 'pass' | 'fail'}")
    cleaned: dict[str, dict[str, str]] = {}
    for item, value in checklist.items():
        entry = {"result": value, "note": ""} if isinstance(value, str) else value
        if not isinstance(entry, Mapping) or entry.get("result") not in CHECK_RESULTS:
            raise invalid(
                f"checklist.{item}", f"{value!r} is not 'pass', 'fail' or {{result, note}}"
            )
        note = str(entry.get("note") or "")
        require_max_length(f"checklist.{item}.note", note, 500)
        cleaned[str(item)] = {"result": str(entry["result"]), "note": note}
    return cleaned


def _clean_photos(photos: list[str]) -> list[str]:
    for i, url in enumerate(photos):
        parts = urlsplit(url if isinstance(url, str) else "")
        if parts.scheme != "https" or not parts.netloc:
            raise invalid(f"photos[{i}]", f"{url!r} is not an https link")
    return list(photos)


def _require_inspector(actor: Actor, request: ResaleRequest) -> None:
    """Operators and the listing seller's staff inspect; the requester never grades its own."""
    # a seller's own goods have no requester: an API key (no user) must not match "nobody"
    own = request.requester_id is not None and actor.user_id == request.requester_id
    if actor.kind != "system" and not actor.is_operator and own:
        raise AgoraError(FORBIDDEN, "the person reselling an item cannot inspect it")
    require_seller_access(actor, request.seller, SCOPE)


def resale_inspect(
    *,
    actor: Actor,
    request: ResaleRequest,
    grade: str,
    checklist: Mapping[str, Any],
    photos: list[str] | None = None,
    price_minor: int | None = None,
) -> ResaleRequest:
    """Grades the unit (A/B/C) with its checklist and photos, suggests a price from the
    original price, age and grade, and sets the warranty of the grade. ``price_minor`` overrides
    the suggestion (never above the price paid)."""
    _require_inspector(actor, request)
    try:
        grade = pricing.check_grade(grade)
    except ValueError as exc:
        raise invalid("grade", str(exc)) from None
    checks = _clean_checklist(checklist)
    links = _clean_photos(photos or [])
    with transaction.atomic():
        request = _locked(request)
        _state(request, ResaleRequest.Status.REQUESTED, ResaleRequest.Status.INSPECTED)
        today = clock.now().date()  # UTC calendar days, like rental
        age = pricing.age_in_months(request.purchased_on or today, today)
        suggested = pricing.suggest_price(
            original_minor=request.price_paid_minor, age_months=age, grade=grade
        )
        price = suggested if price_minor is None else price_minor
        if isinstance(price, bool) or not isinstance(price, int) or price <= 0:
            raise invalid("price_minor", f"{price!r} is not a positive amount of minor units")
        if price > request.price_paid_minor:
            raise invalid(
                "price_minor",
                f"{price} is above the original price {request.price_paid_minor}",
            )
        request.grade, request.checklist, request.photos = grade, checks, links
        request.suggested_price_minor, request.price_minor = suggested, price
        request.warranty_months = pricing.warranty_months(grade)
        request.inspected_by, request.inspected_at = actor.label[:120], clock.now()
        request.status, request.updated_at = ResaleRequest.Status.INSPECTED, clock.now()
        request.save()
        audit_record(
            actor=actor,
            action="resale.inspected",
            target=request,
            seller_id=request.seller_id,
            changes={"grade": grade, "suggested_minor": suggested, "price_minor": price},
        )
    return request


def resale_reject(*, actor: Actor, request: ResaleRequest, reason: str) -> ResaleRequest:
    """The unit failed inspection; it goes back to its owner and is not listed."""
    _require_inspector(actor, request)
    if not (reason or "").strip():
        raise invalid("reason", "say why the item is not listed")
    with transaction.atomic():
        request = _locked(request)
        _state(request, ResaleRequest.Status.REQUESTED, ResaleRequest.Status.INSPECTED)
        request.status, request.updated_at = ResaleRequest.Status.REJECTED, clock.now()
        request.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="resale.rejected",
            target=request,
            seller_id=request.seller_id,
            changes={"reason": reason.strip()[:500]},
        )
    return request


def resale_list(*, actor: Actor, request: ResaleRequest) -> ResaleRequest:
    """Lists an inspected unit: a published catalog product of the channel seller with one
    variant (condition, grade, original product, purchase date, warranty), priced and with
    one unit in stock, so it sells through the normal checkout."""
    require_seller_access(actor, request.seller, SCOPE)
    channel.ensure_attributes()
    with transaction.atomic():
        request = _locked(request)
        _state(request, ResaleRequest.Status.INSPECTED)
        location = channel.stock_location(request.seller)
        if location is None:
            raise invalid("seller", f"seller {request.seller.public_id} has no stock location")
        attributes: dict[str, Any] = {
            "condition": "used",
            "resale_grade": request.grade,
            "warranty_months": request.warranty_months,
        }
        if request.original_product_id:
            attributes["original_product"] = request.original_product_id
        if request.purchased_on:
            attributes["purchase_date"] = request.purchased_on.isoformat()
        original = request.source_line.variant if request.source_line else None
        product = product_create_priced(
            actor=actor,
            seller=request.seller,
            title=f"{request.title} (second hand, grade {request.grade})"[:300],
            slug=f"resale-{request.public_id}".replace("_", "-"),
            description=(
                f"Second-hand item inspected and graded {request.grade}; "
                f"{request.warranty_months} months warranty."
            ),
            attributes=attributes,
            variants=[
                PricedVariantInput(
                    sku=f"RESALE-{request.public_id}"[:64],
                    title=f"Grade {request.grade}",
                    options={"condition": f"used, grade {request.grade}"},
                    weight_grams=original.weight_grams if original else None,
                    prices=[(request.currency, request.price_minor or 0)],
                )
            ],
        )
        product = product_publish(actor=actor, product=product)
        variant = product.variants.get()
        stock_receive(
            actor=actor,
            location=location,
            variant=variant,
            quantity=1,
            reason="resale",
            reference=request.public_id,
        )
        request.product, request.variant = product, variant
        request.status, request.listed_at = ResaleRequest.Status.LISTED, clock.now()
        request.updated_at = request.listed_at
        request.save()
        audit_record(
            actor=actor,
            action="resale.listed",
            target=request,
            seller_id=request.seller_id,
            changes={"product": product.public_id, "price_minor": request.price_minor},
        )
    return request


def resale_record_sale(*, order_id: str) -> list[OwnershipRecord]:
    """Appends the buyer of a paid order as the new holder of every resale unit it contains
    (the ``order.paid`` handler); a repeated call adds nothing."""
    order = Order.objects.filter(public_id=order_id).first()
    if order is None:
        return []
    variant_ids = [v for v in order.lines.values_list("variant_id", flat=True) if v]
    added: list[OwnershipRecord] = []
    with transaction.atomic():
        for request in ResaleRequest.objects.select_for_update().filter(variant_id__in=variant_ids):
            record, created = OwnershipRecord.objects.get_or_create(
                request=request,
                order_id=order.public_id,
                defaults={
                    "kind": OwnershipRecord.Kind.RESALE,
                    "holder_ref": channel.holder_ref(
                        order.buyer_ref or f"user:{order.buyer_id or ''}"
                    ),
                    "acquired_on": (order.paid_at or clock.now()).date(),
                    "grade": request.grade,
                    "gtin": request.gtin,
                    "serial": request.serial,
                    "created_at": clock.now(),
                },
            )
            if created:
                added.append(record)
                request.status, request.sold_at = ResaleRequest.Status.SOLD, clock.now()
                request.updated_at = request.sold_at
                request.save(update_fields=["status", "sold_at", "updated_at"])
    return added
