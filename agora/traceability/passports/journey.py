"""A passport's journey and proof statuses in plain words: what happened, where, when and why,
from the EPCIS events part E stores, and whether each record checks against a signed log head
(part B's ``proof_status``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.utils.translation import gettext, gettext_lazy

from agora.traceability.capture.selectors import LOG_KIND as EVENT_LOG_KIND
from agora.traceability.capture.selectors import journey
from agora.traceability.epcis.identifiers import IdentifierError, parse_digital_link, parse_epc_uri
from agora.traceability.log.selectors import proof_status
from agora.traceability.passports.selectors import Resolution
from agora.traceability.records import log_data

MAX_JOURNEY = 100

# CBV 2.0 business steps in plain words (the "what happened").
BIZ_STEPS = {
    "commissioning": gettext_lazy("Made and given its identity"),
    "creating_class_instance": gettext_lazy("Produced as a batch"),
    "packing": gettext_lazy("Packed"),
    "unpacking": gettext_lazy("Unpacked"),
    "shipping": gettext_lazy("Shipped"),
    "departing": gettext_lazy("Left a site"),
    "arriving": gettext_lazy("Arrived at a site"),
    "receiving": gettext_lazy("Received"),
    "accepting": gettext_lazy("Accepted"),
    "storing": gettext_lazy("Stored"),
    "inspecting": gettext_lazy("Inspected"),
    "transforming": gettext_lazy("Made into another product"),
    "retail_selling": gettext_lazy("Sold"),
    "loading": gettext_lazy("Loaded for transport"),
    "returning": gettext_lazy("Sent back"),
    "repairing": gettext_lazy("Repaired"),
    "decommissioning": gettext_lazy("Taken out of use"),
    "destroying": gettext_lazy("Destroyed"),
}
# CBV 2.0 dispositions in plain words (the state it was left in: part of the "why").
DISPOSITIONS = {
    "active": gettext_lazy("in use"),
    "in_progress": gettext_lazy("in progress"),
    "in_transit": gettext_lazy("on its way"),
    "sellable_accessible": gettext_lazy("ready for sale"),
    "sellable_not_accessible": gettext_lazy("in stock, not on the shelf"),
    "retail_sold": gettext_lazy("sold"),
    "returned": gettext_lazy("returned"),
    "damaged": gettext_lazy("damaged"),
    "recalled": gettext_lazy("recalled"),
    "destroyed": gettext_lazy("destroyed"),
    "conformant": gettext_lazy("passed inspection"),
    "non_conformant": gettext_lazy("failed inspection"),
}
EVENT_TYPES = {
    "ObjectEvent": gettext_lazy("about the item itself"),
    "AggregationEvent": gettext_lazy("about packing it with others"),
    "TransactionEvent": gettext_lazy("about a business transaction"),
    "TransformationEvent": gettext_lazy("about turning inputs into this product"),
    "AssociationEvent": gettext_lazy("about fitting it to an asset"),
}
SCOPES = {
    "item": gettext_lazy("this item"),
    "lot": gettext_lazy("this batch"),
    "product": gettext_lazy("this product in general"),
}


@dataclass(frozen=True)
class Proof:
    """A log proof status in the words the page shows."""

    logged: bool
    verified: bool
    index: int | None
    checkpoint_size: int | None
    bundle_url: str


@dataclass(frozen=True)
class Step:
    what: str
    where: str
    when: datetime
    tz_offset: str
    why: str
    scope: str
    event_type: str
    event_id: str
    proof: Proof


def proof_of(kind: str, ref: str, *, record: Any = None) -> Proof:
    """The log status of one record, with the URL of its proof bundle. ``record`` is the copy
    the page shows: it only counts as verified when it is the very record that was logged."""
    data = None if record is None else log_data(kind=kind, ref=ref, record=record)
    status = proof_status(kind=kind, ref=ref, data=data)
    return Proof(
        logged=status.logged,
        verified=status.verified,
        index=status.index,
        checkpoint_size=status.checkpoint_size,
        bundle_url=_bundle_url(kind, ref),
    )


def _bundle_url(kind: str, ref: str) -> str:
    """Part B's public bundle endpoint: the entry, its proof and the signed checkpoint."""
    return f"/api/v1/trace/bundle/{quote(kind, safe='')}/{quote(ref, safe='')}"


def _place(value: str, places: dict[str, str]) -> str:
    """A location in words: the name the passport gives its GLN, else the identifier."""
    if not value:
        return ""
    gln = _gln_of(value)
    if gln and gln in places:
        return places[gln]
    return gettext("location %(id)s") % {"id": gln or value}


def _gln_of(value: str) -> str | None:
    try:
        if value.startswith("urn:epc:id:sgln:"):
            return parse_epc_uri(value).gln
        if "/414/" in value:
            return parse_digital_link(value).gln
    except IdentifierError:
        return None
    return None


def journey_steps(resolution: Resolution) -> list[Step]:
    """The journey of what was resolved, oldest first, each step with its proof status."""
    places = resolution.passport.places if resolution.passport else {}
    serial = resolution.item.serial if resolution.item else None
    lot = resolution.lot.code if resolution.lot else None
    steps = []
    for event in journey(gtin=resolution.gtin, serial=serial, lot=lot)[:MAX_JOURNEY]:
        what = BIZ_STEPS.get(event.biz_step) or (
            event.biz_step.rsplit("/", 1)[-1].rsplit(":", 1)[-1].replace("_", " ").capitalize()
            if event.biz_step
            else gettext("Recorded")
        )
        why_parts = [str(EVENT_TYPES.get(event.type, event.type))]
        if event.disposition:
            state = DISPOSITIONS.get(event.disposition, event.disposition.replace("_", " "))
            why_parts.append(gettext("afterwards %(state)s") % {"state": state})
        steps.append(
            Step(
                what=str(what),
                where=_place(event.biz_location or event.read_point, places),
                when=event.event_time,
                tz_offset=event.tz_offset,
                why="; ".join(why_parts),
                scope=str(SCOPES.get(event.scope, event.scope)),
                event_type=event.type,
                event_id=event.event_id,
                proof=proof_of(EVENT_LOG_KIND, event.event_id, record=event.event),
            )
        )
    return steps
