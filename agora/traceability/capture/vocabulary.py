"""CBV 2.0 vocabulary values in one spelling, so a query for ``shipping`` finds every form.

EPCIS 2.0 JSON writes standard business steps and dispositions as bare words (``shipping``);
EPCIS 1.x used URNs (``urn:epcglobal:cbv:bizstep:shipping``) and CBV 2.0 also defines web URIs
(``https://ref.gs1.org/cbv/BizStep-shipping``). All three mean the same value: they are stored
and queried as the bare word. A company's own URI (any other value) is kept as written.
"""

from __future__ import annotations

from typing import Any

__all__ = ["normalise_biz_step", "normalise_disposition"]

_BIZ_STEP_PREFIXES = (
    "urn:epcglobal:cbv:bizstep:",
    "https://ref.gs1.org/cbv/BizStep-",
    "http://ref.gs1.org/cbv/BizStep-",
    "cbv:BizStep-",
)
_DISPOSITION_PREFIXES = (
    "urn:epcglobal:cbv:disp:",
    "https://ref.gs1.org/cbv/Disp-",
    "http://ref.gs1.org/cbv/Disp-",
    "cbv:Disp-",
)


def _strip(value: Any, prefixes: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        return ""
    for prefix in prefixes:
        if value.startswith(prefix) and len(value) > len(prefix):
            return value[len(prefix) :]
    return value


def normalise_biz_step(value: Any) -> str:
    """``shipping`` for any standard spelling of the CBV business step; other URIs unchanged."""
    return _strip(value, _BIZ_STEP_PREFIXES)


def normalise_disposition(value: Any) -> str:
    """``in_transit`` for any standard spelling of the CBV disposition; other URIs unchanged."""
    return _strip(value, _DISPOSITION_PREFIXES)
