"""Where the VAT rates come from: the shared ibericode file when it is there, else our table.

At first use the app reads ``AGORA_VAT_RATES_FILE`` (a setting or environment variable;
default ``<repo>/../shared/data/tax/vat-rates.json``, then ``/work/shared/data/tax/vat-rates.json``)
and keeps, per country, the period in force today. When no file is found, or it cannot be read,
the built-in table of :mod:`agora.checkout.tax.rates` is used. :func:`tax_source` says which one
is in use (for ``agora check`` and ``agora tax source``). The operator's ``TaxRate`` rows, seeded
from this source by ``agora tax seed``, override it at run time (see ``runtime.py``).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.conf import settings

from agora.checkout.tax.rates import (
    BUILTIN,
    SOURCE_NAME,
    CountryRates,
    PostcodeException,
    RateTable,
)

logger = logging.getLogger("agora.checkout.tax")

# The source's rate names → ours (see rates.py).
_CATEGORY_NAMES = {"reduced1": "reduced"}


@dataclass(frozen=True, slots=True)
class TaxSource:
    kind: str  # "file" or "builtin"
    detail: str
    path: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


def candidate_paths() -> list[Path]:
    """The rate files tried in order: the setting (or environment), beside the checkout, and
    where the workplace keeps the shared data."""
    configured = getattr(settings, "AGORA_VAT_RATES_FILE", "") or os.environ.get(
        "AGORA_VAT_RATES_FILE", ""
    )
    if configured:
        return [Path(configured)]
    repo = Path(settings.BASE_DIR)
    return [
        repo.parent / "shared" / "data" / "tax" / "vat-rates.json",
        Path("/work/shared/data/tax/vat-rates.json"),
    ]


def parse_rates_file(data: dict[str, Any], *, on: date) -> dict[str, CountryRates]:
    """The period in force on ``on`` of each country in an ibericode ``vat-rates.json``
    document, in our shape. Raises ``ValueError`` (with the country) on a malformed entry."""
    table: dict[str, CountryRates] = {}
    for country, periods in sorted(data["items"].items()):
        try:
            current = next(
                p for p in periods if _period_start(p["effective_from"]) <= on
            )  # newest first in the source
            rates = {
                _CATEGORY_NAMES.get(name, name): Decimal(str(value))
                for name, value in current["rates"].items()
            }
            exceptions = tuple(
                PostcodeException(e["name"], e["postcode"], Decimal(str(e["standard"])))
                for e in current.get("exceptions") or ()
            )
        except (KeyError, StopIteration, ArithmeticError, TypeError) as exc:
            raise ValueError(f"rates file entry for {country} is not readable: {exc!r}") from exc
        table[country] = CountryRates(
            country=country,
            effective_from=_period_start(current["effective_from"]),
            rates=MappingProxyType(rates),
            exceptions=exceptions,
        )
    return table


def _period_start(text: str) -> date:
    # "0000-01-01" means "since before the source's records"; Python dates start at year 1.
    return date.fromisoformat(text.replace("0000-", "0001-", 1))


def load_source(*, on: date | None = None) -> tuple[RateTable, TaxSource]:
    """Reads the first rate file found; falls back to the built-in table (logged)."""
    for path in candidate_paths():
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            table = parse_rates_file(data, on=on or date.today())
        except (OSError, ValueError) as exc:
            logger.warning("VAT rates file %s unusable (%s); using the built-in table", path, exc)
            break
        detail = f"{path} ({len(table)} countries, {data.get('details', 'ibericode/vat-rates')})"
        return MappingProxyType(table), TaxSource("file", detail, str(path))
    return BUILTIN, TaxSource("builtin", f"built-in table from {SOURCE_NAME}")


_lock = threading.Lock()
_loaded: tuple[RateTable, TaxSource] | None = None


def source_table() -> RateTable:
    """The rate table of the source in use (loaded once per process)."""
    return _load()[0]


def tax_source() -> TaxSource:
    """Which source of VAT rates is in use: the shared file (with its path) or the built-in
    table. For ``agora check`` to print."""
    return _load()[1]


def reload_source() -> TaxSource:
    """Reads the source again (tests, or after the operator replaced the file)."""
    global _loaded
    with _lock:
        _loaded = load_source()
    return _loaded[1]


def _load() -> tuple[RateTable, TaxSource]:
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = load_source()
        return _loaded
