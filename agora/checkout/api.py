"""Cart endpoints for buyers and guests (session + CSRF, see ``auth.py``) and shipping set-up
endpoints for sellers (API key, tenant-scoped: another seller's object is a 404)."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Router, Status

from agora.api.auth import seller_auth
from agora.api.schemas import MoneyOut
from agora.api.scopes import require_scope
from agora.catalog.models import Variant
from agora.checkout import services, shipping
from agora.checkout.auth import buyer_session_auth, request_cart
from agora.checkout.models import ShippingMethod, ShippingRate, ShippingZone
from agora.checkout.schemas import (
    CartLineIn,
    CartOut,
    CartQuantityIn,
    DestinationIn,
    MethodIn,
    MethodOut,
    MethodPatchIn,
    RateIn,
    RateOut,
    ZoneIn,
    ZoneOut,
)
from agora.checkout.selectors import cart_summary
from agora.core.errors import not_found
from agora.core.ids import is_public_id

router = Router(tags=["buyer: cart"], auth=buyer_session_auth)
seller_router = Router(tags=["seller: shipping"], auth=seller_auth)


def _variant(variant_id: str) -> Variant:
    variant = (
        Variant.objects.filter(public_id=variant_id).first()
        if is_public_id(variant_id, "var")
        else None
    )
    if variant is None:
        raise not_found("variant", variant_id)
    return variant


@router.get("/cart", response=CartOut, summary="The current cart (created on demand)")
def cart_get(request: HttpRequest) -> dict:
    get_token(request)  # sets the csrftoken cookie the unsafe cart requests must echo
    return cart_summary(request_cart(request))


@router.post("/cart/lines", response={201: CartOut}, summary="Add an item to the cart")
def cart_line_add(request: HttpRequest, payload: CartLineIn) -> Status[dict]:
    cart = request_cart(request)
    services.cart_add(cart=cart, variant=_variant(payload.variant_id), quantity=payload.quantity)
    return Status(201, cart_summary(cart))


@router.patch("/cart/lines/{variant_id}", response=CartOut, summary="Change a line's quantity")
def cart_line_update(request: HttpRequest, variant_id: str, payload: CartQuantityIn) -> dict:
    cart = request_cart(request)
    services.cart_set_quantity(cart=cart, variant=_variant(variant_id), quantity=payload.quantity)
    return cart_summary(cart)


@router.delete("/cart/lines/{variant_id}", response=CartOut, summary="Remove a line")
def cart_line_remove(request: HttpRequest, variant_id: str) -> dict:
    cart = request_cart(request)
    services.cart_remove(cart=cart, variant=_variant(variant_id))
    return cart_summary(cart)


@router.put("/cart/destination", response=CartOut, summary="Set the delivery country (and VAT id)")
def cart_destination_set(request: HttpRequest, payload: DestinationIn) -> dict:
    cart = services.cart_set_destination(
        cart=request_cart(request),
        country=payload.country,
        postcode=payload.postcode,
        vat_id=payload.vat_id,
    )
    return cart_summary(cart)


# --- seller shipping --------------------------------------------------------------------------


def _rate_out(rate: ShippingRate) -> RateOut:
    return RateOut(
        id=rate.public_id,
        weight_from_grams=rate.weight_from_grams,
        weight_to_grams=rate.weight_to_grams,
        price=MoneyOut.of(rate.amount_minor, rate.currency),
        free_over=(
            MoneyOut.of(rate.free_over_minor, rate.currency)
            if rate.free_over_minor is not None
            else None
        ),
    )


def _method_out(method: ShippingMethod, zone_id: str) -> MethodOut:
    return MethodOut(
        id=method.public_id,
        zone_id=zone_id,
        name=method.name,
        carrier_code=method.carrier_code,
        min_delivery_days=method.min_delivery_days,
        max_delivery_days=method.max_delivery_days,
        active=method.active,
        rates=[_rate_out(r) for r in method.rates.all()],
    )


def _zone_out(zone: ShippingZone) -> ZoneOut:
    return ZoneOut(
        id=zone.public_id,
        name=zone.name,
        countries=list(zone.countries),
        methods=[_method_out(m, zone.public_id) for m in zone.methods.all()],
    )


def _zone(request: HttpRequest, zone_id: str) -> ShippingZone:
    zone = shipping.zone_get_for_seller(seller=request.seller, public_id=zone_id)  # type: ignore[attr-defined]
    if zone is None:
        raise not_found("shipping zone", zone_id)
    return zone


def _method(request: HttpRequest, method_id: str) -> ShippingMethod:
    method = shipping.method_get_for_seller(seller=request.seller, public_id=method_id)  # type: ignore[attr-defined]
    if method is None:
        raise not_found("shipping method", method_id)
    return method


@seller_router.get("/seller/shipping/zones", response=list[ZoneOut], summary="Shipping zones")
def zone_list(request: HttpRequest) -> list[ZoneOut]:
    require_scope(request, shipping.SCOPE_READ)
    return [_zone_out(z) for z in shipping.zone_list_for_seller(seller=request.seller)]  # type: ignore[attr-defined]


@seller_router.post("/seller/shipping/zones", response={201: ZoneOut}, summary="Add a zone")
def zone_create(request: HttpRequest, payload: ZoneIn) -> Status[ZoneOut]:
    zone = shipping.shipping_zone_create(
        actor=request.actor,  # type: ignore[attr-defined]
        seller=request.seller,  # type: ignore[attr-defined]
        name=payload.name,
        countries=payload.countries,
    )
    return Status(201, _zone_out(zone))


@seller_router.post(
    "/seller/shipping/zones/{zone_id}/methods",
    response={201: MethodOut},
    summary="Add a shipping method to a zone",
)
def method_create(request: HttpRequest, zone_id: str, payload: MethodIn) -> Status[MethodOut]:
    zone = _zone(request, zone_id)
    method = shipping.shipping_method_create(
        actor=request.actor,  # type: ignore[attr-defined]
        zone=zone,
        **payload.model_dump(),
    )
    return Status(201, _method_out(method, zone.public_id))


@seller_router.patch(
    "/seller/shipping/methods/{method_id}", response=MethodOut, summary="Activate or pause"
)
def method_update(request: HttpRequest, method_id: str, payload: MethodPatchIn) -> MethodOut:
    method = shipping.shipping_method_set_active(
        actor=request.actor,  # type: ignore[attr-defined]
        method=_method(request, method_id),
        active=payload.active,
    )
    return _method_out(method, method.zone.public_id)


@seller_router.post(
    "/seller/shipping/methods/{method_id}/rates",
    response={201: RateOut},
    summary="Add a weight band to a method",
)
def rate_create(request: HttpRequest, method_id: str, payload: RateIn) -> Status[RateOut]:
    rate = shipping.shipping_rate_create(
        actor=request.actor,  # type: ignore[attr-defined]
        method=_method(request, method_id),
        **payload.model_dump(),
    )
    return Status(201, _rate_out(rate))
