"""Seller-center traceability pages: the captured events, an EPCIS upload (nothing stored on
error), recording a batch (lot + commissioning event) and printing a label sheet."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.catalog.services import variant_update
from agora.marketplace.models import SellerStaff
from agora.traceability.capture.services import epcis_capture
from agora.traceability.models import EpcisEvent, EpcisIdentifier, LogEntry, Lot, TracedItem
from tests.conftest import SYSTEM, make_product
from tests.sellercenter.helpers import staff_client, text
from tests.traceability.capture.documents import object_event, raw

pytestmark = pytest.mark.django_db
GTIN = "4006381333931"


def variant_with_gtin(seller, title="Ceramic mug"):
    variant = make_product(seller, title, sku=f"{title}-1").variants.get()
    return variant_update(actor=SYSTEM, variant=variant, changes={"gtin": GTIN})


def upload(client, body: bytes):
    return client.post(
        "/seller/traceability/upload/",
        {"file": SimpleUploadedFile("events.jsonld", body, content_type="application/ld+json")},
    )


def test_the_overview_lists_the_sellers_events_newest_first_with_log_index(seller, other_seller):
    older = epcis_capture(seller=seller, raw=raw(object_event(bizStep="receiving")))
    newer = epcis_capture(seller=seller, raw=raw(object_event(bizStep="shipping")))
    epcis_capture(seller=other_seller, raw=raw(object_event(bizStep="packing")))

    response = staff_client(seller).get("/seller/traceability/")

    assert response.status_code == 200
    page = text(response)
    assert page.index("shipping") < page.index("receiving")
    assert "packing" not in page
    assert f"#{newer.log_indices[0]}" in page and f"#{older.log_indices[0]}" in page
    assert 'aria-current="page">Traceability' in response.content.decode()


def test_a_good_file_is_captured_and_logged(seller):
    response = upload(staff_client(seller), raw(object_event(), object_event(bizStep="packing")))
    assert response.status_code == 200, text(response)
    assert "2 events captured and logged" in text(response)
    assert EpcisEvent.objects.filter(seller=seller, source="upload").count() == 2


def test_a_bad_file_shows_the_problems_by_event_and_rule_and_stores_nothing(seller):
    bad = object_event(epcList=["urn:epc:id:sgtin:9521234.054321"], eventTimeZoneOffset="2h")
    response = upload(staff_client(seller), raw(object_event(), bad))

    assert response.status_code == 422
    page = text(response)
    assert "Nothing was stored" in page and "Problems by event" in page
    assert "/eventTimeZoneOffset" in page and "epc-uri" in page
    assert not EpcisEvent.objects.exists()
    assert not LogEntry.objects.filter(kind="epcis_event").exists()


def test_a_file_that_is_not_json_is_refused_on_the_page(seller):
    response = upload(staff_client(seller), b"order,qty\n1,2\n")
    assert response.status_code == 422
    assert "Nothing was stored" in text(response)
    assert not EpcisEvent.objects.exists()


def test_recording_a_batch_writes_the_lot_and_its_commissioning_event(seller):
    variant = variant_with_gtin(seller)
    response = staff_client(seller).post(
        "/seller/traceability/batch/",
        {
            "variant": variant.public_id,
            "lot": "B-2024/7",
            "quantity": "120",
            "produced_on": "2024-04-30",
            "place": "PT",
            "company_prefix": "4006381",
        },
    )

    assert response.status_code == 200, text(response)
    lot = Lot.objects.get(variant=variant)
    assert (lot.code, lot.quantity, lot.produced_on) == ("B-2024/7", 120, date(2024, 4, 30))
    event = EpcisEvent.objects.get(seller=seller)
    assert (event.action, event.biz_step, event.disposition) == ("ADD", "commissioning", "active")
    assert event.document["quantityList"] == [
        {"epcClass": "urn:epc:class:lgtin:4006381.033393.B-2024%2F7", "quantity": 120}
    ]
    assert event.biz_location == "https://www.iso.org/obp/ui/#iso:code:3166:PT"
    ident = EpcisIdentifier.objects.get(event=event)
    assert (ident.gtin, ident.lot) == ("04006381333931", "B-2024/7")
    assert f"log entry #{event.log_index}" in text(response)


def test_a_batch_with_a_bad_place_records_nothing(seller):
    variant = variant_with_gtin(seller)
    response = staff_client(seller).post(
        "/seller/traceability/batch/",
        {
            "variant": variant.public_id,
            "lot": "L1",
            "quantity": "5",
            "produced_on": "2024-04-30",
            "place": "the old mill",
        },
    )
    assert response.status_code == 422
    assert "the old mill" in text(response)
    assert not Lot.objects.exists() and not EpcisEvent.objects.exists()


def test_the_same_lot_twice_is_refused_and_the_first_stays(seller):
    variant = variant_with_gtin(seller)
    client = staff_client(seller)
    form = {"variant": variant.public_id, "lot": "L1", "quantity": "5", "produced_on": "2024-04-30"}
    assert client.post("/seller/traceability/batch/", form).status_code == 200
    again = client.post("/seller/traceability/batch/", {**form, "quantity": "6"})
    assert again.status_code == 422
    assert Lot.objects.count() == 1 and EpcisEvent.objects.count() == 1


@pytest.mark.parametrize(("serials", "pages"), [(2, 1), (30, 2)])
def test_labels_are_a_pdf_sheet_with_one_label_per_serial(seller, serials, pages):
    variant = variant_with_gtin(seller)
    response = staff_client(seller).post(
        "/seller/traceability/labels/",
        {"variant": variant.public_id, "serials": "\n".join(f"SN-{n}" for n in range(serials))},
    )
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"/Count {pages}".encode() in response.content  # 24 labels a page


def test_lot_labels_print_the_copies_asked_for(seller):
    variant = variant_with_gtin(seller)
    response = staff_client(seller).post(
        "/seller/traceability/labels/",
        {"variant": variant.public_id, "lot": "L7", "copies": "25"},
    )
    assert response.status_code == 200
    assert b"/Count 2" in response.content


def test_labels_refuse_a_serial_outside_the_gs1_character_set(seller):
    variant = variant_with_gtin(seller)
    response = staff_client(seller).post(
        "/seller/traceability/labels/", {"variant": variant.public_id, "serials": "bad serial"}
    )
    assert response.status_code == 422
    assert "bad serial" in text(response)


def test_pages_need_the_catalog_role(seller):
    clerk = staff_client(seller, role=SellerStaff.Role.FULFILMENT)
    assert clerk.get("/seller/traceability/").status_code == 403
    assert upload(clerk, raw(object_event())).status_code == 403
    assert not EpcisEvent.objects.exists()


def test_without_a_gtin_the_batch_page_says_what_to_do(seller):
    make_product(seller, "Plain cup")
    response = staff_client(seller).get("/seller/traceability/batch/")
    assert response.status_code == 200
    assert "None of your variants has a GTIN yet" in text(response)


def test_the_pages_speak_chinese(seller):
    response = staff_client(seller).get(
        "/seller/traceability/", headers={"Accept-Language": "zh-hans"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "已采集的事件" in page and "登记批次" in page and "打印标签" in page
    assert "Captured events" not in page


def test_labels_can_register_the_serial_numbers_as_items_of_a_recorded_lot(seller):
    variant = variant_with_gtin(seller)
    client = staff_client(seller)
    client.post(
        "/seller/traceability/batch/",
        {"variant": variant.public_id, "lot": "L9", "quantity": "2", "produced_on": "2024-04-30"},
    )
    form = {"variant": variant.public_id, "serials": "A1\nA2", "lot": "L9", "register": "on"}

    first = client.post("/seller/traceability/labels/", form)

    assert first["Content-Type"] == "application/pdf"
    items = TracedItem.objects.filter(variant=variant).order_by("serial")
    assert [(i.serial, i.lot.code) for i in items] == [("A1", "L9"), ("A2", "L9")]
    again = client.post("/seller/traceability/labels/", form)
    assert again.status_code == 422 and again["Content-Type"].startswith("text/html")
    assert TracedItem.objects.count() == 2
