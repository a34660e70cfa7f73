"""Reads: the footprint of each delivery option at checkout, and a buyer's recorded figures.

Checkout's cart summary (``checkout.selectors.cart_summary``) gives each seller's parcel weight
and delivery options; this adds to each option the kg CO2e of sending that parcel that way
(:func:`annotate_checkout`). Where the figure cannot be computed (no point for a country, a mode
whose distance must be given, a destination beyond an inferred default's range) the option has
``footprint: None`` and the page says so rather than guessing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from agora.checkout.models import ShippingMethod
from agora.inventory.models import StockLocation
from agora.marketplace.models import Seller
from agora.sustainability.delivery.calc import (
    FootprintError,
    LegPlan,
    Point,
    ShipmentResult,
    great_circle_km,
    shipment_footprint,
)
from agora.sustainability.delivery.modes import INFERRED_RANGE_KM, inferred_legs, legs_from_json
from agora.sustainability.delivery.places import country_point
from agora.sustainability.factors import load_detours, load_factors
from agora.sustainability.models import DeliveryMethodProfile, OrderDeliveryFootprint


@dataclass(frozen=True, slots=True)
class MethodLegs:
    legs: tuple[LegPlan, ...]
    inferred: bool


def method_legs(methods: Iterable[tuple[str, str, str]]) -> dict[str, MethodLegs]:
    """``(public_id, name, carrier_code)`` of shipping methods -> their legs: the seller's
    profile when one is stored, else the default inferred from the name (``modes``)."""
    methods = list(methods)
    stored = {
        p.method_public_id: p
        for p in DeliveryMethodProfile.objects.filter(method_public_id__in=[m[0] for m in methods])
    }
    out = {}
    for public_id, name, carrier in methods:
        profile = stored.get(public_id)
        if profile is not None and profile.legs:
            out[public_id] = MethodLegs(legs_from_json(profile.legs), profile.inferred)
        else:
            out[public_id] = MethodLegs(inferred_legs(name=name, carrier_code=carrier), True)
    return out


def seller_origin(seller_public_id: str) -> tuple[Point | None, str]:
    """Where the seller's parcels start: an available stock location with coordinates (the
    oldest), else the country of its first location, else the seller's own country."""
    seller = Seller.objects.filter(public_id=seller_public_id).values("pk", "country").first()
    if seller is None:
        return None, ""
    locations = list(
        StockLocation.objects.filter(seller_id=seller["pk"], is_available=True)
        .order_by("pk")
        .values("country", "latitude", "longitude")
    )
    for loc in locations:
        if loc["latitude"] is not None and loc["longitude"] is not None:
            return Point(float(loc["latitude"]), float(loc["longitude"])), loc["country"]
    country = locations[0]["country"] if locations else seller["country"]
    return country_point(country), country


def footprint_for(
    *,
    legs: MethodLegs,
    weight_grams: int,
    origin: Point | None,
    destination: Point | None,
) -> ShipmentResult | None:
    """The shipment's footprint, or None when it cannot be computed honestly: no points to
    measure between, or both ends fell back to the same country centre (a domestic parcel from a
    seller without located stock would otherwise measure 0 km and claim 0 kg)."""
    measured = any(leg.distance_km is None for leg in legs.legs)
    if origin is None or destination is None:
        if measured:
            return None
    elif _unmeasurable(legs, origin, destination, measured=measured):
        return None
    try:
        return shipment_footprint(
            legs=legs.legs,
            weight_grams=weight_grams,
            factors=load_factors(),
            detours=load_detours(),
            origin=origin,
            destination=destination,
        )
    except FootprintError:
        return None


def _unmeasurable(legs: MethodLegs, origin: Point, destination: Point, *, measured: bool) -> bool:
    """Both ends at one point (0 km measured), or a guessed mode stretched past its range."""
    if measured and origin == destination:
        return True
    return legs.inferred and great_circle_km(origin, destination) > INFERRED_RANGE_KM


def _document(result: ShipmentResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "kg_co2e": result.kg_co2e,
        "distance_km": result.distance_km.quantize(Decimal(1)),
        "modes": [leg.factor.label for leg in result.legs],
        "sources": result.sources,
    }


def annotate_checkout(summary: dict[str, Any]) -> None:
    """Adds ``footprint`` to every delivery option of every seller group (None when unknown)
    and ``greener`` to a group whose chosen option (``group["chosen"]``, else the first) is not
    the lowest-carbon one: ``{"option": …, "saving_kg": Decimal}``."""
    country = (summary.get("destination") or {}).get("country", "")
    destination = country_point(country)
    groups = [g for g in summary.get("sellers", []) if (g.get("shipping") or {}).get("options")]
    ids = [o["method_id"] for g in groups for o in g["shipping"]["options"]]
    carriers = dict(
        ShippingMethod.objects.filter(public_id__in=ids).values_list("public_id", "carrier_code")
    )
    for group in groups:
        options = group["shipping"]["options"]
        legs = method_legs(
            (o["method_id"], o["name"], carriers.get(o["method_id"], "")) for o in options
        )
        origin, _ = seller_origin(group["seller"]["id"])
        for option in options:
            option["footprint"] = _document(
                footprint_for(
                    legs=legs[option["method_id"]],
                    weight_grams=group["weight_grams"],
                    origin=origin,
                    destination=destination,
                )
            )
        group["greener"] = _greener(group.get("chosen") or options[0], options)


def _greener(chosen: dict[str, Any], options: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not chosen.get("footprint"):
        return None
    known = [o for o in options if o.get("footprint")]
    best = min(known, key=lambda o: (o["footprint"]["kg_co2e"], o["price"]["amount_minor"]))
    saving = chosen["footprint"]["kg_co2e"] - best["footprint"]["kg_co2e"]
    if saving <= 0:
        return None
    return {"option": best, "saving_kg": saving}


def buyer_yearly_totals(*, user: Any) -> list[dict[str, Any]]:
    """The buyer's recorded delivery footprints per calendar year (of the order), newest first."""
    rows = (
        OrderDeliveryFootprint.objects.filter(buyer=user)
        .annotate(year=ExtractYear("placed_at"))
        .values("year")
        .annotate(kg_co2e=Sum("kg_co2e"), orders=Count("pk"))
        .order_by("-year")
    )
    return list(rows)


def buyer_footprints(*, user: Any, year: int | None = None) -> list[OrderDeliveryFootprint]:
    rows = OrderDeliveryFootprint.objects.filter(buyer=user).order_by("-placed_at")
    if year is not None:
        rows = rows.filter(placed_at__year=year)
    return list(rows)


def order_footprint(*, order_public_id: str) -> OrderDeliveryFootprint | None:
    return OrderDeliveryFootprint.objects.filter(order_public_id=order_public_id).first()
