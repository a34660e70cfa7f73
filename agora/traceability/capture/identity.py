"""One identity for an identifier however it is spelled, and the identifiers an event names.

EPCIS 2.0 lets a capturer write the same item as an EPC URN (``urn:epc:id:sgtin:…``) or as a
GS1 Digital Link (``https://id.gs1.org/01/…/21/…``). Queries must find it either way, so each
identifier is reduced to a key in Digital Link path form (``01/<gtin>/21/<serial>``) plus the
GTIN, serial and lot read from it (pure functions; the parsing is part A's).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from agora.traceability.epcis.identifiers import (
    IdentifierError,
    is_digital_link_candidate,
    parse_digital_link,
    parse_epc_uri,
)

__all__ = ["IdentifierError", "Identity", "identifiers_of", "identity_of"]


@dataclass(frozen=True)
class Identity:
    uri: str
    key: str
    gtin: str = ""
    serial: str = ""
    lot: str = ""


def _key(*, gtin: str | None, serial: str | None, lot: str | None, sscc: str | None) -> str:
    if gtin:
        if serial:
            return f"01/{gtin}/21/{serial}"
        if lot:
            return f"01/{gtin}/10/{lot}"
        return f"01/{gtin}"
    if sscc:
        return f"00/{sscc}"
    return ""


def identity_of(uri: str) -> Identity:
    """The identity of an EPC URN or Digital Link (any other URI is its own key).

    Raises :class:`IdentifierError` for a malformed EPC URN or Digital Link, so a query
    parameter can be refused by name.
    """
    if uri.startswith("urn:epc:"):
        epc = parse_epc_uri(uri)
        gtin, serial, lot, sscc = epc.gtin, epc.serial, epc.lot, epc.sscc
    elif is_digital_link_candidate(uri):
        link = parse_digital_link(uri)
        gtin, serial, lot, sscc = link.gtin, link.serial, link.lot, link.sscc
    else:
        return Identity(uri=uri, key=uri)
    key = _key(gtin=gtin, serial=serial, lot=lot, sscc=sscc) or uri
    return Identity(uri=uri, key=key, gtin=gtin or "", serial=serial or "", lot=lot or "")


_LISTS = (
    ("epcList", "epc"),
    ("childEPCs", "child"),
    ("inputEPCList", "input"),
    ("outputEPCList", "output"),
)
_QUANTITY_LISTS = (
    ("quantityList", "quantity"),
    ("childQuantityList", "child_qty"),
    ("inputQuantityList", "input_qty"),
    ("outputQuantityList", "output_qty"),
)


def _uris(event: dict[str, Any]) -> Iterator[tuple[str, str]]:
    parent = event.get("parentID")
    if isinstance(parent, str):
        yield "parent", parent
    for field, role in _LISTS:
        for uri in event.get(field) or ():
            if isinstance(uri, str):
                yield role, uri
    for field, role in _QUANTITY_LISTS:
        for element in event.get(field) or ():
            if isinstance(element, dict) and isinstance(element.get("epcClass"), str):
                yield role, element["epcClass"]


def identifiers_of(event: dict[str, Any]) -> list[tuple[str, Identity]]:
    """``(role, identity)`` of every identifier the event names, once per role and key.

    The event has passed validation, so a URI that still fails to parse (a scheme checked for
    shape only) is kept under its own spelling rather than dropped.
    """
    seen: set[tuple[str, str]] = set()
    found: list[tuple[str, Identity]] = []
    for role, uri in _uris(event):
        try:
            ident = identity_of(uri)
        except IdentifierError:
            ident = Identity(uri=uri, key=uri)
        if (role, ident.key) not in seen:
            seen.add((role, ident.key))
            found.append((role, ident))
    return found
