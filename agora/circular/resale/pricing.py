"""The resale price suggestion and the warranty we give by grade: pure functions, our policy.

Depreciation rule (documented policy, not a market model): a unit keeps
``100% - 1.5% per full month`` since its purchase, never less than a **floor of 20%** of the
original price (reached after 54 months); the grade then scales it: **A 100%, B 85%, C 70%**.
So the suggestion is at most the original price (a grade-A unit bought this month), falls as
the unit ages and as the grade worsens, and is never below 14% (20% x 70%) of the original.
All arithmetic is in integer minor units and basis points, rounded down; no floats.

Warranty by grade (our policy): A 12 months, B 6 months, C 3 months.
"""

from __future__ import annotations

from datetime import date

MONTHLY_DEPRECIATION_BPS = 150
FLOOR_BPS = 2000
GRADE_BPS = {"A": 10_000, "B": 8_500, "C": 7_000}
WARRANTY_MONTHS = {"A": 12, "B": 6, "C": 3}
GRADES = tuple(GRADE_BPS)


def check_grade(grade: str) -> str:
    """Returns the grade or raises ValueError naming the allowed ones."""
    if grade not in GRADE_BPS:
        raise ValueError(f"{grade!r} is not a grade; use one of {', '.join(GRADES)}")
    return grade


def age_in_months(purchased_on: date, on: date) -> int:
    """Full calendar months from ``purchased_on`` to ``on`` (0 when ``on`` is earlier)."""
    months = (on.year - purchased_on.year) * 12 + on.month - purchased_on.month
    if on.day < purchased_on.day:
        months -= 1
    return max(months, 0)


def suggest_price(*, original_minor: int, age_months: int, grade: str) -> int:
    """The suggested resale price in minor units (see the module's rule)."""
    if isinstance(original_minor, bool) or not isinstance(original_minor, int):
        raise TypeError("original_minor must be an int of minor units")
    if original_minor < 0 or age_months < 0:
        raise ValueError("the original price and the age must not be negative")
    kept_bps = max(FLOOR_BPS, 10_000 - MONTHLY_DEPRECIATION_BPS * age_months)
    return original_minor * kept_bps * GRADE_BPS[check_grade(grade)] // 100_000_000


def warranty_months(grade: str) -> int:
    return WARRANTY_MONTHS[check_grade(grade)]
