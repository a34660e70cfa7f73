"""The packaging factor file (``factors.csv``) and its loader (pure: no Django).

Each row is one cited figure in kg CO2e: what a single-use package costs per shipment
(``kg CO2e/package``) or what one loop of a reusable package costs (``kg CO2e/loop``: the empty
package's trip back). A row without a source, with another unit or with a value that is not a
non-negative number is refused with an error naming the file, the row and the key: a packaging
claim is only as good as its source.

Known limit of the figures: RePack's published page gives the return trip per loop but not the
reusable package's own manufacture, so the per-loop share here is the return trip only. A
packaging type may add its manufacture spread over its expected loops
(``manufacture_kg_co2e``), and must then cite it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

FACTOR_FILE = Path(__file__).resolve().parent / "factors.csv"
UNITS = ("kg CO2e/package", "kg CO2e/loop")
COLUMNS = ("key", "label", "kg_co2e", "unit", "source")


class PackagingFactorError(ValueError):
    """The factor file or one of its rows cannot be used; the message names the row."""


@dataclass(frozen=True, slots=True)
class PackagingFactor:
    key: str
    label: str
    kg_co2e: Decimal
    unit: str
    source: str


def parse_factors(text: str, name: str = "factors.csv") -> dict[str, PackagingFactor]:
    """Parses the CSV ``text``; raises :class:`PackagingFactorError` on the first bad row."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PackagingFactorError(f"{name}: missing column(s) {', '.join(missing)}")
    out: dict[str, PackagingFactor] = {}
    for number, row in enumerate(reader, start=2):
        key = (row.get("key") or "").strip()
        where = f"{name} row {number} ({key or 'no key'})"
        if not key:
            raise PackagingFactorError(f"{where}: no key")
        if key in out:
            raise PackagingFactorError(f"{where}: key {key!r} appears twice")
        source = (row.get("source") or "").strip()
        if not source:
            raise PackagingFactorError(f"{where}: no source; every figure must cite one")
        unit = (row.get("unit") or "").strip()
        if unit not in UNITS:
            raise PackagingFactorError(f"{where}: unit {unit!r} is not one of {', '.join(UNITS)}")
        try:
            value = Decimal((row.get("kg_co2e") or "").strip())
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0:
            raise PackagingFactorError(f"{where}: {row.get('kg_co2e')!r} is not a kg CO2e figure")
        out[key] = PackagingFactor(key, (row.get("label") or key).strip(), value, unit, source)
    return out


@cache
def load_factors() -> dict[str, PackagingFactor]:
    """The repository's factor file, parsed once."""
    return parse_factors(FACTOR_FILE.read_text(encoding="utf-8"), FACTOR_FILE.name)
