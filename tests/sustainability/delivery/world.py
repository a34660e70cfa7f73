"""A seller in Hamburg with a standard (van) and a pick-up point delivery, and the figures the
pure calculation gives for them, to compare the pages and records with."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from agora.catalog.models import Variant
from agora.checkout.shipping import (
    shipping_method_create,
    shipping_rate_create,
    shipping_zone_create,
)
from agora.inventory.services import location_create, stock_receive
from agora.marketplace.models import Seller
from agora.sustainability.delivery.calc import LegPlan, Point, shipment_footprint
from agora.sustainability.delivery.places import country_point
from agora.sustainability.factors import load_detours, load_factors
from tests.checkout.helpers import sellable
from tests.conftest import SYSTEM

HAMBURG = Point(53.5436, 9.9879)
PARCEL_GRAMS = 1500


@dataclass
class GreenWorld:
    variant: Variant
    standard: str
    pickup: str


def method(zone, name: str, days: tuple[int, int]) -> str:  # type: ignore[no-untyped-def]
    made = shipping_method_create(
        actor=SYSTEM,
        zone=zone,
        name=name,
        carrier_code="dhl",
        min_delivery_days=days[0],
        max_delivery_days=days[1],
    )
    shipping_rate_create(
        actor=SYSTEM,
        method=made,
        weight_from_grams=0,
        weight_to_grams=None,
        currency="EUR",
        amount_minor=490,
    )
    return made.public_id


def green_world(seller: Seller) -> GreenWorld:
    zone = shipping_zone_create(actor=SYSTEM, seller=seller, name="EU", countries=["DE", "FR"])
    standard = method(zone, "Standard", (2, 4))
    pickup = method(zone, "Pick-up point", (3, 6))
    variant = sellable(seller, "Teapot", prices={"EUR": 2500}, weight=PARCEL_GRAMS)
    where = location_create(
        actor=SYSTEM,
        seller=seller,
        name="Lager",
        kind="warehouse",
        country="DE",
        latitude="53.543600",
        longitude="9.987900",
    )
    stock_receive(actor=SYSTEM, location=where, variant=variant, quantity=5, reference="t")
    return GreenWorld(variant, standard, pickup)


def expected_kg(mode: str, grams: int = PARCEL_GRAMS, country: str = "DE") -> Decimal:
    """The pure calculation's figure for a parcel from the Hamburg warehouse to ``country``."""
    return shipment_footprint(
        legs=[LegPlan(mode)],
        weight_grams=grams,
        factors=load_factors(),
        detours=load_detours(),
        origin=HAMBURG,
        destination=country_point(country),
    ).kg_co2e
