"""VAT id validation per country, delegated to python-stdnum's country modules."""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.util import get_cc_module

# stdnum names Greece 'gr' while EU VAT ids use the prefix 'EL'.
_VAT_PREFIX = {"GR": "EL"}


class VatIdError(ValueError):
    pass


def normalize_vat_id(country: str, vat_id: str) -> str:
    """Returns the compact VAT id with its country prefix, or raises :class:`VatIdError` saying
    why. Countries stdnum has no VAT module for are refused rather than waved through."""
    country = country.upper()
    module = get_cc_module(country.lower(), "vat")
    if module is None:
        raise VatIdError(f"no VAT id validator is known for country {country}")
    raw = vat_id.strip().upper().replace(" ", "")
    prefix = _VAT_PREFIX.get(country, country)
    body = raw[len(prefix) :] if raw.startswith(prefix) else raw
    try:
        compact = module.validate(body)
    except ValidationError as exc:
        raise VatIdError(f"VAT id {vat_id!r} is not valid for {country}: {exc}") from exc
    compact = str(compact).upper()
    if compact.startswith(prefix):
        compact = compact[len(prefix) :]
    return f"{prefix}{compact}"
