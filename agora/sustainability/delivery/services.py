"""Writes: a shipping method's legs (the seller's say over the inferred default), and the
footprint an order keeps.

:func:`order_footprint_record` runs from the ``order.paid`` handler. It computes the figure
from the order as placed (its lines' weights, the method chosen at checkout, the seller's stock
location and the delivery country) and stores it once per order: a second delivery of the event,
or a second event for the same order, finds the row and changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from agora.checkout.models import Checkout, ShippingMethod
from agora.checkout.selectors import default_weight_grams
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import invalid
from agora.marketplace.permissions import require_seller_access
from agora.orders.models import Order, OrderLine
from agora.sustainability.delivery.calc import KG_STEP, LegPlan
from agora.sustainability.delivery.modes import legs_to_json
from agora.sustainability.delivery.places import country_point
from agora.sustainability.delivery.selectors import footprint_for, method_legs, seller_origin
from agora.sustainability.factors import load_detours, load_factors
from agora.sustainability.models import DeliveryMethodProfile, OrderDeliveryFootprint

SCOPE_WRITE = "orders:write"  # shipping set-up belongs to order handling (checkout.shipping)


def method_legs_set(
    *, actor: Actor, method: ShippingMethod, legs: list[LegPlan]
) -> DeliveryMethodProfile:
    """The seller says which modes the method's parcels take. Each mode must have a factor;
    legs without a given distance share the door-to-door distance and their shares add to 1;
    a mode without a detour factor (sea) needs its distance given."""
    require_seller_access(actor, method.seller, SCOPE_WRITE)
    if not legs:
        raise invalid("legs", "give at least one leg (e.g. van_diesel)")
    factors, detours = load_factors(), load_detours()
    for i, leg in enumerate(legs):
        if leg.mode not in factors:
            raise invalid(f"legs[{i}].mode", f"{leg.mode!r} is not one of {', '.join(factors)}")
        if leg.distance_km is None and leg.mode not in detours:
            raise invalid(f"legs[{i}].distance_km", f"a {leg.mode} leg needs its distance given")
        if leg.share <= 0:
            raise invalid(f"legs[{i}].share", "must be more than 0")
    shares = sum((leg.share for leg in legs if leg.distance_km is None), Decimal(0))
    if any(leg.distance_km is None for leg in legs) and shares != 1:
        raise invalid("legs", f"the measured legs' shares add up to {shares}, not 1")
    with transaction.atomic():
        profile, _ = DeliveryMethodProfile.objects.update_or_create(
            method_public_id=method.public_id,
            defaults={
                "legs": legs_to_json(tuple(legs)),
                "inferred": False,
                "updated_at": clock.now(),
            },
        )
        audit_record(
            actor=actor,
            action="sustainability.method_legs_set",
            target=method,
            changes={"legs": profile.legs},
            seller_id=method.seller_id,
        )
    return profile


def _order_weight_grams(order: Order) -> int:
    default = default_weight_grams()
    total = 0
    for line in OrderLine.objects.filter(order=order).select_related("variant"):
        grams = line.variant.weight_grams if line.variant_id and line.variant else None
        total += (grams if grams is not None else default) * line.quantity
    return total


def order_footprint_record(
    *, order_public_id: str, event_id: str = ""
) -> OrderDeliveryFootprint | None:
    """Stores the order's delivery footprint once; returns the stored row (new or earlier), or
    None when the order has no figure (not from a checkout, unknown method, no point)."""
    existing = OrderDeliveryFootprint.objects.filter(order_public_id=order_public_id).first()
    if existing is not None:
        return existing
    order = Order.objects.select_related("seller").filter(public_id=order_public_id).first()
    if order is None or not order.checkout_ref:
        return None
    choices = (
        Checkout.objects.filter(public_id=order.checkout_ref)
        .values_list("shipping_choices", flat=True)
        .first()
    ) or {}
    method = ShippingMethod.objects.filter(
        public_id=choices.get(order.seller.public_id, "")
    ).first()
    if method is None:
        return None
    legs = method_legs([(method.public_id, method.name, method.carrier_code)])[method.public_id]
    country = (order.ship_country or "").upper()[:2]
    origin, origin_country = seller_origin(order.seller.public_id)
    weight = _order_weight_grams(order)
    result = footprint_for(
        legs=legs, weight_grams=weight, origin=origin, destination=country_point(country)
    )
    if result is None:
        return None
    try:
        with transaction.atomic():
            return OrderDeliveryFootprint.objects.create(
                order_public_id=order.public_id,
                buyer=order.buyer,
                buyer_ref=order.buyer_ref,
                seller_public_id=order.seller.public_id,
                method_public_id=method.public_id,
                method_name=method.name,
                modes=",".join(leg.mode for leg in result.legs),
                origin_country=origin_country,
                destination_country=country,
                distance_km=result.distance_km.quantize(Decimal("0.001")),
                weight_kg=(Decimal(weight) / 1000).quantize(Decimal("0.001")),
                kg_co2e=result.kg_co2e,
                legs=[
                    {
                        "mode": leg.mode,
                        "distance_km": str(leg.distance_km.quantize(Decimal("0.001"))),
                        "weight_t": str(leg.weight_t),
                        "factor": str(leg.factor.value),
                        "unit": leg.factor.unit,
                        "scope": leg.factor.scope,
                        "kg_co2e": str(leg.kg_co2e.quantize(KG_STEP)),
                        "source": leg.factor.source,
                    }
                    for leg in result.legs
                ],
                factor_source=" | ".join(result.sources),
                placed_at=order.placed_at,
                recorded_at=clock.now(),
                event_id=event_id,
            )
    except IntegrityError:  # the same order recorded concurrently: keep the first
        return OrderDeliveryFootprint.objects.get(order_public_id=order_public_id)
