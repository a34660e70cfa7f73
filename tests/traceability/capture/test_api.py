"""The EPCIS REST endpoints: capture with a seller key, public query and single-event reads."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.test import Client

from agora.traceability.capture.services import epcis_capture
from agora.traceability.epcis.validate import validate_document
from agora.traceability.models import EpcisEvent, LogEntry
from tests.conftest import assert_problem, key_client
from tests.traceability.capture.documents import (
    GTIN,
    LGTIN,
    SGTIN,
    SGTIN_DL,
    document,
    object_event,
    raw,
)

pytestmark = pytest.mark.django_db
CAPTURE = "/api/v1/epcis/capture"
EVENTS = "/api/v1/epcis/events"


def post_raw(client: Client, body: bytes, **headers: str):
    return client.post(CAPTURE, body, content_type="application/ld+json", headers=headers or None)


def test_capture_answers_the_finished_job_and_stores_the_events(api):
    response = post_raw(api, raw(object_event(), object_event(bizStep="receiving")))

    assert response.status_code == 202, response.content
    job = response.json()
    assert job["running"] is False and job["success"] is True
    assert len(job["eventIDs"]) == 2 and job["newEvents"] == 2
    assert response["Location"] == f"{CAPTURE}/{job['captureID']}"
    assert sorted(job["logIndices"]) == sorted(
        LogEntry.objects.filter(kind="epcis_event").values_list("index", flat=True)
    )
    status = Client().get(response["Location"]).json()
    assert status["eventIDs"] == job["eventIDs"] and status["logIndices"] == job["logIndices"]


def test_capture_needs_a_seller_key_with_catalog_write(seller):
    assert_problem(post_raw(Client(), raw(object_event())), 401, "unauthenticated")
    reader = key_client(seller, scopes=["catalog:read"])
    assert_problem(post_raw(reader, raw(object_event())), 403)
    assert not EpcisEvent.objects.exists()


def test_an_invalid_document_is_a_problem_listing_each_event_and_rule(api):
    bad = object_event(eventTime="yesterday")
    body = assert_problem(post_raw(api, raw(object_event(), bad)), 422, "epcis-invalid")
    assert body["errors"], body
    problem = body["errors"][0]
    assert problem["event_index"] == 1 and problem["event_type"] == "ObjectEvent"
    assert problem["pointer"].endswith("/eventTime") and problem["rule"]
    assert not EpcisEvent.objects.exists()


def test_malformed_json_is_a_400_problem(api):
    assert_problem(post_raw(api, b'{"type": "EPCISDocument", '), 400, "epcis-malformed")


def test_a_document_over_10_mb_is_refused_with_413_and_nothing_stored(api):
    response = post_raw(api, b" " * 10_000_001)
    assert_problem(response, 413, "epcis-too-large")
    assert not EpcisEvent.objects.exists()


def _big_document() -> bytes:
    """A valid document of about 3 MB: larger than DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)."""
    context = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
    context.append({"ex": "https://example.org/ns/"})  # type: ignore[arg-type]
    events = [object_event(**{"ex:note": f"{i}" + "n" * 750_000}) for i in range(4)]
    return json.dumps(document(*events, context=context)).encode()


def test_a_document_larger_than_the_general_upload_limit_is_captured(api, settings):
    body = _big_document()
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post_raw(api, body)
    assert response.status_code == 202, response.content[:300]
    assert EpcisEvent.objects.count() == 4


def test_idempotency_key_replays_the_first_answer_also_for_large_documents(api):
    body = _big_document()
    first = post_raw(api, body, **{"Idempotency-Key": "capture-1"})
    again = post_raw(api, body, **{"Idempotency-Key": "capture-1"})
    assert first.status_code == 202, first.content[:300]
    assert again.status_code == 202 and again["Idempotent-Replayed"] == "true"
    assert again.json()["captureID"] == first.json()["captureID"]
    other = post_raw(api, raw(object_event()), **{"Idempotency-Key": "capture-1"})
    assert_problem(other, 422, "idempotency-key-reused")


def test_a_reused_event_id_with_other_content_is_409(api):
    event_id = "urn:uuid:1b7e0c7a-0000-4000-8000-0000000000aa"
    assert post_raw(api, raw(object_event(eventID=event_id))).status_code == 202
    again = post_raw(api, raw(object_event(eventID=event_id)))
    assert again.status_code == 202  # the same event again is fine
    response = post_raw(api, raw(object_event(eventID=event_id, bizStep="receiving")))
    assert_problem(response, 409, "epcis-event-id-conflict")


# --- query -----------------------------------------------------------------------------------


@pytest.fixture
def captured(seller):
    """Three events: an item shipped, the same item received, a lot commissioned."""
    shipped = object_event(eventTime="2024-05-01T10:00:00+02:00")
    received = object_event(
        eventTime="2024-05-03T09:00:00+00:00",
        eventTimeZoneOffset="+00:00",
        epcList=[SGTIN_DL],
        bizStep="https://ref.gs1.org/cbv/BizStep-receiving",
        disposition="in_progress",
        bizLocation={"id": "urn:epc:id:sgln:9521234.00002.0"},
    )
    made = object_event(
        eventTime="2024-04-20T08:00:00+00:00",
        eventTimeZoneOffset="+00:00",
        action="ADD",
        epcList=None,
        bizStep="commissioning",
        disposition="active",
        quantityList=[{"epcClass": LGTIN, "quantity": 10}],
    )
    result = epcis_capture(seller=seller, raw=raw(shipped, received, made))
    return dict(zip(["shipped", "received", "made"], result.event_ids, strict=True))


def ids_of(response) -> list[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"] == "EPCISQueryDocument" and body["@context"]
    return [e["eventID"] for e in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["shipped", "received", "made"]),
        ("EQ_bizStep=shipping", ["shipped"]),
        ("EQ_bizStep=urn:epcglobal:cbv:bizstep:receiving", ["received"]),
        ("EQ_bizStep=shipping|commissioning", ["shipped", "made"]),
        ("EQ_disposition=https://ref.gs1.org/cbv/Disp-active", ["made"]),
        ("EQ_action=ADD", ["made"]),
        ("EQ_bizLocation=urn:epc:id:sgln:9521234.00002.0", ["received"]),
        ("EQ_readPoint=urn:epc:id:sgln:9521234.00001.0", ["shipped", "received", "made"]),
        (f"MATCH_epc={SGTIN}", ["shipped", "received"]),
        (f"MATCH_anyEPC={quote(SGTIN_DL)}", ["shipped", "received"]),
        (f"MATCH_epcClass={LGTIN}", ["made"]),
        (f"gtin={GTIN}", ["shipped", "received", "made"]),
        (f"gtin={GTIN}&lot=LOT7", ["made"]),
        (f"gtin={GTIN}&serial=S1", ["shipped", "received"]),
        ("GE_eventTime=2024-05-01T00:00:00Z", ["shipped", "received"]),
        ("GE_eventTime=2024-05-01T00:00:00Z&LT_eventTime=2024-05-02T00:00:00%2B00:00", ["shipped"]),
        ("eventType=AggregationEvent", []),
    ],
)
def test_query_filters(captured, query, expected):
    assert ids_of(Client().get(f"{EVENTS}?{query}")) == [captured[name] for name in expected]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("eventType=Shipment", "eventType"),
        ("GE_eventTime=last+week", "GE_eventTime"),
        ("GE_eventTime=2024-05-01T10:00:00", "GE_eventTime"),
        ("MATCH_epc=urn:epc:id:sgtin:9521234.054321", "MATCH_epc"),
        ("MATCH_anyEPC=https://id.gs1.org/01/09521234543214/21/S1", "MATCH_anyEPC"),
        ("gtin=12345", "gtin"),
        ("perPage=0", "perPage"),
        ("nextPageToken=nonsense", "nextPageToken"),
        ("EQ_colour=red", "EQ_colour"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_parameter(db, query, parameter):
    body = assert_problem(Client().get(f"{EVENTS}?{query}"), 400, "epcis-query-parameter")
    assert body["detail"].startswith(parameter), body


def test_query_pages_with_next_page_token(captured):
    first = Client().get(f"{EVENTS}?EQ_readPoint=urn:epc:id:sgln:9521234.00001.0&perPage=2")
    assert ids_of(first) == [captured["shipped"], captured["received"]]
    link = first["Link"]
    assert link.endswith('>; rel="next"') and "nextPageToken=" in link
    second = Client().get(link[1 : link.index(">")])
    assert ids_of(second) == [captured["made"]]
    assert "Link" not in second


def test_query_answer_is_a_valid_epcis_query_document(captured):
    response = Client().get(EVENTS)
    report = validate_document(response.content)
    assert report.ok, report.problems
    assert len(report.events) == 3
    assert all(e.get("recordTime") for e in report.events)


def test_one_event_by_its_id_and_unknown_ids(captured):
    event_id = captured["shipped"]  # an ni:///sha-256;…?ver=CBV2.0 hash id
    response = Client().get(f"{EVENTS}/{quote(event_id, safe='')}")
    assert response.status_code == 200, response.content
    assert response.json()["eventID"] == event_id
    assert response.json()["epcList"] == [SGTIN]
    assert_problem(Client().get(f"{EVENTS}/{quote('urn:uuid:nope', safe='')}"), 404)
    assert_problem(Client().get(f"{CAPTURE}/cap_01jd3k6n2w9y8x7v5t4s3r2q1p"), 404)
