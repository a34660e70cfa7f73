"""EPCIS 2.0 REST query parameters → :class:`EventFilters`, refusing bad ones by name.

The parameters are those of the EPCIS 2.0 query interface (``eventType``, ``GE_eventTime``,
``EQ_bizStep``, ``MATCH_anyEPC`` …) plus the friendly ``gtin``, ``serial`` and ``lot``. A list
value may repeat the parameter or separate values with ``|`` as the REST binding does.
Identifiers are compared by identity, so an EPC URN finds events that wrote the Digital Link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from agora.core.errors import AgoraError, FieldError
from agora.traceability.capture.errors import EPCIS_QUERY_PARAMETER
from agora.traceability.capture.identity import IdentifierError, identity_of
from agora.traceability.capture.selectors import (
    MATCH_ANY_EPC_CLASS_ROLES,
    MATCH_ANY_EPC_ROLES,
    MATCH_EPC_CLASS_ROLES,
    MATCH_EPC_ROLES,
    EventFilters,
)
from agora.traceability.capture.vocabulary import normalise_biz_step, normalise_disposition
from agora.traceability.epcis.identifiers import gtin_normalise
from agora.traceability.epcis.rules import EVENT_TYPES

__all__ = ["EVENT_TYPES", "PAGE_PARAMETERS", "filters_from", "parameter_error"]

ACTIONS = ("ADD", "OBSERVE", "DELETE")
PAGE_PARAMETERS = ("perPage", "nextPageToken")
_MATCH = {
    "MATCH_epc": MATCH_EPC_ROLES,
    "MATCH_anyEPC": MATCH_ANY_EPC_ROLES,
    "MATCH_epcClass": MATCH_EPC_CLASS_ROLES,
    "MATCH_anyEPCClass": MATCH_ANY_EPC_CLASS_ROLES,
}
_TIMES = ("GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime")
_LISTS = (
    "eventType",
    "EQ_action",
    "EQ_bizStep",
    "EQ_disposition",
    "EQ_bizLocation",
    "EQ_readPoint",
)
_SINGLE = ("gtin", "serial", "lot")
KNOWN = (*_LISTS, *_TIMES, *_MATCH, *_SINGLE, *PAGE_PARAMETERS)


def parameter_error(name: str, message: str) -> AgoraError:
    """The 400 problem for one bad parameter, naming it in ``detail`` and ``errors``."""
    return AgoraError(EPCIS_QUERY_PARAMETER, f"{name}: {message}", [FieldError(name, message)])


def _values(params: Mapping[str, Sequence[str]], name: str) -> tuple[str, ...]:
    found: list[str] = []
    for raw in params.get(name, ()):
        for value in raw.split("|"):
            if not value.strip():
                raise parameter_error(name, "has an empty value")
            found.append(value.strip())
    return tuple(found)


def _one(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = list(params.get(name, ()))
    if len(values) > 1:
        raise parameter_error(name, "may be given once")
    if values and not values[0].strip():
        raise parameter_error(name, "has an empty value")
    return values[0].strip() if values else ""


def _time(params: Mapping[str, Sequence[str]], name: str) -> datetime | None:
    text = _one(params, name)
    if not text:
        return None
    # A '+' offset left unescaped in a query string arrives as a space.
    candidate = text.replace(" ", "+").replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in candidate:
        raise parameter_error(
            name, f"{text!r} is not an RFC 3339 date-time with an offset, e.g. 2024-05-01T10:00Z"
        )
    return moment


def filters_from(params: Mapping[str, Sequence[str]]) -> EventFilters:
    """Parses a query string (``request.GET.lists()`` as a mapping); raises the 400 problem."""
    unknown = sorted(name for name in params if name not in KNOWN)
    if unknown:
        raise parameter_error(
            unknown[0], f"is not a query parameter of this endpoint; known: {', '.join(KNOWN)}"
        )
    event_types = _values(params, "eventType")
    for value in event_types:
        if value not in EVENT_TYPES:
            raise parameter_error("eventType", f"{value!r} is not one of {', '.join(EVENT_TYPES)}")
    actions = _values(params, "EQ_action")
    for value in actions:
        if value not in ACTIONS:
            raise parameter_error("EQ_action", f"{value!r} is not one of {', '.join(ACTIONS)}")
    matches = []
    for name, roles in _MATCH.items():
        keys = []
        for value in _values(params, name):
            try:
                keys.append(identity_of(value).key)
            except IdentifierError as exc:
                raise parameter_error(name, str(exc)) from None
        if keys:
            matches.append((roles, tuple(keys)))
    gtin = _one(params, "gtin")
    if gtin:
        try:
            gtin = gtin_normalise(gtin)
        except IdentifierError as exc:
            raise parameter_error("gtin", str(exc)) from None
    return EventFilters(
        event_types=event_types,
        ge_event_time=_time(params, "GE_eventTime"),
        lt_event_time=_time(params, "LT_eventTime"),
        ge_record_time=_time(params, "GE_recordTime"),
        lt_record_time=_time(params, "LT_recordTime"),
        actions=actions,
        biz_steps=tuple(normalise_biz_step(v) for v in _values(params, "EQ_bizStep")),
        dispositions=tuple(normalise_disposition(v) for v in _values(params, "EQ_disposition")),
        biz_locations=_values(params, "EQ_bizLocation"),
        read_points=_values(params, "EQ_readPoint"),
        matches=tuple(matches),
        gtin=gtin,
        serial=_one(params, "serial"),
        lot=_one(params, "lot"),
    )
