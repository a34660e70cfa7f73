"""The packaging factor file: every row cited, and the loader refuses rows without a source."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agora.circular.packaging.factors import PackagingFactorError, load_factors, parse_factors

HEADER = "key,label,kg_co2e,unit,source\n"


def test_every_row_of_the_file_has_a_source_and_a_known_unit():
    factors = load_factors()
    assert {"single_use_plastic_mailer", "reusable_mailer_letter_return"} <= set(factors)
    for factor in factors.values():
        assert "repack.com" in factor.source.lower()
    assert factors["single_use_plastic_mailer"].kg_co2e == Decimal("0.200")
    assert factors["reusable_mailer_letter_return"].kg_co2e == Decimal("0.037")


def test_a_row_without_a_source_is_refused_naming_the_row():
    text = HEADER + 'box,"Box",0.1,kg CO2e/package,"a study"\nbag,"Bag",0.2,kg CO2e/package,\n'
    with pytest.raises(PackagingFactorError, match=r"row 3 \(bag\): no source"):
        parse_factors(text)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('bag,"Bag",-0.2,kg CO2e/package,"s"', "is not a kg CO2e figure"),
        ('bag,"Bag",lots,kg CO2e/package,"s"', "is not a kg CO2e figure"),
        ('bag,"Bag",0.2,kg CO2,"s"', "unit 'kg CO2' is not one of"),
        (',"Bag",0.2,kg CO2e/package,"s"', "no key"),
    ],
)
def test_bad_rows_are_refused(row, message):
    with pytest.raises(PackagingFactorError, match=message):
        parse_factors(HEADER + row + "\n")


def test_a_missing_column_is_refused():
    with pytest.raises(PackagingFactorError, match="missing column"):
        parse_factors("key,label,kg_co2e,unit\nbag,Bag,0.2,kg CO2e/package\n")
