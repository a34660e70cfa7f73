"""journey(): the events a passport shows for a product, a lot or one item, oldest first."""

from __future__ import annotations

import pytest

from agora.traceability.capture.identity import identity_of
from agora.traceability.capture.selectors import journey
from agora.traceability.capture.services import epcis_capture
from agora.traceability.capture.vocabulary import normalise_biz_step, normalise_disposition
from tests.traceability.capture.documents import GTIN, LGTIN, SGTIN, SGTIN_DL, object_event, raw

pytestmark = pytest.mark.django_db
OTHER_ITEM = "urn:epc:id:sgtin:9521234.054321.S9"
OTHER_LOT = "urn:epc:class:lgtin:9521234.054321.LOT8"
CLASS = f"https://id.gs1.org/01/{GTIN}"


@pytest.fixture
def events(seller):
    made = object_event(
        eventTime="2024-04-01T08:00:00+00:00",
        eventTimeZoneOffset="+00:00",
        action="ADD",
        epcList=None,
        bizStep="commissioning",
        quantityList=[{"epcClass": LGTIN, "quantity": 10}],
    )
    other_lot = object_event(
        eventTime="2024-04-02T08:00:00+00:00",
        action="ADD",
        epcList=None,
        quantityList=[{"epcClass": OTHER_LOT, "quantity": 5}],
    )
    shipped = object_event(eventTime="2024-05-01T10:00:00+02:00", epcList=[SGTIN])
    other_item = object_event(eventTime="2024-05-02T10:00:00+02:00", epcList=[OTHER_ITEM])
    class_level = object_event(
        eventTime="2024-05-03T10:00:00+02:00",
        epcList=None,
        bizStep="receiving",
        quantityList=[{"epcClass": CLASS, "quantity": 3}],
    )
    received = object_event(
        eventTime="2024-05-04T09:00:00+00:00",
        eventTimeZoneOffset="+00:00",
        epcList=[SGTIN_DL],
        bizStep="receiving",
    )
    ids = epcis_capture(
        seller=seller, raw=raw(received, shipped, made, other_item, class_level, other_lot)
    ).event_ids
    names = ["received", "shipped", "made", "other_item", "class_level", "other_lot"]
    return dict(zip(names, ids, strict=True))


def names(steps, events) -> list[str]:
    by_id = {v: k for k, v in events.items()}
    return [by_id[s.event_id] for s in steps]


def test_an_items_journey_is_its_own_events_and_the_products_in_time_order(events):
    steps = journey(gtin=GTIN, serial="S1")
    assert names(steps, events) == ["shipped", "class_level", "received"]
    assert [s.scope for s in steps] == ["item", "product", "item"]
    first = steps[0]
    assert (first.type, first.action, first.biz_step) == ("ObjectEvent", "OBSERVE", "shipping")
    assert (
        first.tz_offset == "+02:00" and first.event_time.isoformat() == "2024-05-01T08:00:00+00:00"
    )
    assert first.event["epcList"] == [SGTIN] and isinstance(first.log_index, int)


def test_an_item_with_its_lot_adds_the_lots_events(events):
    steps = journey(gtin=GTIN, serial="S1", lot="LOT7")
    assert names(steps, events) == ["made", "shipped", "class_level", "received"]
    assert steps[0].scope == "lot"


def test_a_lots_journey_and_the_whole_products(events):
    assert names(journey(gtin=GTIN, lot="LOT7"), events) == ["made", "class_level"]
    assert len(journey(gtin=GTIN)) == 6
    assert names(journey(gtin=GTIN, limit=2), events) == ["made", "other_lot"]
    assert len(journey(gtin=GTIN.lstrip("0"))) == 6  # a GTIN-13 finds its GTIN-14 events
    assert journey(gtin="04006381333931") == []
    assert journey(gtin="12345") == []


def test_identity_is_the_same_for_an_epc_urn_and_its_digital_link():
    assert identity_of(SGTIN).key == identity_of(SGTIN_DL).key == f"01/{GTIN}/21/S1"
    assert identity_of(LGTIN).key == f"01/{GTIN}/10/LOT7"
    assert identity_of("urn:example:thing:1").key == "urn:example:thing:1"


@pytest.mark.parametrize(
    "spelling",
    ["shipping", "urn:epcglobal:cbv:bizstep:shipping", "https://ref.gs1.org/cbv/BizStep-shipping"],
)
def test_cbv_spellings_meet(spelling):
    assert normalise_biz_step(spelling) == "shipping"
    assert normalise_disposition("urn:epcglobal:cbv:disp:in_transit") == "in_transit"
    assert normalise_biz_step("https://example.org/steps/dyeing") == (
        "https://example.org/steps/dyeing"
    )
