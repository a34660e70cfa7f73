"""EPCIS capture: a validated document becomes stored events and transparency-log entries.

All or nothing: a document with any problem stores nothing and is refused with every problem
named (event, JSON pointer, rule); an accepted one is written in one transaction together with
its log entries, so an event is stored exactly when its bytes are in the log. Capture is
idempotent per event: the same event (same eventID, or same content without one) sent again
is the stored one, while a reused eventID with different content is a conflict.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from django.db import IntegrityError, transaction

from agora.core import clock
from agora.core.actors import Actor, system
from agora.core.audit import audit_record
from agora.core.errors import AgoraError
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access
from agora.traceability.canonical import canonical_bytes
from agora.traceability.capture import errors
from agora.traceability.capture.identity import Identity, identifiers_of
from agora.traceability.capture.selectors import LOG_KIND
from agora.traceability.capture.vocabulary import normalise_biz_step, normalise_disposition
from agora.traceability.epcis.validate import Report, validate_document
from agora.traceability.log.services import MAX_DATA, LogRecord, log_append
from agora.traceability.models import EpcisCapture, EpcisEvent, EpcisIdentifier
from agora.traceability.records import log_data

__all__ = ["MAX_DOCUMENT_BYTES", "CaptureResult", "epcis_capture", "event_hash_id"]

MAX_DOCUMENT_BYTES = 10_000_000
SOURCES = ("api", "upload", "commerce")
_MAX_EVENT_ID = 500
_MAX_URI = 2000
INSERT_BATCH = 1000  # rows per INSERT: well inside both databases' parameter limits


@dataclass(frozen=True)
class CaptureResult:
    capture_id: str
    event_ids: list[str]
    log_indices: list[int]


def _hash_id(digest: str) -> str:
    return f"ni:///sha-256;{digest}?ver=CBV2.0"


def event_hash_id(event: dict[str, Any]) -> str:
    """The id of an event captured without ``eventID``: the SHA-256 of its RFC 8785 bytes
    (without any ``@context``) as an RFC 6920 ``ni`` URI, in the shape of the EPCIS 2.0 event
    hash id (``?ver=CBV2.0``), so the same event sent twice gets the same id."""
    bare = {k: v for k, v in event.items() if k != "@context"}
    return _hash_id(hashlib.sha256(canonical_bytes(bare)).hexdigest())


def _problem_dicts(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "event_index": p.event_index,
            "event_id": p.event_id,
            "event_type": p.event_type,
            "pointer": p.path,
            "field": p.path,
            "rule": p.rule,
            "message": p.message,
        }
        for p in report.problems
    ]


def _refuse(report: Report) -> AgoraError:
    problems = _problem_dicts(report)
    rules = {p["rule"] for p in problems}
    if "too-large" in rules:
        kind = errors.EPCIS_TOO_LARGE
    elif rules & {"json", "too-deep"}:
        kind = errors.EPCIS_MALFORMED
    else:
        kind = errors.EPCIS_INVALID
    first = problems[0]
    where = f"event {first['event_index']}: " if first["event_index"] is not None else ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    detail = f"{where}{first['message']} [{first['rule']}]{more}; nothing was stored"
    return AgoraError(kind, detail, extra={"errors": problems})


def _single_problem(index: int, event: dict[str, Any], pointer: str, rule: str, message: str):
    return {
        "event_index": index,
        "event_id": event.get("eventID"),
        "event_type": event.get("type"),
        "pointer": pointer,
        "field": pointer,
        "rule": rule,
        "message": message,
    }


def _event_time(event: dict[str, Any]) -> tuple[datetime, str]:
    """The event time as aware UTC and the offset the capturer declared (validated before)."""
    offset = str(event.get("eventTimeZoneOffset", ""))
    moment = datetime.fromisoformat(str(event["eventTime"]).replace("Z", "+00:00"))
    if moment.tzinfo is None:  # the schema asks for an offset; be safe with the declared one
        sign = -1 if offset.startswith("-") else 1
        hours, _, minutes = offset.lstrip("+-").partition(":")
        delta = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
        moment = moment.replace(tzinfo=timezone(sign * delta))
    return moment.astimezone(UTC), offset


def _location(value: Any) -> str:
    return str(value.get("id", "")) if isinstance(value, dict) else ""


@dataclass
class _Draft:
    index: int
    event_id: str
    stored: dict[str, Any]
    content_hash: str
    data: bytes
    identifiers: list[tuple[str, Identity]]


def _drafts(events: list[dict[str, Any]], context: Any) -> tuple[list[_Draft], list[str]]:
    """Each distinct event with its public id, the JSON to store and the bytes to log, and the
    public id of every event in document order; refuses ids that are too long or reused inside
    the document with other content."""
    drafts: list[_Draft] = []
    order: list[str] = []
    by_id: dict[str, _Draft] = {}
    problems: list[dict[str, Any]] = []
    for index, event in enumerate(events):
        bare = {k: v for k, v in event.items() if k != "@context"}
        content_hash = hashlib.sha256(canonical_bytes(bare)).hexdigest()
        event_id = event.get("eventID") or _hash_id(content_hash)
        if len(event_id) > _MAX_EVENT_ID:
            problems.append(
                _single_problem(
                    index, event, "/eventID", "too-long", f"eventID is longer than {_MAX_EVENT_ID}"
                )
            )
            continue
        named = identifiers_of(event)
        too_long = [ident.uri for _, ident in named if len(ident.uri) > _MAX_URI]
        if too_long:
            problems.append(
                _single_problem(
                    index,
                    event,
                    "",
                    "too-long",
                    f"identifier {too_long[0][:60]!r}… is longer than {_MAX_URI} characters",
                )
            )
            continue
        order.append(event_id)
        earlier = by_id.get(event_id)
        if earlier is not None:
            if earlier.content_hash != content_hash:
                problems.append(
                    _single_problem(
                        index,
                        event,
                        "/eventID",
                        "event-id-reused",
                        f"eventID {event_id!r} is also event {earlier.index}'s, with other content",
                    )
                )
            continue
        stored = dict(event)
        stored.setdefault("eventID", event_id)
        if context is not None and "@context" not in stored:
            stored = {"@context": context, **stored}
        data = log_data(kind=LOG_KIND, ref=event_id, record=stored)
        draft = _Draft(index, event_id, stored, content_hash, data, named)
        if len(draft.data) > MAX_DATA:
            problems.append(
                _single_problem(
                    index,
                    event,
                    "",
                    "event-too-large",
                    f"the event is {len(draft.data):,} bytes; one event may hold {MAX_DATA:,}",
                )
            )
            continue
        by_id[event_id] = draft
        drafts.append(draft)
    if problems:
        raise AgoraError(
            errors.EPCIS_INVALID,
            f"event {problems[0]['event_index']}: {problems[0]['message']}; nothing was stored",
            extra={"errors": problems},
        )
    return drafts, order


def _conflict(event_id: str) -> AgoraError:
    return AgoraError(
        errors.EPCIS_EVENT_ID_CONFLICT,
        f"eventID {event_id!r} was captured before with different content; nothing was stored",
        extra={"event_id": event_id},
    )


def epcis_capture(
    *, seller: Seller, raw: bytes | str, source: str = "api", actor: Actor | None = None
) -> CaptureResult:
    """Validates an EPCIS 2.0 document and stores its events and their log entries.

    ``actor`` (a system actor when left out) must be allowed ``catalog:write`` for ``seller``.
    Returns the capture job's id and, in document order, each event's public id and log
    index (for events already captured, the stored ones). Raises an :class:`AgoraError`
    (``epcis-invalid``, ``epcis-malformed``, ``epcis-too-large``, ``epcis-event-id-conflict``)
    and stores nothing when any event is refused.
    """
    if source not in SOURCES:
        raise ValueError(f"source {source!r} is not one of {SOURCES}")
    actor = actor or system(f"epcis {source}")
    require_seller_access(actor, seller, "catalog:write")
    report = validate_document(raw, max_bytes=MAX_DOCUMENT_BYTES)
    if not report.ok:
        raise _refuse(report)
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    context = json.loads(text).get("@context")
    drafts, order = _drafts(report.events, context)
    try:
        with transaction.atomic():
            return _store(
                seller=seller,
                source=source,
                actor=actor,
                drafts=drafts,
                order=order,
            )
    except IntegrityError as exc:  # another capture stored one of these ids meanwhile
        raise AgoraError(
            errors.EPCIS_EVENT_ID_CONFLICT,
            "an event of this document was being captured at the same time; retry the request",
        ) from exc


def _store(
    *, seller: Seller, source: str, actor: Actor, drafts: list[_Draft], order: list[str]
) -> CaptureResult:
    now = clock.now()
    ids = [d.event_id for d in drafts]
    known = {
        row.event_id: row
        for start in range(0, len(ids), INSERT_BATCH)
        for row in EpcisEvent.objects.filter(event_id__in=ids[start : start + INSERT_BATCH]).only(
            "event_id", "content_hash", "log_index"
        )
    }
    for draft in drafts:
        existing = known.get(draft.event_id)
        if existing is not None and existing.content_hash != draft.content_hash:
            raise _conflict(draft.event_id)
    new = [d for d in drafts if d.event_id not in known]
    capture = EpcisCapture.objects.create(
        seller=seller, source=source, created_at=now, event_ids=order, new_events=len(new)
    )
    indices = log_append(
        entries=[LogRecord(kind=LOG_KIND, ref=d.event_id, data=d.data) for d in new]
    )
    rows = []
    for draft, log_index in zip(new, indices, strict=True):
        event = draft.stored
        moment, offset = _event_time(event)
        rows.append(
            EpcisEvent(
                event_id=draft.event_id,
                capture=capture,
                seller=seller,
                source=source,
                event_type=str(event.get("type", "")),
                action=str(event.get("action", "")),
                biz_step=normalise_biz_step(event.get("bizStep")),
                disposition=normalise_disposition(event.get("disposition")),
                read_point=_location(event.get("readPoint")),
                biz_location=_location(event.get("bizLocation")),
                event_time=moment,
                event_tz_offset=offset,
                record_time=now,
                content_hash=draft.content_hash,
                document=event,
                log_index=log_index,
            )
        )
    created = EpcisEvent.objects.bulk_create(rows, batch_size=INSERT_BATCH)
    EpcisIdentifier.objects.bulk_create(
        [
            EpcisIdentifier(
                event=row,
                role=role,
                uri=ident.uri,
                key=ident.key,
                gtin=ident.gtin,
                serial=ident.serial,
                lot=ident.lot,
            )
            for row, draft in zip(created, new, strict=True)
            for role, ident in draft.identifiers
        ],
        batch_size=INSERT_BATCH,
    )
    audit_record(
        actor=actor,
        action="epcis.captured",
        target=capture,
        changes={"events": len(order), "new": len(new), "source": source},
        seller_id=seller.pk,
    )
    log_of = {d.event_id: i for d, i in zip(new, indices, strict=True)}
    log_of.update({event_id: row.log_index for event_id, row in known.items()})
    return CaptureResult(
        capture_id=capture.public_id,
        event_ids=order,
        log_indices=[log_of[event_id] for event_id in order],
    )
