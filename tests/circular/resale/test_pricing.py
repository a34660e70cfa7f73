"""The resale price suggestion and warranty: the documented rule by hand, and its properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agora.circular.resale.pricing import (
    GRADES,
    age_in_months,
    suggest_price,
    warranty_months,
)

prices = st.integers(min_value=0, max_value=10**12)
ages = st.integers(min_value=0, max_value=600)
grades = st.sampled_from(GRADES)


def test_the_rule_by_hand():
    # 10 months: 100% - 10 x 1.5% = 85%; grade B keeps 85% of that: 100.00 x 0.85 x 0.85
    assert suggest_price(original_minor=10_000, age_months=10, grade="B") == 7_225
    assert suggest_price(original_minor=10_000, age_months=0, grade="A") == 10_000
    # the floor: 20% of the original after 54 months, whatever the age, times the grade
    assert suggest_price(original_minor=10_000, age_months=54, grade="A") == 2_000
    assert suggest_price(original_minor=10_000, age_months=300, grade="C") == 1_400
    assert suggest_price(original_minor=999, age_months=1, grade="C") == 688  # 688.81 rounded down


def test_warranty_by_grade_and_bad_grades():
    assert [warranty_months(g) for g in "ABC"] == [12, 6, 3]
    for bad in ("D", "a", "", "AB"):
        with pytest.raises(ValueError, match="not a grade"):
            suggest_price(original_minor=1000, age_months=1, grade=bad)
    with pytest.raises(TypeError):
        suggest_price(original_minor=10.0, age_months=1, grade="A")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        suggest_price(original_minor=-1, age_months=1, grade="A")


def test_age_counts_full_months():
    assert age_in_months(date(2025, 3, 10), date(2025, 4, 9)) == 0
    assert age_in_months(date(2025, 3, 10), date(2025, 4, 10)) == 1
    assert age_in_months(date(2025, 3, 31), date(2026, 3, 30)) == 11
    assert age_in_months(date(2025, 3, 10), date(2025, 1, 1)) == 0


@given(prices, ages, grades)
def test_never_above_the_original_and_never_below_the_floor(original, age, grade):
    price = suggest_price(original_minor=original, age_months=age, grade=grade)
    assert isinstance(price, int)
    assert original * 14 // 100 <= price <= original


@given(prices, ages, ages, grades)
def test_older_is_never_dearer(original, age, other, grade):
    young, old = sorted((age, other))
    assert suggest_price(original_minor=original, age_months=old, grade=grade) <= suggest_price(
        original_minor=original, age_months=young, grade=grade
    )


@given(prices, ages)
def test_a_better_grade_is_never_cheaper(original, age):
    a, b, c = (suggest_price(original_minor=original, age_months=age, grade=g) for g in "ABC")
    assert a >= b >= c
