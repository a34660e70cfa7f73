"""Pure VAT computation: rules, rounding, and properties (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agora.checkout.tax.compute import REVERSE_CHARGE_NOTE, TaxLine, compute_tax, line_tax
from agora.checkout.tax.rates import BUILTIN
from agora.core.errors import AgoraError

VALID_AT_VAT = "ATU13585627"  # python-stdnum's documented example
VALID_NL_VAT = "NL004495445B01"


def tax(lines, **kw):  # type: ignore[no-untyped-def]
    args = dict(
        currency="EUR", seller_country="DE", country="DE", prices_include_tax=False, table=BUILTIN
    )
    args.update(kw)
    return compute_tax(lines=lines, **args)


def test_exclusive_german_standard_and_reduced() -> None:
    result = tax([TaxLine("a", 1000, 2), TaxLine("b", 999, 1, "reduced")])
    assert [(line.net_minor, line.tax_minor, line.gross_minor) for line in result.lines] == [
        (2000, 380, 2380),
        (999, 70, 1069),  # 69.93 → 70
    ]
    assert (result.net_minor, result.tax_minor, result.gross_minor) == (2999, 450, 3449)
    assert result.regime == "destination"
    assert result.by_rate == {"19": 380, "7": 70}


def test_inclusive_french_price_extracts_vat() -> None:
    result = tax([TaxLine("a", 1200, 1)], country="FR", prices_include_tax=True)
    assert (result.net_minor, result.tax_minor, result.gross_minor) == (1000, 200, 1200)


def test_rounding_is_half_even_once_per_line() -> None:
    # 250 * 10 % = 25.0 minor; 5 * 10 % = 0.5 → 0 (half to even), 15 * 10 % = 1.5 → 2
    assert (
        line_tax(amount_minor=5, rate=Decimal(10), currency="EUR", prices_include_tax=False)[1] == 0
    )
    assert (
        line_tax(amount_minor=15, rate=Decimal(10), currency="EUR", prices_include_tax=False)[1]
        == 2
    )
    # zero-decimal currency: minor unit = major unit
    assert (
        line_tax(amount_minor=1000, rate=Decimal(10), currency="JPY", prices_include_tax=False)[1]
        == 100
    )


def test_category_missing_in_country_uses_standard() -> None:
    result = tax([TaxLine("a", 1000, 1, "reduced")], country="DK")
    assert result.lines[0].rate == Decimal(25)


def test_unknown_category_is_refused_naming_the_line() -> None:
    with pytest.raises(AgoraError) as exc:
        tax([TaxLine("a", 1000, 1, "luxury")])
    assert exc.value.errors[0].field == "lines[0].category"


@pytest.mark.parametrize(
    ("country", "postcode"),
    [
        ("ES", "35001"),
        ("ES", "38 001"),
        ("ES", "51001"),
        ("ES", "52000"),
        ("DE", "27498"),
        ("DE", "78266"),
        ("GR", "63086"),
        ("IT", "23041"),
        ("FR", "97300"),
    ],
)
def test_territories_outside_the_vat_area_are_exports(country: str, postcode: str) -> None:
    result = tax([TaxLine("a", 1000, 1)], country=country, postcode=postcode)
    assert result.tax_minor == 0 and result.regime == "export"


def test_territory_with_its_own_standard_rate() -> None:
    madeira = tax(
        [TaxLine("a", 1000, 1), TaxLine("b", 1000, 1, "reduced")], country="PT", postcode="9000-001"
    )
    assert [line.rate for line in madeira.lines] == [Decimal(22), Decimal(6)]
    mainland = tax([TaxLine("a", 1000, 1)], country="PT", postcode="1000-001")
    assert mainland.lines[0].rate == Decimal(23)


@pytest.mark.parametrize("country", ["US", "CN", "CH", "NO"])
def test_outside_the_eu_is_an_export(country: str) -> None:
    result = tax([TaxLine("a", 1000, 3)], country=country, prices_include_tax=True)
    assert (result.tax_minor, result.gross_minor, result.regime) == (0, 3000, "export")


def test_gb_destination_uses_gb_vat() -> None:
    result = tax([TaxLine("a", 1000, 1)], country="GB", currency="GBP")
    assert (result.tax_minor, result.regime) == (200, "gb")


def test_reverse_charge_for_a_business_in_another_member_state() -> None:
    result = tax([TaxLine("a", 1000, 1)], country="AT", buyer_vat_id=VALID_AT_VAT)
    assert result.tax_minor == 0 and result.regime == "reverse_charge"
    assert REVERSE_CHARGE_NOTE in result.notes and result.buyer_vat_id == VALID_AT_VAT


def test_no_reverse_charge_for_a_business_in_the_sellers_country() -> None:
    result = tax(
        [TaxLine("a", 1000, 1)], country="AT", seller_country="AT", buyer_vat_id=VALID_AT_VAT
    )
    assert result.tax_minor == 200 and result.regime == "destination"


def test_invalid_vat_id_is_refused_naming_it() -> None:
    with pytest.raises(AgoraError) as exc:
        tax([TaxLine("a", 1000, 1)], country="AT", buyer_vat_id="ATU00000000")
    assert exc.value.errors[0].field == "vat_id"


COUNTRIES = st.sampled_from(sorted(BUILTIN))
LINES = st.lists(
    st.builds(
        TaxLine,
        key=st.just("x"),
        unit_price_minor=st.integers(0, 10**9),
        quantity=st.integers(1, 999),
        category=st.sampled_from(["standard", "reduced", "super_reduced", "parking"]),
    ),
    min_size=1,
    max_size=8,
)


@given(lines=LINES, country=COUNTRIES, inclusive=st.booleans())
def test_totals_are_the_sum_of_lines_and_never_negative(lines, country, inclusive) -> None:  # type: ignore[no-untyped-def]
    result = tax(
        lines,
        country=country,
        prices_include_tax=inclusive,
        currency="GBP" if country == "GB" else "EUR",
    )
    assert result.net_minor == sum(line.net_minor for line in result.lines)
    assert result.tax_minor == sum(line.tax_minor for line in result.lines)
    assert result.gross_minor == sum(line.gross_minor for line in result.lines)
    for line, taxed in zip(lines, result.lines, strict=True):
        assert taxed.tax_minor >= 0 and taxed.net_minor >= 0
        assert taxed.net_minor + taxed.tax_minor == taxed.gross_minor
        expected = line.unit_price_minor * line.quantity
        assert (taxed.gross_minor if inclusive else taxed.net_minor) == expected


@given(
    net=st.integers(0, 10**12),
    country=COUNTRIES,
    category=st.sampled_from(["standard", "reduced", "reduced2", "super_reduced"]),
)
def test_inclusive_and_exclusive_agree_within_one_minor_unit(net, country, category) -> None:  # type: ignore[no-untyped-def]
    exclusive = tax([TaxLine("x", net, 1, category)], country=country)
    inclusive = tax(
        [TaxLine("x", exclusive.gross_minor, 1, category)], country=country, prices_include_tax=True
    )
    assert abs(exclusive.tax_minor - inclusive.tax_minor) <= 1
    assert abs(exclusive.net_minor - inclusive.net_minor) <= 1


@given(
    lines=LINES,
    inclusive=st.booleans(),
    country=st.sampled_from(sorted(set(BUILTIN) - {"AT", "GB"})),
)
def test_reverse_charge_is_always_zero_tax(lines, inclusive, country) -> None:  # type: ignore[no-untyped-def]
    result = tax(lines, country=country, prices_include_tax=inclusive, buyer_vat_id=VALID_NL_VAT)
    assert result.tax_minor == 0 and result.regime == "reverse_charge"
    assert all(line.tax_minor == 0 for line in result.lines)
