"""The cited table of category-average product footprints (``category_averages.csv``).

A seller without a study of their own may state a category average instead; the page then says
plainly that it is an average and whose. Every row must name its source: the loader refuses a
row without one (and any row whose number is not a positive decimal), naming the line, so a
figure nobody can check never reaches a product page. Pure: no Django, no database.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("category_averages.csv")
COLUMNS = ("key", "categories", "description", "kg_co2e", "per", "scope", "source", "year", "url")


class AverageTableError(ValueError):
    """The table has a row that cannot be used; the message names the line and the problem."""


@dataclass(frozen=True)
class CategoryAverage:
    key: str
    categories: frozenset[str]
    description: str
    kg_co2e: Decimal
    per: str
    scope: str
    source: str
    year: int
    url: str
    note: str = ""

    def fits(self, category_slugs: set[str]) -> bool:
        """True when the row is meant for one of these categories (a product's and its
        parents')."""
        return bool(self.categories & category_slugs)


def parse(text: str, *, name: str = "category_averages.csv") -> dict[str, CategoryAverage]:
    """Reads the table; raises :class:`AverageTableError` on the first unusable row."""
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise AverageTableError(f"{name}: the header lacks the columns {missing}")
    rows: dict[str, CategoryAverage] = {}
    for line, row in enumerate(reader, start=2):
        where = f"{name} line {line}"
        values = {k: (row.get(k) or "").strip() for k in (*COLUMNS, "note")}
        for column in ("key", "categories", "kg_co2e", "per"):
            if not values[column]:
                raise AverageTableError(f"{where}: {column} is empty")
        if not values["source"]:
            raise AverageTableError(
                f"{where} ({values['key']}): no source; every average must name the "
                "publication it comes from"
            )
        if not values["year"].isdigit():
            raise AverageTableError(f"{where}: year {values['year']!r} is not a year")
        try:
            kg = Decimal(values["kg_co2e"])
        except InvalidOperation:
            raise AverageTableError(
                f"{where}: kg_co2e {values['kg_co2e']!r} is not a number"
            ) from None
        if not kg.is_finite() or kg <= 0:
            raise AverageTableError(f"{where}: kg_co2e {kg} must be a positive number")
        if values["key"] in rows:
            raise AverageTableError(f"{where}: key {values['key']!r} appears twice")
        rows[values["key"]] = CategoryAverage(
            key=values["key"],
            categories=frozenset(values["categories"].split()),
            description=values["description"],
            kg_co2e=kg,
            per=values["per"],
            scope=values["scope"],
            source=values["source"],
            year=int(values["year"]),
            url=values["url"],
            note=values["note"],
        )
    return rows


@cache
def averages() -> dict[str, CategoryAverage]:
    """The repository's table, read once per process."""
    return parse(TABLE.read_text(encoding="utf-8"), name=TABLE.name)


def average_get(key: str) -> CategoryAverage | None:
    return averages().get(key)


def averages_for(category_slugs: set[str]) -> list[CategoryAverage]:
    """The rows meant for a product in these categories."""
    return [row for row in averages().values() if row.fits(category_slugs)]
