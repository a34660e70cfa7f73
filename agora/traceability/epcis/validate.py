"""Validate an EPCIS 2.0 document: limits, JSON, the official schema, then our own rules.

One entry point, :func:`validate_document`, used by the capture API and ``agora epcis validate``,
so both accept and reject exactly the same documents. Problems name the event (its index in the
event list, its eventID and type), a JSON pointer and a stable rule code; a document is ``ok``
only with no problems at all.

The schema is checked event by event: each event first by the compiled fast check, and only
events it refuses (plus the document around the events, which is small) by jsonschema, which
says what is wrong and where. :func:`validate_document_reference` runs jsonschema over the whole
document as before; the tests and ``bench/epcis_validate.py`` hold the two to the same reports.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from . import document, rules, schema

MAX_BYTES = 10_000_000
MAX_DEPTH = 64
MAX_PROBLEMS = 1000
DOCUMENT_TYPES = {
    "EPCISDocument": ("epcisBody", "eventList"),
    "EPCISQueryDocument": ("epcisBody", "queryResults", "resultsBody", "eventList"),
}
_REQUIRED = re.compile(r"'(.+)' is a required property")
_EVENT_AT = re.compile(r"/(\d+)(?=/|$)")


@dataclass(frozen=True)
class Problem:
    """One reason a document is rejected."""

    event_index: int | None
    event_id: str | None
    event_type: str | None
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        where = "document"
        if self.event_index is not None:
            about = ", ".join(x for x in (self.event_type, self.event_id) if x)
            where = f"event {self.event_index}" + (f" ({about})" if about else "")
        at = f" at {self.path}" if self.path else ""
        return f"{where}{at}: [{self.rule}] {self.message}"


@dataclass
class Report:
    """The outcome: the events as written in the document and every problem found."""

    events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    document_type: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def type_counts(self) -> Counter[str]:
        return Counter(str(e.get("type")) for e in self.events)

    def summary(self) -> str:
        """``valid: 3 events (2 ObjectEvent, 1 AggregationEvent)`` or ``invalid: 2 problems``."""
        if not self.ok:
            n = len(self.problems)
            return f"invalid: {n} problem{'s' if n != 1 else ''}"
        n = len(self.events)
        counts = ", ".join(f"{c} {t}" for t, c in self.type_counts().most_common())
        return f"valid: {n} event{'s' if n != 1 else ''}" + (f" ({counts})" if counts else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "document_type": self.document_type,
            "event_count": len(self.events),
            "event_types": dict(self.type_counts().most_common()),
            "problems": [asdict(p) for p in self.problems],
        }


def validate_document(
    raw: bytes | str,
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_events: int | None = None,
) -> Report:
    """Check an EPCIS 2.0 JSON/JSON-LD document (EPCISDocument or EPCISQueryDocument).

    Never raises for bad input (that is a problem in the report); raises
    :class:`~.schema.SchemaMissing` only when our copy of the schema was not built.
    ``max_events`` (optional) refuses a longer event list before the schema runs: a capture
    endpoint may want a cap of its own (a valid event costs about 0.2 ms all told, one the fast
    check refuses about a millisecond more).
    """
    return _validate(raw, max_bytes, max_depth, max_events, by_event=True)


def validate_document_reference(
    raw: bytes | str,
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_events: int | None = None,
) -> Report:
    """:func:`validate_document` with jsonschema over the whole document and no fast check.

    The slow path as it was first written, kept as the reference the fast path must agree with
    (tests) and is measured against (``bench/epcis_validate.py``); not for production use.
    """
    return _validate(raw, max_bytes, max_depth, max_events, by_event=False)


def _validate(
    raw: bytes | str, max_bytes: int, max_depth: int, max_events: int | None, *, by_event: bool
) -> Report:
    validator = schema.validator()  # fail loudly on a broken install before looking at input
    try:
        doc = document.parse(raw, max_bytes=max_bytes, max_depth=max_depth)
    except document.DocumentError as exc:
        return Report(problems=[Problem(None, None, None, "", exc.rule, str(exc))])
    report = Report()
    if not isinstance(doc, dict):
        report.problems.append(
            Problem(None, None, None, "", "schema", "the document must be a JSON object")
        )
        return report
    located = _locate_events(doc, report)
    if max_events is not None and len(located) > max_events:
        report.problems.append(
            Problem(
                None,
                None,
                None,
                rules.pointer(*DOCUMENT_TYPES[report.document_type or "EPCISDocument"]),
                "too-many-events",
                f"document has {len(located):,} events, over the limit of {max_events:,}",
            )
        )
        return report
    events_at: dict[str, dict[str, Any]] = {}
    for at, event in located:
        if isinstance(event, dict):
            report.events.append(event)
            events_at[at] = event
    findings = [f for at, event in events_at.items() for f in rules.event_findings(event, at=at)]
    if report.document_type is None:
        return report  # not an EPCIS document: the schema would only guess at what it is
    # A schema error where one of our rules already spoke is the same problem said less clearly;
    # several schema errors at one place (an enum and a pattern) are one problem too.
    covered = {f.path for f in findings}
    errors = (
        _errors_by_event(doc, report.document_type)
        if by_event and schema.events_separable()
        else validator.iter_errors(doc)
    )
    for error in errors:
        finding = _schema_finding(error)
        if not any(finding.path == p or finding.path.startswith(p + "/") for p in covered):
            findings.append(finding)
            covered.add(finding.path)
    prefix = _events_prefix(doc)
    for finding in findings:
        report.problems.append(_attribute(finding, prefix, located))
    report.problems.sort(key=lambda p: (p.event_index is not None, p.event_index or 0, p.path))
    if len(report.problems) > MAX_PROBLEMS:
        extra = len(report.problems) - MAX_PROBLEMS
        del report.problems[MAX_PROBLEMS:]
        report.problems.append(
            Problem(None, None, None, "", "too-many-problems", f"{extra} more problems not shown")
        )
    return report


def _errors_by_event(doc: dict[str, Any], kind: str) -> Iterable[ValidationError]:
    """The schema errors of ``doc``, the same as jsonschema's over the whole document.

    Each event goes through the fast check, and jsonschema looks only at those it refuses (with
    the event's place prefixed to the error paths) and at the document with its event list
    emptied. Event errors come first because that is where jsonschema's own walk puts them
    relative to the only document errors that can enclose an event (``propertyNames`` of the
    objects around the list come after their ``properties``): the caller keeps the first error
    at a place and drops the ones inside it, so the order decides which survive.
    """
    keys = DOCUMENT_TYPES[kind]
    node: Any = doc
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, list):  # no event list to split off: the document is small
        return schema.validator().iter_errors(doc)
    return _split_errors(doc, keys, node)


def _split_errors(
    doc: dict[str, Any], keys: tuple[str, ...], events: list[Any]
) -> Iterator[ValidationError]:
    fast = schema.fast_event_check()
    for index, event in enumerate(events):
        if fast(event):
            continue
        for error in schema.event_validator().iter_errors(event):
            error.path.extendleft(reversed((*keys, index)))  # children see it through .parent
            yield error
    shell = dict(doc)
    node = shell
    for key in keys[:-1]:
        node[key] = dict(node[key])
        node = node[key]
    node[keys[-1]] = []
    yield from schema.validator().iter_errors(shell)


def _events_prefix(doc: dict[str, Any]) -> str | None:
    keys = DOCUMENT_TYPES.get(doc.get("type"))  # type: ignore[arg-type]
    return rules.pointer(*keys) if keys else None


def _locate_events(doc: dict[str, Any], report: Report) -> list[tuple[str, Any]]:
    """(pointer, event) pairs of the document's event list; a bad document type is a problem."""
    kind = doc.get("type")
    keys = DOCUMENT_TYPES.get(kind) if isinstance(kind, str) else None
    if keys is None:
        report.problems.append(
            Problem(
                None,
                None,
                None,
                "/type",
                "document-type",
                f"document type {kind!r} is not EPCISDocument or EPCISQueryDocument",
            )
        )
        return []
    report.document_type = kind
    node: Any = doc
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, list):
        return []  # the schema reports the missing or malformed event list
    base = rules.pointer(*keys)
    return [(f"{base}/{i}", event) for i, event in enumerate(node)]


def _schema_finding(error: ValidationError) -> rules.Finding:
    """A schema error as a finding at the most specific place the schema can tell."""
    if error.context:  # anyOf/oneOf: the branch that got furthest says most
        error = best_match(error.context)
    path = rules.pointer(*error.absolute_path)
    message = error.message
    if error.validator == "required":
        missing = _REQUIRED.match(message)
        if missing:
            path = rules.pointer(*error.absolute_path, missing.group(1))
            message = f"{missing.group(1)} is required here"
    if len(message) > 300:
        message = message[:297] + "..."
    return rules.Finding(path, "schema", message)


def _attribute(
    finding: rules.Finding, prefix: str | None, located: list[tuple[str, Any]]
) -> Problem:
    """Name the event a finding is about (index, eventID, type) when it is inside one."""
    index = None
    if prefix is not None and finding.path.startswith(prefix + "/"):
        match = _EVENT_AT.match(finding.path[len(prefix) :])
        if match:
            index = int(match.group(1))
    event_id = event_type = None
    if index is not None and index < len(located) and isinstance(located[index][1], dict):
        event = located[index][1]
        event_id = event.get("eventID") if isinstance(event.get("eventID"), str) else None
        event_type = event.get("type") if isinstance(event.get("type"), str) else None
    return Problem(index, event_id, event_type, finding.path, finding.rule, finding.message)
