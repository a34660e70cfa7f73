"""Commerce facts as EPCIS 2.0 events (pure: plain data in, an EPCIS document out).

Which CBV 2.0 words say what happened:

- a shipment leaving the seller: ObjectEvent OBSERVE, bizStep ``shipping``, disposition
  ``in_transit`` ("being moved from one location to another");
- goods of a return arriving back: ObjectEvent OBSERVE, bizStep ``receiving`` ("being received
  at a location and added to the receiver's inventory"), disposition ``returned`` ("sent back
  by a customer…");
- an order delivered: ObjectEvent OBSERVE, bizStep ``arriving`` ("arrives at a location"), with
  no disposition (the CBV has none for "with the consumer").

Only what the public may read goes in: products by GTIN class (the quantity per GTIN, never a
serial a buyer could be followed by), the seller as owning party, the order as a business
transaction, and the destination country only (no buyer name or address).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from agora.traceability.capture.schemas import EPCIS_CONTEXT

__all__ = [
    "ClassQuantity",
    "commerce_event_id",
    "country_uri",
    "delivery_event",
    "epcis_document",
    "order_uri",
    "return_received_event",
    "return_uri",
    "seller_uri",
    "shipping_event",
]

# Names the EPCIS eventIDs Agora derives from its own commerce events (a fixed, random UUID).
_NAMESPACE = uuid.UUID("6a1e3f52-7c1b-4d0e-9a57-2f0c8e6b5d41")


@dataclass(frozen=True)
class ClassQuantity:
    """``quantity`` units of the product class ``epc_class`` (a GTIN's Digital Link)."""

    epc_class: str
    quantity: int


def commerce_event_id(event_id: str, what: str) -> str:
    """The EPCIS eventID of the EPCIS event made from commerce event ``event_id``: the same
    every time, so a redelivered commerce event captures the same EPCIS event again."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'agora:{what}:{event_id}')}"


def seller_uri(seller_public_id: str) -> str:
    return f"urn:agora:seller:{seller_public_id}"


def order_uri(order_public_id: str) -> str:
    return f"urn:agora:order:{order_public_id}"


def return_uri(return_public_id: str) -> str:
    return f"urn:agora:return:{return_public_id}"


def country_uri(country: str) -> str:
    """ISO's own page for an ISO 3166-1 alpha-2 code: a URI that names a country, not a
    person's address."""
    return f"https://www.iso.org/obp/ui/#iso:code:3166:{country.upper()}"


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _quantities(quantities: Iterable[ClassQuantity]) -> list[dict[str, Any]]:
    return [{"epcClass": q.epc_class, "quantity": q.quantity} for q in quantities]


def _observe(
    *, event_id: str, at: datetime, quantities: list[ClassQuantity], read_point: str | None
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventID": event_id,
        "eventTime": _time(at),
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "quantityList": _quantities(quantities),
    }
    if read_point:
        event["readPoint"] = {"id": read_point}
    return event


def shipping_event(
    *,
    event_id: str,
    at: datetime,
    quantities: list[ClassQuantity],
    seller: str,
    order: str,
    destination_country: str,
) -> dict[str, Any]:
    """The shipping ObjectEvent of a shipment (seller, order and country as public ids)."""
    event = _observe(event_id=event_id, at=at, quantities=quantities, read_point=seller_uri(seller))
    event.update(
        bizStep="shipping",
        disposition="in_transit",
        bizTransactionList=[{"type": "po", "bizTransaction": order_uri(order)}],
        sourceList=[{"type": "owning_party", "source": seller_uri(seller)}],
    )
    if destination_country:
        event["destinationList"] = [
            {"type": "location", "destination": country_uri(destination_country)}
        ]
    return event


def return_received_event(
    *,
    event_id: str,
    at: datetime,
    quantities: list[ClassQuantity],
    seller: str,
    order: str,
    order_return: str,
) -> dict[str, Any]:
    """The receiving ObjectEvent of returned goods back at the seller."""
    event = _observe(event_id=event_id, at=at, quantities=quantities, read_point=seller_uri(seller))
    event.update(
        bizStep="receiving",
        disposition="returned",
        bizTransactionList=[
            {"type": "po", "bizTransaction": order_uri(order)},
            {"type": "rma", "bizTransaction": return_uri(order_return)},
        ],
        destinationList=[{"type": "owning_party", "destination": seller_uri(seller)}],
    )
    return event


def delivery_event(
    *,
    event_id: str,
    at: datetime,
    quantities: list[ClassQuantity],
    order: str,
    destination_country: str,
) -> dict[str, Any]:
    """The arriving ObjectEvent of an order's goods reaching the buyer's country (the carrier
    saw it, not the seller: no read point; the business location is the country)."""
    event = _observe(event_id=event_id, at=at, quantities=quantities, read_point=None)
    event.update(
        bizStep="arriving",
        bizTransactionList=[{"type": "po", "bizTransaction": order_uri(order)}],
    )
    if destination_country:
        event["bizLocation"] = {"id": country_uri(destination_country)}
    return event


def epcis_document(events: list[dict[str, Any]], *, created: datetime) -> bytes:
    """An EPCISDocument holding ``events``, as the bytes ``epcis_capture`` takes."""
    document = {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _time(created),
        "epcisBody": {"eventList": events},
    }
    return json.dumps(document, ensure_ascii=False).encode()
