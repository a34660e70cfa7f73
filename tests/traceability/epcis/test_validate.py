"""validate_document: the official examples pass; broken copies fail with the rule and place."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from agora.traceability.epcis.validate import validate_document
from tests.helpers import shared_data, skip_without

EPCIS_DIR = shared_data("epcis")
EXAMPLES = sorted((EPCIS_DIR / "examples").glob("*.jsonld")) if EPCIS_DIR.is_dir() else []

# The validator reads our build-time copy of the official schema, made from ../shared by make.
pytestmark = skip_without(EPCIS_DIR)

EVENTS = "/epcisBody/eventList"


def minimal() -> dict:
    """A small valid EPCISDocument: one shipping ObjectEvent and one AggregationEvent."""
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2024-05-01T10:00:00.000Z",
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventID": "urn:uuid:4c1ed3f6-0c39-4f7e-9d5f-7c1d1b5d1a01",
                    "eventTime": "2024-05-01T09:30:00.000+02:00",
                    "eventTimeZoneOffset": "+02:00",
                    "epcList": [
                        "urn:epc:id:sgtin:0614141.812345.6789",
                        "https://id.gs1.org/01/09506000134352/21/A%2F1",
                        "urn:example:agora:item:42",
                        "https://example.com/things/42",
                    ],
                    "action": "OBSERVE",
                    "bizStep": "shipping",
                    "readPoint": {"id": "urn:epc:id:sgln:0614141.00777.0"},
                    "bizLocation": {"id": "https://id.gs1.org/414/9506000134307"},
                    "quantityList": [
                        {"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 2}
                    ],
                    "sourceList": [
                        {"type": "owning_party", "source": "urn:epc:id:pgln:0614141.00001"}
                    ],
                },
                {
                    "type": "AggregationEvent",
                    "eventID": "urn:uuid:4c1ed3f6-0c39-4f7e-9d5f-7c1d1b5d1a02",
                    "eventTime": "2024-05-01T08:00:00Z",
                    "eventTimeZoneOffset": "-05:00",
                    "parentID": "urn:epc:id:sscc:0614141.1234567890",
                    "childEPCs": ["urn:epc:id:sgtin:0614141.812345.6790"],
                    "action": "ADD",
                },
            ]
        },
    }


def check(doc: dict | bytes | str):
    raw = doc if isinstance(doc, bytes | str) else json.dumps(doc)
    return validate_document(raw)


def only_problem(report):
    assert not report.ok
    rules = [(p.rule, p.path) for p in report.problems]
    assert len(report.problems) == 1, rules
    return report.problems[0]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_official_example_is_accepted(path: Path):
    report = validate_document(path.read_bytes())
    assert report.ok, [str(p) for p in report.problems]
    assert report.events and report.summary().startswith(f"valid: {len(report.events)} event")


def test_the_examples_are_there():
    assert len(EXAMPLES) >= 30


def test_minimal_document_is_valid_and_summarised():
    report = check(minimal())
    assert report.ok, [str(p) for p in report.problems]
    assert report.summary() == "valid: 2 events (1 ObjectEvent, 1 AggregationEvent)"
    assert report.events[1]["parentID"] == "urn:epc:id:sscc:0614141.1234567890"


def test_query_document_and_empty_event_list_are_accepted():
    doc = minimal()
    query = {
        "@context": doc["@context"],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": "2024-05-01T10:00:00Z",
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": doc["epcisBody"]["eventList"]},
            }
        },
    }
    report = check(query)
    assert report.ok, [str(p) for p in report.problems]
    assert len(report.events) == 2 and report.document_type == "EPCISQueryDocument"
    doc["epcisBody"]["eventList"] = []
    assert check(doc).summary() == "valid: 0 events"


def broken(mutate) -> dict:
    doc = minimal()
    mutate(doc["epcisBody"]["eventList"][0])
    return doc


def set_key(key, value):
    return lambda event: event.__setitem__(key, value)


def drop_key(key):
    return lambda event: event.pop(key)


def set_epc(value):
    return lambda event: event["epcList"].__setitem__(1, value)


@pytest.mark.parametrize(
    ("mutate", "rule", "path"),
    [
        (set_epc("https://id.gs1.org/01/09506000134353/21/1"), "gtin-check-digit", "/epcList/1"),
        (set_epc("https://id.gs1.org/01/09506000134352/21/1/10/L"), "digital-link", "/epcList/1"),
        (set_epc("https://id.gs1.org/01/0950600013435"), "gtin-check-digit", "/epcList/1"),
        (set_epc("urn:epc:id:sgtin:0614141.8123458.6789"), "epc-uri", "/epcList/1"),
        (set_epc("urn:epc:class:lgtin:4012345.012345.1"), "epc-uri", "/epcList/1"),
        (set_epc("URN:EPC:ID:SGTIN:0614141.812345.6789"), "epc-uri", "/epcList/1"),
        (drop_key("eventTime"), "event-time", "/eventTime"),
        (set_key("eventTime", "2024-05-01 09:30:00"), "event-time", "/eventTime"),
        (set_key("eventTime", "2024-05-01T09:30:00"), "event-time", "/eventTime"),  # no offset
        (set_key("eventTime", "2024-02-30T09:30:00Z"), "event-time", "/eventTime"),
        (set_key("recordTime", "yesterday"), "event-time", "/recordTime"),
        (set_key("eventTimeZoneOffset", "+25:00"), "tz-offset", "/eventTimeZoneOffset"),
        (set_key("eventTimeZoneOffset", "+14:30"), "tz-offset", "/eventTimeZoneOffset"),
        (set_key("eventTimeZoneOffset", "0200"), "tz-offset", "/eventTimeZoneOffset"),
        (drop_key("eventTimeZoneOffset"), "tz-offset", "/eventTimeZoneOffset"),
        (set_key("type", "FooEvent"), "event-type", "/type"),
        (set_key("type", "https://ns.example.com/epcis/FooEvent"), "event-type", "/type"),
        (drop_key("action"), "schema", "/action"),
        (set_key("action", "SHOUT"), "schema", "/action"),
        (set_epc(42), "schema", "/epcList/1"),
        (
            lambda e: e["readPoint"].__setitem__("id", "urn:epc:id:sgtin:0614141.812345.1"),
            "epc-uri",
            "/readPoint/id",
        ),
        (
            lambda e: e["bizLocation"].__setitem__("id", "https://id.gs1.org/414/9506000134308"),
            "check-digit",
            "/bizLocation/id",
        ),
        (
            lambda e: e["quantityList"][0].__setitem__("epcClass", "urn:epc:id:sgtin:0614141.8.1"),
            "epc-uri",
            "/quantityList/0/epcClass",
        ),
        (
            lambda e: e["sourceList"][0].__setitem__("source", "urn:epc:id:pgln:0614141.0001"),
            "epc-uri",
            "/sourceList/0/source",
        ),
    ],
)
def test_broken_event_is_rejected_with_rule_and_pointer(mutate, rule, path):
    problem = only_problem(check(broken(mutate)))
    assert (problem.rule, problem.path) == (rule, EVENTS + "/0" + path)
    assert problem.event_index == 0
    assert problem.event_id == "urn:uuid:4c1ed3f6-0c39-4f7e-9d5f-7c1d1b5d1a01"
    assert str(problem).startswith("event 0 (")


def test_problem_names_the_second_event():
    doc = minimal()
    doc["epcisBody"]["eventList"][1]["childEPCs"] = ["urn:epc:id:sscc:0614141.12345"]
    problem = only_problem(check(doc))
    assert (problem.event_index, problem.event_type) == (1, "AggregationEvent")
    assert problem.path == EVENTS + "/1/childEPCs/0" and problem.rule == "epc-uri"


def test_every_problem_of_every_event_is_reported():
    doc = minimal()
    doc["epcisBody"]["eventList"][0]["eventTimeZoneOffset"] = "+25:00"
    doc["epcisBody"]["eventList"][1]["type"] = "FooEvent"
    report = check(doc)
    assert [(p.event_index, p.rule) for p in report.problems] == [
        (0, "tz-offset"),
        (1, "event-type"),
    ]
    assert report.summary() == "invalid: 2 problems"


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        (b'{"type": "EPCISDocument", "epcisBody": {"eventList": [}', "json"),
        (json.dumps(minimal()).encode()[:-40], "json"),  # truncated file
        (b'{"type": "EPCISDocument", "x": "' + b"a" * 11_000_000 + b'"}', "too-large"),
        (b'{"type": "EPCISDocument", "x": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", "too-deep"),
        (b"[]", "schema"),
        (json.dumps({**minimal(), "type": "EPCISThing"}).encode(), "document-type"),
    ],
    ids=["malformed", "truncated", "11MB", "10000-deep", "array", "document-type"],
)
def test_bad_documents_are_rejected(raw, rule):
    problem = check(raw).problems[0]
    assert problem.rule == rule
    assert problem.event_index is None


def test_missing_event_list_is_a_schema_problem():
    doc = minimal()
    del doc["epcisBody"]["eventList"]
    report = check(doc)
    assert ("schema", "/epcisBody/eventList") in [(p.rule, p.path) for p in report.problems]


@pytest.mark.parametrize("path", EXAMPLES[:8], ids=lambda p: p.name)
def test_broken_copies_of_the_examples_are_rejected(path: Path):
    original = json.loads(path.read_bytes())
    events = original["epcisBody"]["eventList"]
    for key, value, rule in [
        ("eventTime", None, "event-time"),
        ("eventTimeZoneOffset", "+25:00", "tz-offset"),
        ("type", "FooEvent", "event-type"),
    ]:
        doc = copy.deepcopy(original)
        event = doc["epcisBody"]["eventList"][len(events) - 1]
        if value is None:
            del event[key]
        else:
            event[key] = value
        report = check(doc)
        assert [(p.rule, p.event_index) for p in report.problems] == [(rule, len(events) - 1)]


def test_event_count_limit_is_optional():
    raw = json.dumps(minimal())
    assert validate_document(raw, max_events=2).ok
    problem = only_problem(validate_document(raw, max_events=1))
    assert (problem.rule, problem.path) == ("too-many-events", EVENTS)
    assert "2 events, over the limit of 1" in problem.message
