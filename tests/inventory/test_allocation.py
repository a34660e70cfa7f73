"""The allocation rule as a pure function: no database, examples and hypothesis properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agora.inventory.allocation import (
    NotEnoughStock,
    Rule,
    ShipTo,
    Source,
    allocate,
    haversine_km,
    rank,
)

BERLIN = ShipTo("DE", 52.5200, 13.4050)
POTSDAM = (52.3906, 13.0645)
HAMBURG = (53.5511, 9.9937)
MUNICH = (48.1372, 11.5756)
LYON = (45.7640, 4.8357)


def _at(location_id: int, name: str, available: int, point, **kwargs) -> Source:  # type: ignore[no-untyped-def]
    return Source(location_id, name, available, "DE", point[0], point[1], **kwargs)


def test_haversine_matches_known_distances():
    assert haversine_km(52.52, 13.405, 48.1372, 11.5756) == pytest.approx(504, abs=2)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20015, abs=1)
    assert haversine_km(10, 10, 10, 10) == 0


def test_nearest_location_with_enough_stock_ships_the_whole_line():
    sources = [
        _at(1, "Munich warehouse", 50, MUNICH),
        _at(2, "Potsdam store", 2, POTSDAM),  # nearer, but cannot ship 5
        _at(3, "Hamburg warehouse", 9, HAMBURG),
    ]
    decision = allocate(sources, 5, BERLIN)
    assert decision.rule is Rule.NEAREST
    assert [(p.name, p.quantity) for p in decision.picks] == [("Hamburg warehouse", 5)]
    assert decision.reason == "nearest location with enough stock: Hamburg warehouse, 255 km"


def test_split_uses_the_fewest_locations_nearest_first():
    sources = [
        _at(1, "Potsdam store", 1, POTSDAM),
        _at(2, "Hamburg warehouse", 3, HAMBURG),
        _at(3, "Munich warehouse", 2, MUNICH),
        Source(4, "Lyon store", 4, "FR", *LYON),
    ]
    decision = allocate(sources, 5, BERLIN)
    assert decision.rule is Rule.SPLIT
    # Potsdam + Hamburg + Munich would be three; two suffice: Potsdam + Lyon reach to Lyon,
    # Hamburg + Munich only to Munich.
    assert [(p.name, p.quantity) for p in decision.picks] == [
        ("Hamburg warehouse", 3),
        ("Munich warehouse", 2),
    ]
    assert decision.reason == (
        "split: no single location had 5; 3 from Hamburg warehouse, 255 km, "
        "2 from Munich warehouse, 504 km"
    )


def test_unavailable_location_is_skipped_and_named():
    sources = [
        _at(1, "Potsdam store", 10, POTSDAM, is_available=False),
        _at(2, "Munich warehouse", 10, MUNICH),
    ]
    decision = allocate(sources, 4, BERLIN)
    assert [p.name for p in decision.picks] == ["Munich warehouse"]
    assert decision.reason.endswith("; skipped Potsdam store: unavailable")


def test_refuses_when_all_open_locations_together_hold_too_little():
    sources = [_at(1, "A", 2, POTSDAM), _at(2, "B", 9, MUNICH, is_available=False)]
    with pytest.raises(NotEnoughStock) as exc:
        allocate(sources, 3, BERLIN)
    assert (exc.value.requested, exc.value.available) == (3, 2)
    with pytest.raises(ValueError):
        allocate(sources, 0, BERLIN)


def test_without_coordinates_the_delivery_country_comes_first_then_location_order():
    sources = [
        Source(1, "Lyon store", 5, "FR"),
        Source(2, "Hamburg warehouse", 5, "DE"),
        Source(3, "Berlin warehouse", 5, "DE"),
    ]
    assert allocate(sources, 2, ShipTo("DE")).picks[0].name == "Hamburg warehouse"
    assert allocate(sources, 2, None).picks[0].name == "Lyon store"
    decision = allocate(sources, 2, ShipTo("FR"))
    assert decision.reason == "nearest location with enough stock: Lyon store"
    # a location with coordinates ranks before one without when the distance is known
    located = [Source(1, "Nowhere", 5, "DE"), _at(2, "Munich warehouse", 5, MUNICH)]
    assert allocate(located, 1, BERLIN).picks[0].name == "Munich warehouse"


# --- properties ---------------------------------------------------------------------------------

sources_strategy = st.lists(
    st.builds(
        Source,
        location_id=st.integers(1, 10_000),
        name=st.text(min_size=1, max_size=8),
        available=st.integers(0, 30),
        country=st.sampled_from(["DE", "FR", "PL"]),
        latitude=st.one_of(st.none(), st.floats(-90, 90)),
        longitude=st.one_of(st.none(), st.floats(-180, 180)),
        is_available=st.booleans(),
    ),
    max_size=8,
    unique_by=lambda source: source.location_id,
)
ship_to_strategy = st.one_of(
    st.none(),
    st.builds(
        ShipTo,
        st.sampled_from(["DE", "FR"]),
        st.one_of(st.none(), st.floats(-90, 90)),
        st.floats(-180, 180),
    ),
)


@given(sources=sources_strategy, quantity=st.integers(1, 60), ship_to=ship_to_strategy)
def test_allocation_properties(sources, quantity, ship_to):
    by_id = {source.location_id: source for source in sources}
    open_total = sum(s.available for s in sources if s.is_available)
    try:
        decision = allocate(sources, quantity, ship_to)
    except NotEnoughStock as short:
        # refuses only when the open locations really hold too little, and says how much they do
        assert open_total < quantity
        assert short.available == open_total
        return
    # exactly the requested quantity, each pick within its location's stock, open locations only
    assert decision.quantity == quantity
    assert all(0 < p.quantity <= by_id[p.location_id].available for p in decision.picks)
    assert all(by_id[p.location_id].is_available for p in decision.picks)
    assert len({p.location_id for p in decision.picks}) == len(decision.picks)
    # a single location whenever one can ship the whole line
    can_single = any(s.is_available and s.available >= quantity for s in sources)
    assert (decision.rule is Rule.NEAREST) == can_single
    assert (len(decision.picks) == 1) == can_single
    # a split uses the fewest locations possible
    largest = sorted((s.available for s in sources if s.is_available), reverse=True)
    fewest = next(n for n in range(1, len(largest) + 1) if sum(largest[:n]) >= quantity)
    assert len(decision.picks) == fewest
    assert decision.reason
    if decision.rule is Rule.SPLIT:
        # ... and reaches no farther down the nearest-first ranking than a split must
        ranking = [s.location_id for s, _ in rank(sources, ship_to)]
        usable = [s for s in sources if s.is_available and s.available > 0]
        reach = min(
            max(ranking.index(s.location_id) for s in combo)
            for combo in itertools.combinations(usable, fewest)
            if sum(s.available for s in combo) >= quantity
        )
        assert max(ranking.index(p.location_id) for p in decision.picks) == reach


@given(sources=sources_strategy, quantity=st.integers(1, 30))
def test_single_pick_is_the_nearest_that_can(sources, quantity):
    ship_to = BERLIN
    located = [s for s in sources if s.latitude is not None and s.longitude is not None]
    try:
        decision = allocate(located, quantity, ship_to)
    except NotEnoughStock:
        return
    if decision.rule is Rule.NEAREST:
        chosen = decision.picks[0]
        for source in located:
            if source.is_available and source.available >= quantity:
                distance = haversine_km(BERLIN[1], BERLIN[2], source.latitude, source.longitude)
                assert chosen.distance_km <= distance + 1e-9
