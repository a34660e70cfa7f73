"""The categories of the released tables. They are fixed and public, never taken from the data:
listing a country only because a buyer shipped there would itself reveal that buyer."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

# fmt: off
EU = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
]
# fmt: on
EUROPE_OTHER = ["GB", "CH", "NO", "IS", "LI", "UA", "RS", "TR"]
ASIA = ["CN", "JP", "KR", "SG", "HK", "TW", "IN"]
AMERICAS = ["US", "CA", "MX", "BR"]
OTHER = "other"
COUNTRIES: list[str] = [*EU, *EUROPE_OTHER, *ASIA, *AMERICAS, OTHER]

REGIONS = {
    "eu": _("European Union"),
    "europe": _("Rest of Europe"),
    "asia": _("Asia"),
    "americas": _("Americas"),
    "other": _("Elsewhere or unknown"),
}
_REGION_OF = {
    **dict.fromkeys(EU, "eu"),
    **dict.fromkeys(EUROPE_OTHER, "europe"),
    **dict.fromkeys(ASIA, "asia"),
    **dict.fromkeys(AMERICAS, "americas"),
}


def country_cell(country: str) -> str:
    """The cell of an order's ship-to country (an ISO code; anything else is "other")."""
    code = (country or "").strip().upper()
    return code if code in _REGION_OF else OTHER


def region_of(cell: str) -> str:
    return _REGION_OF.get(cell, "other")


TENURE_BANDS = {
    "new": _("New customers (account under 30 days)"),
    "regular": _("Regular customers (30 days to a year)"),
    "loyal": _("Long-standing customers (over a year)"),
    "guest": _("Guests (no account)"),
}


def tenure_cell(joined: datetime | None, placed: datetime) -> str:
    """The buyer's tenure band when the order was placed (account age)."""
    if joined is None:
        return "guest"
    age = placed - joined
    if age < timedelta(days=30):
        return "new"
    if age <= timedelta(days=365):
        return "regular"
    return "loyal"
