"""Which legs a shipping method's parcels take, when the seller has not said (pure).

A default is inferred from the method's name and carrier code, as a first guess the seller can
correct (``services.method_legs_set``):

- "pick-up", "pickup", "parcel shop", "locker", "relay point": parcels travel consolidated in
  a line-haul articulated truck to the pick-up point (one leg, ``articulated_truck``); the
  buyer's own trip to collect is outside the shipment (ISO 14083 ends at the hand-over);
- "rail" or "train": ``rail_freight``;
- "air" (as a word) or "air freight": ``air_short_haul``;
- anything else: a home delivery by diesel van (``van_diesel``), the most common parcel case.

An inferred road or rail default is only used up to :data:`INFERRED_RANGE_KM` of great circle
(our assumption: the span of Europe, Lisbon to Nicosia is about 3,700 km). Beyond it a parcel
certainly did not go by van all the way, so the method has no figure until its legs are set.
"""

from __future__ import annotations

import re
from decimal import Decimal

from agora.sustainability.delivery.calc import LegPlan

INFERRED_RANGE_KM = Decimal(4000)
PICKUP_WORDS = re.compile(r"pick[- ]?up|parcel ?shop|locker|relay point|collect", re.IGNORECASE)
RAIL_WORDS = re.compile(r"\brail\b|\btrain\b", re.IGNORECASE)
AIR_WORDS = re.compile(r"\bair\b|air ?freight|air ?mail", re.IGNORECASE)

DEFAULT_MODE = "van_diesel"


def inferred_legs(*, name: str, carrier_code: str = "") -> tuple[LegPlan, ...]:
    text = f"{name} {carrier_code}"
    if PICKUP_WORDS.search(text):
        return (LegPlan("articulated_truck"),)
    if RAIL_WORDS.search(text):
        return (LegPlan("rail_freight"),)
    if AIR_WORDS.search(text):
        return (LegPlan("air_short_haul"),)
    return (LegPlan(DEFAULT_MODE),)


def legs_to_json(legs: tuple[LegPlan, ...]) -> list[dict[str, str]]:
    out = []
    for leg in legs:
        item = {"mode": leg.mode, "share": str(leg.share)}
        if leg.distance_km is not None:
            item["distance_km"] = str(leg.distance_km)
        out.append(item)
    return out


def legs_from_json(data: list[dict[str, str]]) -> tuple[LegPlan, ...]:
    return tuple(
        LegPlan(
            mode=item["mode"],
            share=Decimal(item.get("share", "1")),
            distance_km=Decimal(item["distance_km"]) if item.get("distance_km") else None,
        )
        for item in data
    )
