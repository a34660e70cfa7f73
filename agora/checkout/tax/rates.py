"""Agora's own table of VAT rates: the period in force per country (EU member states and GB).

Source: ibericode/vat-rates, file ``vat-rates.json``, commit 5abb1e1 (2025-08-12), MIT licence,
https://github.com/ibericode/vat-rates (a copy is kept outside this repository in
``../shared/data/tax/``; see its README). These are facts; this module restates the current
period of each country in our own shape, and :mod:`agora.checkout.tax.source` reads the file
itself when it is present, so this table is only the fallback. ``tests/checkout/test_tax_source``
cross-checks the two.

Shape: a rate category maps to a percent as a ``Decimal``. The source's ``reduced1`` is our
``reduced`` (the lower reduced rate), ``reduced2`` stays ``reduced2``; ``super_reduced`` and
``parking`` keep their names, and a country-specific rate (Estonia's ``press_publications``)
keeps its own. ``effective_from`` 0001-01-01 stands for the source's "0000-01-01" (in force
since before the source's records). Postcode exceptions are regular expressions matched against
the whole postcode (spaces removed): territories outside the EU VAT area (rate 0, e.g. the
Canary Islands, Heligoland, Büsingen, Mount Athos, Ceuta and Melilla) and territories with their
own standard rate (Madeira, the Azores, the French overseas departments, Jungholz).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

STANDARD = "standard"
CATEGORIES = ("standard", "reduced", "reduced2", "super_reduced", "parking")
SOURCE_NAME = "ibericode/vat-rates vat-rates.json @ 5abb1e1 (MIT)"

# Member states of the EU VAT area (ISO 3166 codes; Greece is GR here, EL only in VAT ids).
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


@dataclass(frozen=True, slots=True)
class PostcodeException:
    """A territory inside a country whose postcodes carry another standard rate."""

    name: str
    pattern: str
    standard: Decimal

    def matches(self, postcode: str) -> bool:
        return bool(postcode) and re.fullmatch(self.pattern, postcode) is not None


@dataclass(frozen=True, slots=True)
class CountryRates:
    country: str
    effective_from: date
    rates: Mapping[str, Decimal]
    exceptions: tuple[PostcodeException, ...] = ()

    def exception_for(self, postcode: str) -> PostcodeException | None:
        compact = normalize_postcode(postcode)
        return next((e for e in self.exceptions if e.matches(compact)), None)


RateTable = Mapping[str, CountryRates]


def normalize_postcode(postcode: str) -> str:
    """Upper case without spaces or dashes, the form the exception patterns are written for."""
    return re.sub(r"[\s-]", "", postcode or "").upper()


def _country(
    country: str,
    effective_from: str,
    rates: dict[str, str],
    exceptions: tuple[tuple[str, str, str], ...],
) -> CountryRates:
    return CountryRates(
        country=country,
        effective_from=date.fromisoformat(effective_from),
        rates=MappingProxyType({k: Decimal(v) for k, v in rates.items()}),
        exceptions=tuple(PostcodeException(n, p, Decimal(r)) for n, p, r in exceptions),
    )


BUILTIN: RateTable = MappingProxyType(
    {
        "AT": _country(
            "AT",
            "2016-01-01",
            {"standard": "20", "reduced": "10", "reduced2": "13", "parking": "13"},
            (
                ("Jungholz", r"6691", "19"),
                ("Mittelberg", r"699[123]", "19"),
            ),
        ),
        "BE": _country(
            "BE",
            "0001-01-01",
            {"standard": "21", "reduced": "6", "reduced2": "12", "parking": "12"},
            (),
        ),
        "BG": _country(
            "BG",
            "0001-01-01",
            {"standard": "20", "reduced": "9"},
            (),
        ),
        "CY": _country(
            "CY",
            "0001-01-01",
            {"standard": "19", "reduced": "5", "reduced2": "9"},
            (),
        ),
        "CZ": _country(
            "CZ",
            "2024-01-01",
            {"standard": "21", "reduced": "12"},
            (),
        ),
        "DE": _country(
            "DE",
            "2021-01-01",
            {"standard": "19", "reduced": "7"},
            (
                ("Büsingen am Hochrhein", r"78266", "0"),
                ("Heligoland", r"27498", "0"),
            ),
        ),
        "DK": _country(
            "DK",
            "0001-01-01",
            {"standard": "25"},
            (),
        ),
        "EE": _country(
            "EE",
            "2025-07-01",
            {"standard": "24", "reduced": "13", "press_publications": "9"},
            (),
        ),
        "ES": _country(
            "ES",
            "0001-01-01",
            {"standard": "21", "reduced": "10", "super_reduced": "4"},
            (
                ("Canary Islands", r"(35\d{3}|38\d{3})", "0"),
                ("Ceuta", r"(5100[1-5]|5107[0-1]|51081)", "0"),
                ("Melilla", r"(5200[0-6]|5207[0-1]|52081)", "0"),
            ),
        ),
        "FI": _country(
            "FI",
            "2024-09-01",
            {"standard": "25.5", "reduced": "10", "reduced2": "14"},
            (),
        ),
        "FR": _country(
            "FR",
            "2014-01-01",
            {"standard": "20", "reduced": "5.5", "reduced2": "10", "super_reduced": "2.1"},
            (
                ("Guadeloupe", r"971\d{2,}", "8.5"),
                ("Martinique", r"972\d{2,}", "8.5"),
                ("Guyane", r"973\d{2,}", "0"),
                ("Reunion", r"974\d{2,}", "8.5"),
                ("Mayotte", r"976\d{2,}", "0"),
            ),
        ),
        "GB": _country(
            "GB",
            "2011-01-04",
            {"standard": "20", "reduced": "5"},
            (),
        ),
        "GR": _country(
            "GR",
            "2016-06-01",
            {"standard": "24", "reduced": "6", "reduced2": "13"},
            (("Mount Athos", r"63086", "0"),),
        ),
        "HR": _country(
            "HR",
            "0001-01-01",
            {"standard": "25", "reduced": "5", "reduced2": "13"},
            (),
        ),
        "HU": _country(
            "HU",
            "0001-01-01",
            {"standard": "27", "reduced": "5", "reduced2": "18"},
            (),
        ),
        "IE": _country(
            "IE",
            "2021-03-01",
            {
                "standard": "23",
                "reduced": "9",
                "reduced2": "13.5",
                "super_reduced": "4.8",
                "parking": "13.5",
            },
            (),
        ),
        "IT": _country(
            "IT",
            "0001-01-01",
            {"standard": "22", "reduced": "5", "reduced2": "10", "super_reduced": "4"},
            (
                ("Campione d'Italia", r"22061", "0"),
                ("Livigno", r"23041", "0"),
            ),
        ),
        "LT": _country(
            "LT",
            "0001-01-01",
            {"standard": "21", "reduced": "5", "reduced2": "9"},
            (),
        ),
        "LU": _country(
            "LU",
            "2024-01-01",
            {"standard": "17", "reduced": "8", "super_reduced": "3", "parking": "14"},
            (),
        ),
        "LV": _country(
            "LV",
            "0001-01-01",
            {"standard": "21", "reduced": "5", "reduced2": "12"},
            (),
        ),
        "MT": _country(
            "MT",
            "0001-01-01",
            {"standard": "18", "reduced": "5", "reduced2": "7"},
            (),
        ),
        "NL": _country(
            "NL",
            "2019-01-01",
            {"standard": "21", "reduced": "9"},
            (),
        ),
        "PL": _country(
            "PL",
            "0001-01-01",
            {"standard": "23", "reduced": "5", "reduced2": "8"},
            (),
        ),
        "PT": _country(
            "PT",
            "0001-01-01",
            {"standard": "23", "reduced": "6", "reduced2": "13", "parking": "13"},
            (
                ("Madeira", r"9[0-4]\d{2,}", "22"),
                ("Azores", r"9[5-9]\d{2,}", "18"),
            ),
        ),
        "RO": _country(
            "RO",
            "2025-08-01",
            {"standard": "21", "reduced": "11"},
            (),
        ),
        "SE": _country(
            "SE",
            "0001-01-01",
            {"standard": "25", "reduced": "6", "reduced2": "12"},
            (),
        ),
        "SI": _country(
            "SI",
            "0001-01-01",
            {"standard": "22", "reduced": "5", "reduced2": "9.5"},
            (),
        ),
        "SK": _country(
            "SK",
            "2025-01-01",
            {"standard": "23", "reduced": "5", "reduced2": "19"},
            (),
        ),
    }
)
