"""Where a parcel starts and ends, as points (pure).

Origin: the seller's stock location with coordinates; without one, the centre of its country.
Destination: the centre of the buyer's country (checkout knows the country and postcode, and we
geocode nothing). The country points are Google's DSPL canonical country centres (see
``factors/README.md``); a country missing from ``factors/countries.csv`` has no point, and the
delivery then shows no figure rather than a guess.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from agora.sustainability.delivery.calc import Point
from agora.sustainability.factors import HERE

COUNTRIES_FILE = HERE / "countries.csv"
COUNTRIES_SOURCE = "https://developers.google.com/public-data/docs/canonical/countries_csv"


@cache
def country_points(path: Path = COUNTRIES_FILE) -> dict[str, Point]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["country"].strip().upper(): Point(float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def country_point(code: str) -> Point | None:
    return country_points().get((code or "").strip().upper())
