"""Reads of captured EPCIS events: one event, a capture job, the EPCIS query, a product's journey.

Captured events are published in the public transparency log anyway, so these reads are not
seller-scoped; only the seller center's list is (``event_list_for_seller``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from agora.catalog.models import Variant
from agora.core.pagination import Page, paginate
from agora.marketplace.models import Seller
from agora.traceability.epcis.identifiers import IdentifierError, gtin_normalise
from agora.traceability.log.selectors import record_source
from agora.traceability.models import EpcisCapture, EpcisEvent, EpcisIdentifier, Lot

LOG_KIND = "epcis_event"  # how captured events are named in the transparency log

__all__ = [
    "EventFilters",
    "JourneyStep",
    "capture_get",
    "capture_log_indices",
    "event_get",
    "event_list_for_seller",
    "event_query",
    "journey",
    "lot_of",
    "variants_with_gtin",
]

# Roles each EPCIS MATCH_ parameter looks at (EPCIS 2.0 §8.2.7.1).
MATCH_EPC_ROLES = ("epc", "child")
MATCH_ANY_EPC_ROLES = ("epc", "child", "parent", "input", "output")
MATCH_EPC_CLASS_ROLES = ("quantity", "child_qty")
MATCH_ANY_EPC_CLASS_ROLES = ("quantity", "child_qty", "input_qty", "output_qty")


@dataclass(frozen=True)
class JourneyStep:
    """One event on a product's, lot's or item's way, as a passport page shows it.

    ``scope`` says how closely the event names what was asked for: "item" (that serial),
    "lot" (that batch) or "product" (the GTIN as a class, e.g. a shipment's quantity list).
    """

    event_id: str
    type: str
    action: str
    biz_step: str
    disposition: str
    read_point: str
    biz_location: str
    event_time: datetime
    tz_offset: str
    log_index: int
    scope: str
    event: dict[str, Any] = field(repr=False)


def journey(
    *,
    gtin: str,
    serial: str | None = None,
    lot: str | None = None,
    limit: int | None = None,
) -> list[JourneyStep]:
    """The events that name this GTIN (and, when given, this serial or lot), oldest first;
    the first ``limit`` of them when given. A GTIN of 8-14 digits is compared as 14.

    With a serial or lot, events about the product as a whole (a GTIN class, no serial or lot)
    are included as "product" steps, and with both, the lot's events as "lot" steps; events
    about other serials or lots of the GTIN are left out.
    """
    try:
        gtin = gtin_normalise(gtin)
    except IdentifierError:
        return []
    rows = EpcisIdentifier.objects.filter(gtin=gtin)
    if serial or lot:
        wanted = Q(serial="", lot="")
        if serial:
            wanted |= Q(serial=serial)
        if lot:
            wanted |= Q(lot=lot, serial="")
        rows = rows.filter(wanted)
    scopes: dict[int, str] = {}
    rank = {"item": 0, "lot": 1, "product": 2}
    for event_pk, row_serial, row_lot in rows.values_list("event_id", "serial", "lot"):
        scope = "item" if row_serial else ("lot" if row_lot else "product")
        if event_pk not in scopes or rank[scope] < rank[scopes[event_pk]]:
            scopes[event_pk] = scope
    events = EpcisEvent.objects.filter(pk__in=list(scopes)).order_by("event_time", "public_id")
    if limit is not None:
        events = events[:limit]
    return [
        JourneyStep(
            event_id=e.event_id,
            type=e.event_type,
            action=e.action,
            biz_step=e.biz_step,
            disposition=e.disposition,
            read_point=e.read_point,
            biz_location=e.biz_location,
            event_time=e.event_time,
            tz_offset=e.event_tz_offset,
            log_index=e.log_index,
            scope=scopes[e.pk],
            event=e.document,
        )
        for e in events
    ]


def event_get(*, event_id: str) -> EpcisEvent | None:
    return EpcisEvent.objects.filter(event_id=event_id).first()


def capture_get(*, capture_id: str) -> EpcisCapture | None:
    return EpcisCapture.objects.filter(public_id=capture_id).first()


def capture_log_indices(*, capture: EpcisCapture) -> list[int]:
    """The log index of each event of a capture job, in the job's document order."""
    ids = list(capture.event_ids)
    index_of: dict[str, int] = {}
    for start in range(0, len(ids), 1000):  # IN lists of bounded size for SQLite
        chunk = ids[start : start + 1000]
        index_of.update(
            EpcisEvent.objects.filter(event_id__in=chunk).values_list("event_id", "log_index")
        )
    return [index_of[event_id] for event_id in ids]


@dataclass(frozen=True)
class EventFilters:
    """Parsed EPCIS query parameters (values already normalised and checked by the caller)."""

    event_types: tuple[str, ...] = ()
    ge_event_time: datetime | None = None
    lt_event_time: datetime | None = None
    ge_record_time: datetime | None = None
    lt_record_time: datetime | None = None
    actions: tuple[str, ...] = ()
    biz_steps: tuple[str, ...] = ()
    dispositions: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    read_points: tuple[str, ...] = ()
    # (roles, keys): the event names one of the keys in one of the roles; all pairs must hold.
    matches: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    gtin: str = ""
    serial: str = ""
    lot: str = ""


def _filtered(filters: EventFilters) -> QuerySet[EpcisEvent]:
    rows = EpcisEvent.objects.all()
    for name, values in (
        ("event_type__in", filters.event_types),
        ("action__in", filters.actions),
        ("biz_step__in", filters.biz_steps),
        ("disposition__in", filters.dispositions),
        ("biz_location__in", filters.biz_locations),
        ("read_point__in", filters.read_points),
    ):
        if values:
            rows = rows.filter(**{name: list(values)})
    for name, moment in (
        ("event_time__gte", filters.ge_event_time),
        ("event_time__lt", filters.lt_event_time),
        ("record_time__gte", filters.ge_record_time),
        ("record_time__lt", filters.lt_record_time),
    ):
        if moment is not None:
            rows = rows.filter(**{name: moment})
    for roles, keys in filters.matches:
        named = EpcisIdentifier.objects.filter(role__in=roles, key__in=keys)
        rows = rows.filter(pk__in=named.values("event_id"))
    if filters.gtin or filters.serial or filters.lot:
        product = {
            name: value
            for name, value in (
                ("gtin", filters.gtin),
                ("serial", filters.serial),
                ("lot", filters.lot),
            )
            if value
        }
        rows = rows.filter(pk__in=EpcisIdentifier.objects.filter(**product).values("event_id"))
    return rows


def event_query(*, filters: EventFilters, cursor: str | None = None, limit: int = 30) -> Page:
    """Events matching every filter, in the order they were recorded; cursor-paginated."""
    return paginate(_filtered(filters), cursor=cursor, limit=limit, newest_first=False)


def variants_with_gtin(*, seller: Seller) -> list[Variant]:
    """The seller's variants that have a GTIN (the only ones a batch or label can name), with
    their product, by product title and SKU."""
    return list(
        Variant.objects.filter(seller=seller)
        .exclude(gtin="")
        .select_related("product")
        .order_by("product__title", "sku")
    )


def lot_of(*, variant: Variant, code: str) -> Lot | None:
    """The recorded lot ``code`` of ``variant`` (part D's table), if there is one."""
    return Lot.objects.filter(variant=variant, code=code).first()


def event_list_for_seller(*, seller: Seller, cursor: str | None = None, limit: int = 50) -> Page:
    """The events a seller captured, newest first (the seller center's overview)."""
    return paginate(EpcisEvent.objects.filter(seller=seller), cursor=cursor, limit=limit)


@record_source(LOG_KIND)
def stored_event(event_id: str) -> dict[str, Any] | None:
    """The event as stored and served (bundles show it next to the bytes the log holds)."""
    return EpcisEvent.objects.filter(event_id=event_id).values_list("document", flat=True).first()
