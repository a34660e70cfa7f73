"""The emission factor files of this folder and their loader (pure: no Django).

``load_factors()`` reads ``freight.csv`` (kg CO2e per tonne-km, well-to-wheel, one row per
transport mode) and ``load_detours()`` reads ``detour.csv`` (routed / great-circle distance per
mode). A row is refused, with an error naming the file, the row number and the mode, when it has
no source, no or the wrong unit, a value that is not a positive number, a scope other than WTW,
or TTW and WTT parts that do not add up to the value. See README.md for where the numbers come
from.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
FREIGHT_FILE = HERE / "freight.csv"
DETOUR_FILE = HERE / "detour.csv"

FACTOR_UNIT = "kg CO2e/t.km"
FACTOR_SCOPE = "WTW"  # GLEC Framework / ISO 14083: well-to-wheel
DETOUR_UNIT = "ratio"
FREIGHT_COLUMNS = ("mode", "label", "value", "unit", "scope", "source")
DETOUR_COLUMNS = ("mode", "value", "unit", "source")


class FactorFileError(ValueError):
    """A factor file or one of its rows cannot be used; the message names the row."""


@dataclass(frozen=True, slots=True)
class Factor:
    """One transport mode's emission intensity, in kg CO2e per tonne-km, well-to-wheel."""

    mode: str
    label: str
    value: Decimal
    unit: str
    scope: str
    source: str
    ttw: Decimal | None = None
    wtt: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Detour:
    """How much longer the route of ``mode`` is than the great circle (1.42 = 42 % longer)."""

    mode: str
    value: Decimal
    source: str


def _rows(text: str, name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise FactorFileError(f"{name}: missing column(s) {', '.join(missing)}")
    # row numbers as a spreadsheet shows them: the header is row 1
    return [(number, row) for number, row in enumerate(reader, start=2)]


def _decimal(raw: str | None, where: str, what: str, *, positive: bool) -> Decimal:
    text = (raw or "").strip()
    if not text:
        raise FactorFileError(f"{where}: no {what}")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FactorFileError(f"{where}: {what} {text!r} is not a number") from None
    if not value.is_finite() or (positive and value <= 0):
        raise FactorFileError(f"{where}: {what} {text} must be a positive number")
    return value


def _where(name: str, number: int, row: dict[str, str]) -> str:
    mode = (row.get("mode") or "").strip()
    return f"{name} row {number} (mode {mode!r})" if mode else f"{name} row {number}"


def _common(name: str, number: int, row: dict[str, str], unit: str, seen: set[str]) -> str:
    """Checks what every row needs (mode, source, unit); returns the mode."""
    where = _where(name, number, row)
    mode = (row.get("mode") or "").strip()
    if not mode:
        raise FactorFileError(f"{where}: no mode")
    if mode in seen:
        raise FactorFileError(f"{where}: mode {mode!r} appears twice")
    if not (row.get("source") or "").strip():
        raise FactorFileError(f"{where}: no source (publication, table, year)")
    found = (row.get("unit") or "").strip()
    if not found:
        raise FactorFileError(f"{where}: no unit (expected {unit!r})")
    if found != unit:
        raise FactorFileError(f"{where}: unit {found!r} is not {unit!r}")
    seen.add(mode)
    return mode


def parse_factors(text: str, *, name: str = "freight.csv") -> dict[str, Factor]:
    """The factor rows of ``text`` by mode; the first bad row raises :class:`FactorFileError`."""
    factors: dict[str, Factor] = {}
    seen: set[str] = set()
    for number, row in _rows(text, name, FREIGHT_COLUMNS):
        mode = _common(name, number, row, FACTOR_UNIT, seen)
        where = _where(name, number, row)
        value = _decimal(row.get("value"), where, "value", positive=True)
        scope = (row.get("scope") or "").strip()
        if scope != FACTOR_SCOPE:
            raise FactorFileError(
                f"{where}: scope {scope or 'missing'!r} is not {FACTOR_SCOPE!r} (well-to-wheel, "
                "as GLEC and ISO 14083 ask; add the well-to-tank part to a tank-to-wheel value)"
            )
        ttw = wtt = None
        if (row.get("ttw") or "").strip() or (row.get("wtt") or "").strip():
            ttw = _decimal(row.get("ttw"), where, "ttw", positive=True)
            wtt = _decimal(row.get("wtt"), where, "wtt", positive=True)
            if ttw + wtt != value:
                raise FactorFileError(f"{where}: ttw {ttw} + wtt {wtt} is not the value {value}")
        factors[mode] = Factor(
            mode=mode,
            label=(row.get("label") or mode).strip(),
            value=value,
            unit=FACTOR_UNIT,
            scope=scope,
            source=row["source"].strip(),
            ttw=ttw,
            wtt=wtt,
        )
    if not factors:
        raise FactorFileError(f"{name}: no factor rows")
    return factors


def parse_detours(text: str, *, name: str = "detour.csv") -> dict[str, Detour]:
    """The detour factors of ``text`` by mode; each must be at least 1 (a route is never
    shorter than the great circle)."""
    detours: dict[str, Detour] = {}
    seen: set[str] = set()
    for number, row in _rows(text, name, DETOUR_COLUMNS):
        mode = _common(name, number, row, DETOUR_UNIT, seen)
        where = _where(name, number, row)
        value = _decimal(row.get("value"), where, "value", positive=True)
        if value < 1:
            raise FactorFileError(f"{where}: detour factor {value} is less than 1")
        detours[mode] = Detour(mode=mode, value=value, source=row["source"].strip())
    return detours


@cache
def load_factors(path: Path = FREIGHT_FILE) -> dict[str, Factor]:
    """The factor file's rows by mode (read once per process)."""
    return parse_factors(path.read_text(encoding="utf-8"), name=path.name)


@cache
def load_detours(path: Path = DETOUR_FILE) -> dict[str, Detour]:
    return parse_detours(path.read_text(encoding="utf-8"), name=path.name)
