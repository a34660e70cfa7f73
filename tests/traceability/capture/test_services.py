"""epcis_capture: all or nothing, idempotent per event, every event in the transparency log."""

from __future__ import annotations

import hashlib
import json

import pytest

from agora.accounts.services import actor_for_api_key, api_key_issue
from agora.core.errors import AgoraError
from agora.traceability.canonical import canonical_bytes
from agora.traceability.capture import errors
from agora.traceability.capture.services import epcis_capture, event_hash_id
from agora.traceability.models import EpcisCapture, EpcisEvent, EpcisIdentifier, LogEntry
from agora.traceability.records import log_data
from tests.conftest import SYSTEM
from tests.helpers import shared_data, skip_without
from tests.traceability.capture.documents import (
    CONTEXT,
    GTIN,
    LGTIN,
    SGTIN,
    document,
    object_event,
    raw,
)

EXAMPLES = shared_data("epcis", "examples")
pytestmark = pytest.mark.django_db


def nothing_stored() -> bool:
    return not (
        EpcisEvent.objects.exists()
        or EpcisCapture.objects.exists()
        or LogEntry.objects.filter(kind="epcis_event").exists()
    )


def test_an_event_is_stored_with_its_columns_and_logged(seller):
    event = object_event(eventID="urn:uuid:6e1f9b5c-0000-4000-8000-000000000001")
    result = epcis_capture(seller=seller, raw=raw(event))

    assert result.event_ids == ["urn:uuid:6e1f9b5c-0000-4000-8000-000000000001"]
    stored = EpcisEvent.objects.get(event_id=result.event_ids[0])
    assert stored.seller == seller and stored.source == "api"
    assert (stored.event_type, stored.action) == ("ObjectEvent", "OBSERVE")
    assert (stored.biz_step, stored.disposition) == ("shipping", "in_transit")
    assert stored.read_point == "urn:epc:id:sgln:9521234.00001.0"
    assert stored.event_time.isoformat() == "2024-05-01T08:00:00+00:00"
    assert stored.event_tz_offset == "+02:00"
    # Stored as captured, with the document's @context so it is JSON-LD on its own.
    assert stored.document["@context"] == CONTEXT
    assert stored.document["epcList"] == [SGTIN]
    # The log entry is the stored JSON's canonical bytes, at the index the event records.
    entry = LogEntry.objects.get(index=result.log_indices[0])
    assert stored.log_index == entry.index
    assert (entry.kind, entry.ref) == ("epcis_event", stored.event_id)
    assert bytes(entry.data) == log_data(
        kind=entry.kind, ref=stored.event_id, record=stored.document
    )
    ident = EpcisIdentifier.objects.get(event=stored)
    assert (ident.role, ident.gtin, ident.serial, ident.key) == (
        "epc",
        GTIN,
        "S1",
        f"01/{GTIN}/21/S1",
    )


def test_an_event_without_event_id_gets_its_hash_id_and_sending_it_again_changes_nothing(seller):
    event = object_event()
    first = epcis_capture(seller=seller, raw=raw(event))
    assert first.event_ids == [event_hash_id(event)]
    digest = hashlib.sha256(canonical_bytes(event)).hexdigest()
    assert first.event_ids[0] == f"ni:///sha-256;{digest}?ver=CBV2.0"
    assert EpcisEvent.objects.get().document["eventID"] == first.event_ids[0]

    again = epcis_capture(seller=seller, raw=raw(event))
    assert again.event_ids == first.event_ids
    assert again.log_indices == first.log_indices
    assert again.capture_id != first.capture_id
    assert EpcisEvent.objects.count() == 1
    assert LogEntry.objects.filter(kind="epcis_event").count() == 1


def test_a_reused_event_id_with_other_content_is_a_conflict_and_stores_nothing_new(seller):
    event_id = "urn:uuid:6e1f9b5c-0000-4000-8000-000000000002"
    epcis_capture(seller=seller, raw=raw(object_event(eventID=event_id)))
    changed = object_event(eventID=event_id, disposition="in_progress")
    fresh = object_event(eventID="urn:uuid:6e1f9b5c-0000-4000-8000-000000000003")

    with pytest.raises(AgoraError) as caught:
        epcis_capture(seller=seller, raw=raw(fresh, changed))

    assert caught.value.problem == errors.EPCIS_EVENT_ID_CONFLICT
    assert event_id in caught.value.detail
    assert EpcisEvent.objects.count() == 1
    assert EpcisCapture.objects.count() == 1
    assert LogEntry.objects.filter(kind="epcis_event").count() == 1


def test_one_bad_event_rejects_the_whole_document_naming_event_and_rule(seller):
    good = object_event()
    bad = object_event(epcList=["urn:epc:id:sgtin:9521234.054321.S2"], eventTimeZoneOffset="+2h")
    with pytest.raises(AgoraError) as caught:
        epcis_capture(seller=seller, raw=raw(good, bad))

    assert caught.value.problem == errors.EPCIS_INVALID
    problems = caught.value.extra["errors"]
    assert problems and all(p["event_index"] == 1 for p in problems)
    assert {p["event_type"] for p in problems} == {"ObjectEvent"}
    assert any(p["pointer"].endswith("/eventTimeZoneOffset") for p in problems), problems
    assert all({"rule", "message", "event_id", "pointer"} <= set(p) for p in problems)
    assert nothing_stored()


def test_a_wrong_check_digit_is_refused_with_its_rule(seller):
    bad = object_event(epcList=["https://id.gs1.org/01/09521234543214/21/S1"])
    with pytest.raises(AgoraError) as caught:
        epcis_capture(seller=seller, raw=raw(bad))
    rules = {p["rule"] for p in caught.value.extra["errors"]}
    assert rules & {"gtin-check-digit", "digital-link"}, rules
    assert nothing_stored()


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b'{"type": "EPCISDocument", "epcisBody": {"eventList": [', errors.EPCIS_MALFORMED),
        (b"[" * 500 + b"]" * 500, errors.EPCIS_MALFORMED),
        (b" " * 10_000_001, errors.EPCIS_TOO_LARGE),
    ],
    ids=["truncated", "too-deep", "too-large"],
)
def test_unreadable_documents_are_refused_before_anything_is_stored(seller, body, problem):
    with pytest.raises(AgoraError) as caught:
        epcis_capture(seller=seller, raw=body)
    assert caught.value.problem == problem
    assert nothing_stored()


def test_the_same_event_id_twice_in_one_document_with_other_content_is_refused(seller):
    event_id = "urn:uuid:6e1f9b5c-0000-4000-8000-000000000004"
    first = object_event(eventID=event_id)
    second = object_event(eventID=event_id, bizStep="receiving")
    with pytest.raises(AgoraError) as caught:
        epcis_capture(seller=seller, raw=raw(first, second))
    assert caught.value.extra["errors"][0]["rule"] == "event-id-reused"
    assert caught.value.extra["errors"][0]["event_index"] == 1
    assert nothing_stored()


# The EPCIS 2.0 schema refuses the 1.x URN spelling in a document; queries accept it (see
# test_api), so all three spellings meet in the stored value.
@pytest.mark.parametrize("spelling", ["shipping", "https://ref.gs1.org/cbv/BizStep-shipping"])
def test_biz_step_spellings_are_stored_as_one_value(seller, spelling):
    epcis_capture(seller=seller, raw=raw(object_event(bizStep=spelling)))
    stored = EpcisEvent.objects.get()
    assert stored.biz_step == "shipping"
    assert stored.document["bizStep"] == spelling  # the captured JSON is kept as written


def test_class_identifiers_are_indexed_with_their_lot(seller):
    event = object_event(
        action="ADD",
        epcList=None,
        bizStep="commissioning",
        disposition="active",
        quantityList=[{"epcClass": LGTIN, "quantity": 40}],
    )
    epcis_capture(seller=seller, raw=raw(event), source="upload")
    ident = EpcisIdentifier.objects.get()
    assert (ident.role, ident.gtin, ident.lot, ident.serial) == ("quantity", GTIN, "LOT7", "")
    assert EpcisEvent.objects.get().source == "upload"


def test_an_event_keeps_its_own_context_over_the_documents(seller):
    own = [*CONTEXT, {"ex": "https://example.org/ns/"}]
    event = object_event(**{"@context": own, "ex:colour": "red"})
    epcis_capture(seller=seller, raw=json.dumps(document(event)))
    assert EpcisEvent.objects.get().document["@context"] == own


@skip_without(EXAMPLES)
@pytest.mark.parametrize(
    "name", sorted(p.name for p in EXAMPLES.glob("*.jsonld")) if EXAMPLES.is_dir() else []
)
def test_every_official_example_is_captured(seller, name):
    text = (EXAMPLES / name).read_bytes()
    result = epcis_capture(seller=seller, raw=text)
    count = len(json.loads(text)["epcisBody"].get("eventList") or [None])
    assert len(result.event_ids) == count
    assert EpcisEvent.objects.count() == len(set(result.event_ids))
    assert len(set(result.log_indices)) == len(set(result.event_ids))


def test_a_byte_order_mark_is_accepted(seller):
    result = epcis_capture(seller=seller, raw=b"\xef\xbb\xbf" + raw(object_event()))
    assert EpcisEvent.objects.get().event_id == result.event_ids[0]


def test_an_api_key_of_another_seller_may_not_capture_for_this_one(seller, other_seller):
    key, _ = api_key_issue(
        actor=SYSTEM, name="k", scopes=["catalog:write"], seller_id=other_seller.pk
    )
    with pytest.raises(AgoraError) as caught:
        epcis_capture(seller=seller, raw=raw(object_event()), actor=actor_for_api_key(key))
    assert caught.value.problem.slug == "forbidden"
    assert nothing_stored()
