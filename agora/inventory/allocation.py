"""Which locations ship a line: a pure rule over plain data (no ORM), tested with hypothesis.

The rule, in order:

1. Locations marked unavailable are never used (a closed store, a warehouse in stock-take); the
   decision says which nearer ones were skipped for that reason.
2. Locations are ranked by great-circle distance to the delivery point (haversine, km). Without a
   delivery point, or for a location without coordinates, the distance is unknown: such
   locations rank after every location with a known distance, those in the delivery country
   first, then by location id, so the choice is still deterministic.
3. The nearest location that can ship the **whole** line ships it (rule ``nearest``).
4. Only when no single location can, the line is split (rule ``split``) over the **fewest**
   locations that together can; among the sets of that size, the one whose farthest location is
   nearest, then the one with nearer locations. The nearest location in the set gives as much
   as it has, then the next, so the farthest gives the remainder.
5. When all available locations together hold less than the line asks, nothing is allocated:
   :class:`NotEnoughStock` says how many units there are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


class Rule(StrEnum):
    NEAREST = "nearest"
    SPLIT = "split"


class ShipTo(NamedTuple):
    """Where the goods go: ISO country code and, when known, WGS 84 degrees. A plain tuple
    ``("DE", 52.52, 13.40)`` is accepted wherever a ShipTo is."""

    country: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """One location's stock of the variant being allocated."""

    location_id: int
    name: str
    available: int
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    is_available: bool = True


@dataclass(frozen=True, slots=True)
class Pick:
    location_id: int
    name: str
    quantity: int
    distance_km: float | None


@dataclass(frozen=True, slots=True)
class Decision:
    picks: tuple[Pick, ...]
    rule: Rule
    reason: str

    @property
    def quantity(self) -> int:
        return sum(pick.quantity for pick in self.picks)


class NotEnoughStock(Exception):
    """All available locations together hold fewer units than the line asks for."""

    def __init__(self, requested: int, available: int) -> None:
        super().__init__(f"{requested} requested, {available} available")
        self.requested = requested
        self.available = available


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two WGS 84 points in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _distance(source: Source, ship_to: ShipTo | None) -> float | None:
    if ship_to is None or ship_to.latitude is None or ship_to.longitude is None:
        return None
    if source.latitude is None or source.longitude is None:
        return None
    return haversine_km(
        float(ship_to.latitude),
        float(ship_to.longitude),
        float(source.latitude),
        float(source.longitude),
    )


def _where(name: str, distance: float | None) -> str:
    return name if distance is None else f"{name}, {distance:.0f} km"


def rank(sources: list[Source], ship_to: ShipTo | None) -> list[tuple[Source, float | None]]:
    """Every source with its distance in km (None when unknown), nearest first (rule 2)."""
    country = (ship_to.country if ship_to else "").upper()
    return sorted(
        ((source, _distance(source, ship_to)) for source in sources),
        key=lambda pair: (
            pair[1] is None,
            pair[1] or 0.0,
            pair[0].country.upper() != country,
            pair[0].location_id,
        ),
    )


def allocate(sources: list[Source], quantity: int, ship_to: ShipTo | None = None) -> Decision:
    """Decides which locations ship ``quantity`` units (see the module docstring for the rule).

    Guarantees: the picks add up to exactly ``quantity``; no pick exceeds its location's
    availability; an unavailable location is never picked; one location is used whenever one
    can ship the whole line. Raises :class:`NotEnoughStock` otherwise.
    """
    if quantity <= 0:
        raise ValueError(f"quantity must be positive, not {quantity}")
    ranked = rank(sources, ship_to)
    usable = [(s, d) for s, d in ranked if s.is_available and s.available > 0]
    total = sum(s.available for s, _ in usable)
    if total < quantity:
        raise NotEnoughStock(quantity, total)

    whole = next(((s, d) for s, d in usable if s.available >= quantity), None)
    if whole is not None:
        chosen, rule = [whole], Rule.NEAREST
        reason = f"nearest location with enough stock: {_where(whole[0].name, whole[1])}"
    else:
        chosen, rule = _fewest_nearest(usable, quantity), Rule.SPLIT
        reason = f"split: no single location had {quantity}"
    picks, remaining = [], quantity
    for source, distance in chosen:
        take = min(source.available, remaining)
        picks.append(Pick(source.location_id, source.name, take, distance))
        remaining -= take
    if rule is Rule.SPLIT:
        reason += "; " + ", ".join(
            f"{p.quantity} from {_where(p.name, p.distance_km)}" for p in picks
        )

    # Say which locations would have been chosen (nearer, with stock) but are marked unavailable.
    farthest = [s.location_id for s, _ in ranked].index(chosen[-1][0].location_id)
    skipped = [s.name for s, _ in ranked[:farthest] if not s.is_available and s.available > 0]
    if skipped:
        reason += "; skipped " + ", ".join(f"{name}: unavailable" for name in skipped)
    return Decision(tuple(picks), rule, reason)


def _fewest_nearest(
    usable: list[tuple[Source, float | None]], quantity: int
) -> list[tuple[Source, float | None]]:
    """The smallest set of locations that together hold ``quantity``; among sets of that size,
    the one whose farthest location is nearest, then the one with the nearer locations.

    The size comes from taking the largest stocks first; the reach is the shortest nearest-first
    prefix in which that many locations suffice. Within it the set is built nearest first: a
    location joins when the stock still needed can be covered by it plus the largest stocks
    ranked after it, within the size. That greedy choice never has to undo itself.
    """

    def top(pairs: list[tuple[Source, float | None]], count: int) -> int:
        return sum(sorted((s.available for s, _ in pairs), reverse=True)[:count])

    size = next(n for n in range(1, len(usable) + 1) if top(usable, n) >= quantity)
    reach = next(n for n in range(size, len(usable) + 1) if top(usable[:n], size) >= quantity)
    candidates = usable[:reach]
    chosen: list[tuple[Source, float | None]] = []
    need, start = quantity, 0
    while need > 0:
        slots = size - len(chosen) - 1
        for index in range(start, len(candidates)):
            source = candidates[index][0]
            if source.available + top(candidates[index + 1 :], slots) >= need:
                chosen.append(candidates[index])
                need -= source.available
                start = index + 1
                break
    return chosen
