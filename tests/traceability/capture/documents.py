"""Small EPCIS 2.0 documents for the capture tests, built from parts so each test says what it
changes."""

from __future__ import annotations

import json
from typing import Any

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
# GTIN 09521234543213 (check digit right), company prefix 9521234.
GTIN = "09521234543213"
SGTIN = "urn:epc:id:sgtin:9521234.054321.S1"
SGTIN_DL = "https://id.gs1.org/01/09521234543213/21/S1"
LGTIN = "urn:epc:class:lgtin:9521234.054321.LOT7"
SGLN = "urn:epc:id:sgln:9521234.00001.0"


def object_event(**changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": "2024-05-01T10:00:00.000+02:00",
        "eventTimeZoneOffset": "+02:00",
        "action": "OBSERVE",
        "epcList": [SGTIN],
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": SGLN},
    }
    event.update(changes)
    return {k: v for k, v in event.items() if v is not None}


def document(*events: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return {
        "@context": context or CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2024-05-01T10:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }


def raw(*events: dict[str, Any]) -> bytes:
    return json.dumps(document(*events)).encode()
