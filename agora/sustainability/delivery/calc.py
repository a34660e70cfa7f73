"""The footprint arithmetic (pure: no Django, no I/O).

For each leg of a shipment::

    distance_km = given distance, or great-circle(origin, destination) x detour factor of the mode
    kg CO2e     = distance_km x weight_t x factor (kg CO2e per tonne-km, well-to-wheel)

and the shipment is the sum of its legs (GLEC Framework / ISO 14083: activity x intensity, per
leg, summed over the transport chain).

Arithmetic is Decimal throughout. The great-circle distance is computed in binary floating point
(trigonometry) and taken into Decimal at 1 m (0.001 km), the precision of the coordinates we
hold; that is the input's resolution, not a rounding of a result. The one rounding of results is
:data:`KG_STEP`: each leg's and the shipment's kg CO2e are rounded half-up to the gram, and the
shipment total is the rounded sum of the *unrounded* legs (so legs shown may differ from the
total by a gram, never the total from the arithmetic).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from agora.sustainability.factors import Detour, Factor

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius R1
KM_STEP = Decimal("0.001")
KG_STEP = Decimal("0.001")  # the one rounding of results: kg CO2e to the gram, half up
GRAMS_PER_TONNE = Decimal(1_000_000)


class FootprintError(ValueError):
    """A leg cannot be computed (unknown mode, no distance, bad weight); the message says why."""


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class LegPlan:
    """One leg as a shipping method describes it: its mode and the share of the door-to-door
    distance it covers (all legs of a method add up to 1), or a given distance in km."""

    mode: str
    share: Decimal = Decimal(1)
    distance_km: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LegResult:
    mode: str
    distance_km: Decimal
    weight_t: Decimal
    factor: Factor
    kg_co2e: Decimal  # unrounded; see rounded()

    def rounded(self) -> Decimal:
        return self.kg_co2e.quantize(KG_STEP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class ShipmentResult:
    legs: tuple[LegResult, ...]
    distance_km: Decimal
    weight_t: Decimal
    kg_co2e: Decimal  # rounded to KG_STEP

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(leg.factor.source for leg in self.legs))


def great_circle_km(a: Point, b: Point) -> Decimal:
    """Haversine distance on a sphere of the mean Earth radius, in km at 1 m resolution."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    return Decimal(repr(km)).quantize(KM_STEP, rounding=ROUND_HALF_UP)


def weight_tonnes(grams: int) -> Decimal:
    if grams <= 0:
        raise FootprintError(f"a parcel of {grams} g cannot be carried: give its weight")
    return Decimal(grams) / GRAMS_PER_TONNE


def leg_kg(*, distance_km: Decimal, weight_t: Decimal, factor: Factor) -> Decimal:
    """distance x weight x factor, unrounded."""
    return distance_km * weight_t * factor.value


def leg_distance_km(
    *,
    plan: LegPlan,
    great_circle: Decimal | None,
    detours: Mapping[str, Detour],
) -> Decimal:
    """The leg's distance: given, or its share of the great circle times the mode's detour."""
    if plan.distance_km is not None:
        if plan.distance_km < 0:
            raise FootprintError(f"{plan.mode} leg: distance {plan.distance_km} km is negative")
        return plan.distance_km
    if great_circle is None:
        raise FootprintError(f"{plan.mode} leg: no distance given and no coordinates to measure")
    detour = detours.get(plan.mode)
    if detour is None:
        raise FootprintError(
            f"{plan.mode} leg: no detour factor for this mode, so its distance must be given "
            "(e.g. port to port), not measured as a great circle"
        )
    return great_circle * plan.share * detour.value


def shipment_footprint(
    *,
    legs: Sequence[LegPlan],
    weight_grams: int,
    factors: Mapping[str, Factor],
    detours: Mapping[str, Detour],
    origin: Point | None = None,
    destination: Point | None = None,
) -> ShipmentResult:
    """Every leg's footprint and the shipment's total (rounded once, see the module)."""
    if not legs:
        raise FootprintError("a shipment needs at least one leg")
    shares = sum((leg.share for leg in legs if leg.distance_km is None), Decimal(0))
    if any(leg.distance_km is None for leg in legs) and shares != 1:
        raise FootprintError(f"the measured legs' shares add up to {shares}, not 1")
    weight_t = weight_tonnes(weight_grams)
    great_circle = (
        great_circle_km(origin, destination) if origin is not None and destination else None
    )
    results = []
    for plan in legs:
        factor = factors.get(plan.mode)
        if factor is None:
            raise FootprintError(f"no emission factor for mode {plan.mode!r}")
        distance = leg_distance_km(plan=plan, great_circle=great_circle, detours=detours)
        results.append(
            LegResult(
                mode=plan.mode,
                distance_km=distance,
                weight_t=weight_t,
                factor=factor,
                kg_co2e=leg_kg(distance_km=distance, weight_t=weight_t, factor=factor),
            )
        )
    total = sum((r.kg_co2e for r in results), Decimal(0))
    return ShipmentResult(
        legs=tuple(results),
        distance_km=sum((r.distance_km for r in results), Decimal(0)),
        weight_t=weight_t,
        kg_co2e=total.quantize(KG_STEP, rounding=ROUND_HALF_UP),
    )
