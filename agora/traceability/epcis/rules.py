"""The EPCIS rules the JSON schema cannot express, checked event by event.

The schema accepts any URI where EPCIS wants an EPC, any ``type`` that is a URI (extension
events), and checks a date-time only as far as its format checker goes. Here we hold events to
what Agora stores: one of the five EPCIS 2.0 event types, an event time with its time-zone
offset, and GS1 identifiers (EPC URNs, Digital Links) that parse and whose check digits are right.
Other URIs (private URNs, web ids that are not Digital Links) are the owner's own and pass.

Each finding carries a stable rule code: "event-type", "event-time", "tz-offset", "epc-uri",
"digital-link", "gtin-check-digit" (a GTIN's check digit) or "check-digit" (any other GS1 key's).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

from .identifiers import (
    IdentifierError,
    is_digital_link_candidate,
    parse_digital_link,
    parse_epc_uri,
)

EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)

# RFC 3339 date-time (= xsd:dateTimeStamp: the offset is mandatory). ASCII digits only.
_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_TZ_OFFSET = re.compile(r"[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)")

_INSTANCE_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


class Finding(NamedTuple):
    """One broken rule: where (a JSON pointer into the document), which rule, and why."""

    path: str
    rule: str
    message: str


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path parts, escaping ``~`` and ``/``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def date_time_problem(value: Any) -> str | None:
    """Why ``value`` is not an RFC 3339 date-time with an offset, or None when it is one."""
    if not isinstance(value, str):
        return f"{value!r} is not a string"
    match = _DATE_TIME.fullmatch(value)
    if not match:
        return (
            f"{value!r} is not an RFC 3339 date-time with a time-zone offset "
            "(like 2024-05-01T10:00:00.000+02:00 or ...Z)"
        )
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    offset = match.group(8)
    try:
        # RFC 3339 allows a leap second (:60); datetime does not, so check it as :59.
        datetime(year, month, day, hour, minute, min(second, 59))
        if offset not in {"Z", "z"}:
            off_h, off_m = int(offset[1:3]), int(offset[4:6])
            if off_h > 23 or off_m > 59:
                raise ValueError(f"offset {offset} is out of range")
    except ValueError as exc:
        return f"{value!r} is not a real date and time: {exc}"
    if second == 60 and not (hour == 23 and minute == 59):
        return f"{value!r} has a leap second outside 23:59"
    return None


def event_findings(event: dict[str, Any], *, at: str) -> list[Finding]:
    """Every rule ``event`` (found at JSON pointer ``at``) breaks, in document order."""
    found: list[Finding] = []
    kind = event.get("type")
    if kind not in EVENT_TYPES:
        why = "has no type" if kind is None else f"has type {kind!r}"
        found.append(
            Finding(
                at + "/type",
                "event-type",
                f"event {why}; expected one of {', '.join(EVENT_TYPES)}",
            )
        )
    found.extend(_time_findings(event, at=at))
    found.extend(_identifier_findings(event, at=at))
    return found


def _time_findings(event: dict[str, Any], *, at: str) -> Iterator[Finding]:
    if "eventTime" not in event:
        yield Finding(at + "/eventTime", "event-time", "eventTime is missing")
    else:
        why = date_time_problem(event["eventTime"])
        if why:
            yield Finding(at + "/eventTime", "event-time", f"eventTime {why}")
    if "recordTime" in event:
        why = date_time_problem(event["recordTime"])
        if why:
            yield Finding(at + "/recordTime", "event-time", f"recordTime {why}")
    offset = event.get("eventTimeZoneOffset")
    if "eventTimeZoneOffset" not in event:
        yield Finding(at + "/eventTimeZoneOffset", "tz-offset", "eventTimeZoneOffset is missing")
    elif not isinstance(offset, str) or not _TZ_OFFSET.fullmatch(offset):
        yield Finding(
            at + "/eventTimeZoneOffset",
            "tz-offset",
            f"eventTimeZoneOffset {offset!r} is not an offset from -14:00 to +14:00 like +02:00",
        )


# What an EPC URN may be in each place: (allowed kinds, allowed schemes or None for any).
_PLACES: dict[str, tuple[frozenset[str], frozenset[str] | None]] = {
    "instance": (frozenset({"id"}), None),
    "class": (frozenset({"class", "idpat"}), None),
    "location": (frozenset({"id"}), frozenset({"sgln"})),
    "party": (frozenset({"id"}), frozenset({"sgln", "pgln"})),
}
# Identifiers longer than this are checked every time rather than kept in the cache.
_CACHED_LENGTH = 256


def _identifier_findings(event: dict[str, Any], *, at: str) -> Iterator[Finding]:
    # Paths are built only for a value that breaks a rule: most of a large capture breaks none.
    for key in _INSTANCE_LISTS:
        values = event.get(key)
        if isinstance(values, list):
            for i, value in enumerate(values):
                why = _check(value, "instance")
                if why:
                    yield Finding(f"{at}/{key}/{i}", *why)
    if "parentID" in event:
        why = _check(event["parentID"], "instance")
        if why:
            yield Finding(at + "/parentID", *why)
    for key in _QUANTITY_LISTS:
        values = event.get(key)
        if isinstance(values, list):
            for i, item in enumerate(values):
                if isinstance(item, dict) and "epcClass" in item:
                    why = _check(item["epcClass"], "class")
                    if why:
                        yield Finding(f"{at}/{key}/{i}/epcClass", *why)
    for key in ("readPoint", "bizLocation"):
        place = event.get(key)
        if isinstance(place, dict) and "id" in place:
            why = _check(place["id"], "location")
            if why:
                yield Finding(f"{at}/{key}/id", *why)
    for key, field in (("sourceList", "source"), ("destinationList", "destination")):
        values = event.get(key)
        if isinstance(values, list):
            for i, item in enumerate(values):
                if isinstance(item, dict) and field in item:
                    why = _check(item[field], "party")
                    if why:
                        yield Finding(f"{at}/{key}/{i}/{field}", *why)
    transactions = event.get("bizTransactionList")
    if isinstance(transactions, list):
        for i, item in enumerate(transactions):
            if isinstance(item, dict) and "bizTransaction" in item:
                why = _check(item["bizTransaction"], "instance")
                if why:
                    yield Finding(f"{at}/bizTransactionList/{i}/bizTransaction", *why)


def _check(value: Any, place: str) -> tuple[str, str] | None:
    """(rule, message) when one identifier breaks a rule, else None.

    Non-strings are left to the schema, which reports them with its own message. The same
    location, party and class identifiers recur in thousands of events, so short ones are
    answered from a cache.
    """
    if not isinstance(value, str):
        return None
    if len(value) > _CACHED_LENGTH:
        return _identifier_problem.__wrapped__(value, place)
    return _identifier_problem(value, place)


@functools.lru_cache(maxsize=4096)
def _identifier_problem(value: str, place: str) -> tuple[str, str] | None:
    """EPC URNs and Digital Links are parsed; other URIs pass."""
    kinds, schemes = _PLACES[place]
    if value.lower().startswith("urn:epc:"):  # "URN:EPC:..." is an EPC URN written wrongly
        try:
            epc = parse_epc_uri(value)
        except IdentifierError as exc:
            return _rule(exc, "epc-uri"), str(exc)
        if epc.kind not in kinds or (schemes is not None and epc.scheme not in schemes):
            want = " or ".join(sorted(schemes)) if schemes else " or ".join(sorted(kinds))
            return (
                "epc-uri",
                f"EPC URI {value!r} is a {epc.kind}:{epc.scheme}; here EPCIS expects {want}",
            )
    elif is_digital_link_candidate(value):
        try:
            parse_digital_link(value)
        except IdentifierError as exc:
            return _rule(exc, "digital-link"), str(exc)
    return None


def _rule(exc: IdentifierError, default: str) -> str:
    return exc.rule if exc.rule in {"gtin-check-digit", "check-digit"} else default
