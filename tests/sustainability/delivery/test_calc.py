"""The arithmetic: great circle, detour, per leg and per shipment, one rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agora.sustainability.delivery.calc import (
    FootprintError,
    LegPlan,
    Point,
    great_circle_km,
    shipment_footprint,
)
from agora.sustainability.delivery.modes import inferred_legs
from agora.sustainability.factors import load_detours, load_factors

FACTORS = load_factors()
DETOURS = load_detours()


def test_one_degree_along_the_equator_is_the_mean_radius_arc():
    # 2 * pi * 6371.0088 km / 360 = 111.19508 km
    assert great_circle_km(Point(0, 0), Point(0, 1)) == Decimal("111.195")
    assert great_circle_km(Point(10, 20), Point(10, 20)) == Decimal("0.000")
    assert great_circle_km(Point(0, 0), Point(0, 1)) == great_circle_km(Point(0, 1), Point(0, 0))


def test_a_documented_shipment_recomputed_by_hand():
    """A 2.5 kg parcel goes 800 km by rail freight and then 50 km by diesel van (distances
    given, so no detour factor applies).

    Factors (freight.csv, UK Government GHG Conversion Factors for Company Reporting 2025,
    DESNZ/Defra, well-to-wheel = sheet "Freighting goods" + sheet "WTT- delivery vehs & freight"):
      rail_freight: 0.02779 + 0.00691 = 0.03470 kg CO2e/t.km
                    (rows 27_315_3151_14_1 + 28_911_3151_14_1)
      van_diesel:   0.6313  + 0.15095 = 0.78225 kg CO2e/t.km
                    (rows 27_303_3102_14_1 + 28_906_3102_14_1)

    weight = 2.5 kg = 0.0025 t
    rail:  800 km x 0.0025 t x 0.03470 = 0.0694     kg CO2e
    van:    50 km x 0.0025 t x 0.78225 = 0.09778125 kg CO2e
    total: 0.0694 + 0.09778125         = 0.16718125 kg CO2e -> rounded half up to the gram: 0.167
    """
    result = shipment_footprint(
        legs=[
            LegPlan("rail_freight", distance_km=Decimal(800)),
            LegPlan("van_diesel", distance_km=Decimal(50)),
        ],
        weight_grams=2500,
        factors=FACTORS,
        detours=DETOURS,
    )
    rail, van = result.legs
    assert rail.kg_co2e == Decimal("0.0694")
    assert van.kg_co2e == Decimal("0.09778125")
    assert (rail.rounded(), van.rounded()) == (Decimal("0.069"), Decimal("0.098"))
    assert result.kg_co2e == Decimal("0.167")
    assert result.distance_km == Decimal(850) and result.weight_t == Decimal("0.0025")
    assert len(result.sources) == 2 and all("2025" in s for s in result.sources)


def test_coordinates_use_the_great_circle_times_the_modes_detour():
    """1 kg by van over one degree of the equator: 111.195 km x 1.4234 (road detour, median
    routed/straight ratio over 100 km, Swiss microcensus 2015) = 158.2749630 km;
    x 0.001 t x 0.78225 = 0.12381309... kg -> 0.124 kg."""
    result = shipment_footprint(
        legs=[LegPlan("van_diesel")],
        weight_grams=1000,
        factors=FACTORS,
        detours=DETOURS,
        origin=Point(0, 0),
        destination=Point(0, 1),
    )
    assert result.distance_km == Decimal("111.195") * Decimal("1.4234")
    assert result.kg_co2e == Decimal("0.124")


def test_shares_split_the_door_to_door_distance():
    result = shipment_footprint(
        legs=[
            LegPlan("rail_freight", share=Decimal("0.9")),
            LegPlan("van_diesel", share=Decimal("0.1")),
        ],
        weight_grams=1000,
        factors=FACTORS,
        detours=DETOURS,
        origin=Point(0, 0),
        destination=Point(0, 1),
    )
    rail, van = result.legs
    assert rail.distance_km == Decimal("111.195") * Decimal("0.9") * Decimal("1.2569")
    assert van.distance_km == Decimal("111.195") * Decimal("0.1") * Decimal("1.4234")


def test_the_pick_up_point_is_lower_carbon_than_the_van_on_the_same_route():
    args = dict(
        weight_grams=1500,
        factors=FACTORS,
        detours=DETOURS,
        origin=Point(53.54, 9.99),
        destination=Point(51.17, 10.45),
    )
    van = shipment_footprint(legs=inferred_legs(name="Standard", carrier_code="dhl"), **args)
    pickup = shipment_footprint(
        legs=inferred_legs(name="Pick-up point", carrier_code="dhl"), **args
    )
    assert pickup.legs[0].mode == "articulated_truck" and van.legs[0].mode == "van_diesel"
    assert pickup.kg_co2e < van.kg_co2e


def test_rounding_is_half_up_to_the_gram():
    # 1 km x 0.001 t x 0.78225 = 0.00078225 -> 0.001; 0.5 km -> 0.000391125 -> 0.000
    one = shipment_footprint(
        legs=[LegPlan("van_diesel", distance_km=Decimal(1))],
        weight_grams=1000,
        factors=FACTORS,
        detours=DETOURS,
    )
    half = shipment_footprint(
        legs=[LegPlan("van_diesel", distance_km=Decimal("0.5"))],
        weight_grams=1000,
        factors=FACTORS,
        detours=DETOURS,
    )
    assert (one.kg_co2e, half.kg_co2e) == (Decimal("0.001"), Decimal("0.000"))


@pytest.mark.parametrize(
    ("legs", "grams", "message"),
    [
        ([LegPlan("sea_container")], 1000, "no detour factor for this mode"),
        (
            [LegPlan("teleport", distance_km=Decimal(1))],
            1000,
            "no emission factor for mode 'teleport'",
        ),
        ([LegPlan("van_diesel", share=Decimal("0.5"))], 1000, "shares add up to 0.5"),
        ([LegPlan("van_diesel", distance_km=Decimal(-3))], 1000, "is negative"),
        ([LegPlan("van_diesel")], 0, "a parcel of 0 g"),
        ([], 1000, "at least one leg"),
    ],
)
def test_what_cannot_be_computed_says_why(legs, grams, message):
    with pytest.raises(FootprintError, match=message):
        shipment_footprint(
            legs=legs,
            weight_grams=grams,
            factors=FACTORS,
            detours=DETOURS,
            origin=Point(0, 0),
            destination=Point(0, 1),
        )


@pytest.mark.parametrize(
    ("name", "carrier", "mode"),
    [
        ("Standard", "dhl", "van_diesel"),
        ("Express", "ups", "van_diesel"),
        ("Pick-up point", "dhl", "articulated_truck"),
        ("Paketshop / parcel shop", "dpd", "articulated_truck"),
        ("Locker delivery", "inpost", "articulated_truck"),
        ("Rail economy", "db", "rail_freight"),
        ("Air freight", "dhl", "air_short_haul"),
        ("Repair service", "own-courier", "van_diesel"),  # "air" inside a word is not air
    ],
)
def test_the_default_legs_inferred_from_a_methods_name(name, carrier, mode):
    assert [leg.mode for leg in inferred_legs(name=name, carrier_code=carrier)] == [mode]
