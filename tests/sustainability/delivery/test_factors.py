"""The factor files in the repository, and the loader refusing rows it cannot trust."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agora.sustainability.factors import (
    FACTOR_SCOPE,
    FACTOR_UNIT,
    FactorFileError,
    load_detours,
    load_factors,
    parse_detours,
    parse_factors,
)

HEADER = "mode,label,value,unit,scope,ttw,wtt,source\n"
GOOD = 'rail_freight,Rail,0.03470,kg CO2e/t.km,WTW,0.02779,0.00691,"DESNZ 2025, Freighting goods"\n'


def test_every_row_of_the_repository_file_has_a_source_unit_and_wtw_value():
    factors = load_factors()
    expected = {
        "van_diesel",
        "rigid_truck",
        "articulated_truck",
        "rail_freight",
        "air_short_haul",
        "air_long_haul",
        "sea_container",
    }
    assert set(factors) == expected
    for factor in factors.values():
        assert factor.value > 0 and factor.unit == FACTOR_UNIT and factor.scope == FACTOR_SCOPE
        assert "Conversion Factors" in factor.source and "2025" in factor.source
        assert factor.ttw is not None and factor.wtt is not None
        assert factor.ttw + factor.wtt == factor.value  # WTW = TTW + WTT, summed by us
    # the published figures (Freighting goods + WTT sheets of the 2025 workbook)
    assert factors["van_diesel"].value == Decimal("0.6313") + Decimal("0.15095")
    assert factors["rail_freight"].value == Decimal("0.02779") + Decimal("0.00691")
    # the ordering that makes a greener choice meaningful
    assert factors["articulated_truck"].value < factors["van_diesel"].value
    assert factors["sea_container"].value < factors["rail_freight"].value


def test_detour_factors_are_cited_and_sea_has_none():
    detours = load_detours()
    assert detours["van_diesel"].value == Decimal("1.4234")
    assert all(d.source and d.value >= 1 for d in detours.values())
    assert "sea_container" not in detours  # a sea leg needs its distance given


def test_a_good_row_loads():
    [factor] = parse_factors(HEADER + GOOD).values()
    assert factor.mode == "rail_freight" and factor.value == Decimal("0.03470")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "rail_freight,Rail,0.0347,kg CO2e/t.km,WTW,,,\n",
            "row 2 (mode 'rail_freight'): no source",
        ),
        ("rail_freight,Rail,0.0347,,WTW,,,DESNZ\n", "row 2 (mode 'rail_freight'): no unit"),
        ("rail_freight,Rail,0.0347,kg CO2/km,WTW,,,DESNZ\n", "unit 'kg CO2/km' is not"),
        ("rail_freight,Rail,0,kg CO2e/t.km,WTW,,,DESNZ\n", "value 0 must be a positive number"),
        ("rail_freight,Rail,-1,kg CO2e/t.km,WTW,,,DESNZ\n", "value -1 must be a positive number"),
        ("rail_freight,Rail,lots,kg CO2e/t.km,WTW,,,DESNZ\n", "value 'lots' is not a number"),
        ("rail_freight,Rail,,kg CO2e/t.km,WTW,,,DESNZ\n", "row 2 (mode 'rail_freight'): no value"),
        ("rail_freight,Rail,0.0347,kg CO2e/t.km,TTW,,,DESNZ\n", "scope 'TTW' is not 'WTW'"),
        ("rail_freight,Rail,0.04,kg CO2e/t.km,WTW,0.02779,0.00691,DESNZ\n", "is not the value"),
        (",Rail,0.0347,kg CO2e/t.km,WTW,,,DESNZ\n", "row 2: no mode"),
    ],
)
def test_a_bad_row_is_refused_naming_the_row(row, message):
    with pytest.raises(FactorFileError) as caught:
        parse_factors(HEADER + row, name="freight.csv")
    assert message in str(caught.value)
    assert "freight.csv" in str(caught.value)


def test_the_first_bad_row_is_named_after_good_ones():
    bad = "air_short_haul,Air,0.96,kg CO2e/t.km,WTW,,,\n"
    with pytest.raises(FactorFileError, match=r"row 3 \(mode 'air_short_haul'\): no source"):
        parse_factors(HEADER + GOOD + bad)


def test_a_mode_twice_and_a_missing_column_are_refused():
    with pytest.raises(FactorFileError, match="appears twice"):
        parse_factors(HEADER + GOOD + GOOD)
    with pytest.raises(FactorFileError, match="missing column"):
        parse_factors("mode,value,unit\nrail,1,kg CO2e/t.km\n")
    with pytest.raises(FactorFileError, match="no factor rows"):
        parse_factors(HEADER)


def test_a_detour_below_one_or_without_source_is_refused():
    head = "mode,value,unit,source\n"
    with pytest.raises(FactorFileError, match=r"row 2 \(mode 'van_diesel'\): detour factor 0.9"):
        parse_detours(head + "van_diesel,0.9,ratio,Somebody 2015\n")
    with pytest.raises(FactorFileError, match=r"row 2 \(mode 'van_diesel'\): no source"):
        parse_detours(head + "van_diesel,1.4,ratio,\n")
