"""The fast schema path (fastjsonschema, event by event) agrees with the reference (jsonschema).

validate_document checks each event with the compiled fast check and asks jsonschema only about
the events it refuses; validate_document_reference runs jsonschema over the whole document. Both
must accept the official examples and reject every broken copy with the same problems.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from agora.traceability.epcis import schema
from agora.traceability.epcis.validate import validate_document, validate_document_reference
from tests.helpers import shared_data, skip_without

EPCIS_DIR = shared_data("epcis")
EXAMPLES = sorted((EPCIS_DIR / "examples").glob("*.jsonld")) if EPCIS_DIR.is_dir() else []

pytestmark = skip_without(EPCIS_DIR)


def jsonschema_accepts(event) -> bool:
    return next(iter(schema.event_validator().iter_errors(event)), None) is None


def both(raw: bytes | str):
    """The fast and the reference report of one document, which must be the same."""
    fast, reference = validate_document(raw), validate_document_reference(raw)
    assert fast.problems == reference.problems
    assert fast.events == reference.events and fast.document_type == reference.document_type
    return fast


def test_the_schema_lets_events_be_checked_one_by_one():
    assert schema.events_separable()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_official_example_is_accepted_by_both_paths(path: Path):
    doc = json.loads(path.read_bytes())
    for event in doc["epcisBody"]["eventList"]:
        assert schema.fast_event_check()(event), event.get("eventID")
        assert jsonschema_accepts(event)
    report = both(path.read_bytes())
    assert report.ok, [str(p) for p in report.problems]


# Breakages at the schema level (the fast check must refuse them) and at the rules level.
BREAKS = [
    ("drop eventTime", lambda e: e.pop("eventTime", None), True),
    ("eventTime without offset", lambda e: e.__setitem__("eventTime", "2024-05-01T09:30:00"), True),
    ("eventTime +0200", lambda e: e.__setitem__("eventTime", "2024-05-01T09:30:00+0200"), True),
    ("eventTime Feb 30", lambda e: e.__setitem__("eventTime", "2024-02-30T09:30:00Z"), True),
    ("bizStep malformed URI", lambda e: e.__setitem__("bizStep", "http://exa mple.com/x"), True),
    ("readPoint bad URI", lambda e: e.__setitem__("readPoint", {"id": "urn x"}), True),
    ("eventID not a string", lambda e: e.__setitem__("eventID", 42), True),
    ("action SHOUT", lambda e: e.__setitem__("action", "SHOUT"), True),
    ("type FooEvent", lambda e: e.__setitem__("type", "FooEvent"), True),
    ("tz offset +25:00", lambda e: e.__setitem__("eventTimeZoneOffset", "+25:00"), True),
    ("unknown short property", lambda e: e.__setitem__("colour", "red"), True),
    ("epcList holds a number", lambda e: e.__setitem__("epcList", [42]), True),
    ("bad SSCC", lambda e: e.__setitem__("parentID", "urn:epc:id:sscc:0614141.12345"), False),
]


def first_event_with_action(doc: dict) -> dict:
    events = doc["epcisBody"]["eventList"]
    return next((e for e in events if "action" in e), events[-1])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_broken_copies_are_rejected_the_same_by_both_paths(path: Path):
    original = json.loads(path.read_bytes())
    for name, mutate, schema_level in BREAKS:
        doc = copy.deepcopy(original)
        event = first_event_with_action(doc)
        mutate(event)
        if schema_level:
            assert not schema.fast_event_check()(event), name
            assert not jsonschema_accepts(event), name
        report = both(json.dumps(doc))
        assert not report.ok, name


def test_document_level_errors_and_non_object_events_agree():
    doc = json.loads(EXAMPLES[0].read_bytes())
    doc["creationDate"] = "yesterday"
    doc["epcisBody"]["eventList"].append("not an event")
    doc["epcisBody"]["eventList"][0]["action"] = "SHOUT"
    report = both(json.dumps(doc))
    assert {(p.rule, p.event_index) for p in report.problems} >= {
        ("schema", None),
        ("schema", 0),
        ("schema", len(doc["epcisBody"]["eventList"]) - 1),
    }


def test_an_error_around_the_events_keeps_the_event_errors_as_before():
    """A bad property name in resultsBody is reported at a place that encloses every event;
    the reference reports the event errors too (jsonschema walks the events first)."""
    doc = json.loads(EXAMPLES[0].read_bytes())
    events = doc["epcisBody"]["eventList"]
    events[0]["action"] = "SHOUT"
    query = {
        "@context": doc["@context"],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": "2024-05-01T10:00:00Z",
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": events, "not a uri": 1},
            }
        },
    }
    report = both(json.dumps(query))
    paths = [p.path for p in report.problems]
    assert "/epcisBody/queryResults/resultsBody/eventList/0/action" in paths
    assert "/epcisBody/queryResults/resultsBody" in paths


POOL = [None, True, 42, -1.5, "", "not a uri", "2024-05-01T09:30:00", "urn:x:y", [], {}, ["a"]]


def test_random_mutations_of_example_events_get_the_same_verdict():
    """Seeded mutations of every example event: the fast check and jsonschema agree on each."""
    rng = random.Random(2026)
    events = [
        e
        for path in EXAMPLES
        for e in json.loads(path.read_bytes())["epcisBody"]["eventList"]
        if isinstance(e, dict)
    ]
    refused = 0
    for _ in range(600):
        event = copy.deepcopy(rng.choice(events))
        node = event
        # Walk down a few levels to a random object, then drop or replace one of its keys.
        for _depth in range(rng.randint(0, 3)):
            children = [v for v in node.values() if isinstance(v, dict)]
            children += [x for v in node.values() if isinstance(v, list) for x in v]
            children = [c for c in children if isinstance(c, dict) and c]
            if not children:
                break
            node = rng.choice(children)
        key = rng.choice(sorted(node))
        if rng.random() < 0.2:
            del node[key]
        else:
            node[key] = copy.deepcopy(rng.choice(POOL))
        fast = schema.fast_event_check()(event)
        assert fast == jsonschema_accepts(event), (key, node.get(key), event)
        refused += not fast
    assert refused > 100  # the mutations do break events, so the comparison means something
