"""The price rule (months then days), the late fee and the deposit split, without a database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agora.circular.rental.pricing import (
    PricingError,
    add_months,
    deposit_split,
    late_days,
    quote,
    whole_months,
)

starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
lengths = st.integers(min_value=1, max_value=800)
prices = st.integers(min_value=0, max_value=100_000)


def test_worked_examples():
    # 1 March + 1 month = 1 April; 4 days left: 4 x 15.00 = 60.00 < 200.00 a month
    q = quote(
        start=date(2026, 3, 1), end=date(2026, 4, 5), per_day_minor=1500, per_month_minor=20000
    )
    assert (q.months, q.days, q.rent_minor) == (1, 4, 20000 + 6000)
    # 20 extra days would cost 300.00 by the day: capped at one month
    q = quote(
        start=date(2026, 3, 1), end=date(2026, 4, 21), per_day_minor=1500, per_month_minor=20000
    )
    assert (q.months, q.days, q.rent_minor) == (1, 20, 40000)
    # 31 January + 1 month is 28 February (the month's last day)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert whole_months(date(2026, 1, 31), date(2026, 2, 28)) == 1
    # day price only: every day; month price only: every started month
    q = quote(
        start=date(2026, 3, 1), end=date(2026, 4, 5), per_day_minor=1500, per_month_minor=None
    )
    assert (q.months, q.days, q.rent_minor) == (0, 35, 35 * 1500)
    q = quote(
        start=date(2026, 3, 1), end=date(2026, 4, 5), per_day_minor=None, per_month_minor=20000
    )
    assert (q.months, q.rent_minor) == (2, 40000)
    assert q.total_minor == q.rent_minor  # no deposit given


def test_refuses_bad_dates_and_offers():
    with pytest.raises(PricingError, match="must be after the start date"):
        quote(start=date(2026, 3, 2), end=date(2026, 3, 2), per_day_minor=1, per_month_minor=None)
    with pytest.raises(PricingError, match="neither a day nor a month price"):
        quote(
            start=date(2026, 3, 1), end=date(2026, 3, 2), per_day_minor=None, per_month_minor=None
        )


@given(starts, lengths)
def test_whole_months_is_the_largest_fitting(start, length):
    end = start + timedelta(days=length)
    months = whole_months(start, end)
    assert add_months(start, months) <= end < add_months(start, months + 1)


@given(starts, lengths, prices, prices)
def test_price_never_falls_as_the_end_moves_later(start, length, per_day, per_month):
    end = start + timedelta(days=length)
    a = quote(start=start, end=end, per_day_minor=per_day, per_month_minor=per_month)
    b = quote(
        start=start, end=end + timedelta(days=1), per_day_minor=per_day, per_month_minor=per_month
    )
    assert b.rent_minor >= a.rent_minor


@given(starts, lengths, prices, prices)
def test_months_then_days_is_never_dearer_than_days_or_started_months(
    start, length, per_day, per_month
):
    end = start + timedelta(days=length)
    both = quote(start=start, end=end, per_day_minor=per_day, per_month_minor=per_month)
    by_day = quote(start=start, end=end, per_day_minor=per_day, per_month_minor=None)
    by_month = quote(start=start, end=end, per_day_minor=None, per_month_minor=per_month)
    assert both.rent_minor <= by_month.rent_minor
    # whole months at the month price, plus the left-over days capped at one month
    assert both.rent_minor == both.months * per_month + min(both.days * per_day, per_month)
    assert both.rented_days == by_day.days == length
    assert add_months(start, both.months) + timedelta(days=both.days) == end


def test_late_days_count_from_the_due_day():
    due = date(2026, 3, 10)
    assert late_days(due=due, returned_on=date(2026, 3, 9)) == 0
    assert late_days(due=due, returned_on=due) == 0
    assert late_days(due=due, returned_on=date(2026, 3, 13)) == 3


@given(prices, prices, prices)
def test_deposit_split_keeps_at_most_the_deposit(deposit, late, damage):
    kept, released = deposit_split(deposit_minor=deposit, late_fee_minor=late, damage_minor=damage)
    assert kept + released == deposit
    assert kept == min(deposit, late + damage)
    assert released >= 0
