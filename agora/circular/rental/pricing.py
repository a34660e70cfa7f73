"""The rental price rules as pure functions over dates and integers (no ORM, no clock).

Dates are half-open ``[start, end)``: ``end`` is the day the unit is due back and is not rented
(see :mod:`agora.circular.models.rental`).

**Price for dates: whole calendar months first, then days.** From ``start``, count the whole
calendar months that fit before ``end`` (a month from 31 January is 28/29 February: the same day
of the month, or the month's last day when it has no such day); the days left over are charged by
the day. Per offer:

- day and month prices: ``months * month price + min(left days * day price, month price)``, so
  a few extra days never cost more than one more month;
- day price only: every rented day * day price (no months);
- month price only: every started month costs a whole month.

So the price never falls when the end date moves later (tested with hypothesis).

**Late fee**: the unit is due back on ``end``; each day it comes back after that costs the late
fee per day (returned on the due day: no fee).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


class PricingError(ValueError):
    """Dates or an offer the rules cannot price (the message names what is wrong)."""


@dataclass(frozen=True, slots=True)
class Quote:
    months: int  # whole calendar months charged at the month price
    days: int  # days charged at the day price (or capped at one month)
    rented_days: int  # end - start
    rent_minor: int
    deposit_minor: int

    @property
    def total_minor(self) -> int:
        """What the renter is charged when booking: the rent plus the deposit (both held)."""
        return self.rent_minor + self.deposit_minor


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole calendar months, clamped to the last day of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def whole_months(start: date, end: date) -> int:
    """The largest ``m`` with ``add_months(start, m) <= end``."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def quote(
    *,
    start: date,
    end: date,
    per_day_minor: int | None,
    per_month_minor: int | None,
    deposit_minor: int = 0,
) -> Quote:
    """The rent for ``[start, end)`` by the rule in the module docstring, plus the deposit."""
    if end <= start:
        raise PricingError(
            f"the end date {end.isoformat()} must be after the start date {start.isoformat()} "
            "(the end date is the day the unit is returned)"
        )
    if per_day_minor is None and per_month_minor is None:
        raise PricingError("the offer has neither a day nor a month price")
    for name, value in (("per day", per_day_minor), ("per month", per_month_minor)):
        if value is not None and value < 0:
            raise PricingError(f"the price {name} is negative ({value})")
    rented = (end - start).days
    if per_month_minor is None:
        assert per_day_minor is not None
        return Quote(0, rented, rented, rented * per_day_minor, deposit_minor)
    months = whole_months(start, end)
    left = (end - add_months(start, months)).days
    if per_day_minor is None:
        charged = months + (1 if left else 0)
        return Quote(charged, 0, rented, charged * per_month_minor, deposit_minor)
    rent = months * per_month_minor + min(left * per_day_minor, per_month_minor)
    return Quote(months, left, rented, rent, deposit_minor)


def late_days(*, due: date, returned_on: date) -> int:
    """Days the unit came back after its due day (the booking's end date)."""
    return max(0, (returned_on - due).days)


def deposit_split(*, deposit_minor: int, late_fee_minor: int, damage_minor: int) -> tuple[int, int]:
    """``(kept, released)``: late fees and damage are taken from the deposit, at most all of
    it; what the deposit cannot cover is not charged to the card again (the claim records it)."""
    if min(deposit_minor, late_fee_minor, damage_minor) < 0:
        raise PricingError("amounts must not be negative")
    kept = min(deposit_minor, late_fee_minor + damage_minor)
    return kept, deposit_minor - kept
