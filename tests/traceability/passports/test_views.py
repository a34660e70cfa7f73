"""The public passport page, its QR codes and label sheet, and the certificate pages."""

from __future__ import annotations

import io
import json

import pytest
import zxingcpp
from django.test import Client
from PIL import Image

from agora.traceability.capture.services import epcis_capture
from agora.traceability.log.services import checkpoint_sign
from agora.traceability.models import AuthenticityCertificate
from agora.traceability.passports.services import certificate_issue
from tests.traceability.passports.conftest import GLN, GTIN14, SYSTEM, World

pytestmark = pytest.mark.django_db


def _capture_journey(world: World) -> None:
    """Two events: the item made at the kiln (serial) and shipped with its batch (lot)."""
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-06T09:00:00+08:00",
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventID": "urn:uuid:6f9e1b0a-1111-4c1a-9d7e-000000000001",
                    "eventTime": "2026-01-05T10:00:00+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "epcList": [f"https://id.gs1.org/01/{GTIN14}/21/SN0001"],
                    "action": "ADD",
                    "bizStep": "commissioning",
                    "disposition": "active",
                    "bizLocation": {"id": f"https://id.gs1.org/414/{GLN}"},
                },
                {
                    "type": "ObjectEvent",
                    "eventID": "urn:uuid:6f9e1b0a-1111-4c1a-9d7e-000000000002",
                    "eventTime": "2026-01-09T15:30:00+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "epcList": [],
                    "quantityList": [
                        {"epcClass": f"https://id.gs1.org/01/{GTIN14}/10/L2026-01", "quantity": 50}
                    ],
                    "action": "OBSERVE",
                    "bizStep": "shipping",
                    "disposition": "in_transit",
                    "readPoint": {"id": f"https://id.gs1.org/414/{GLN}"},
                },
            ]
        },
    }
    epcis_capture(seller=world.seller, raw=json.dumps(document), actor=SYSTEM)


def test_the_passport_page_shows_origin_materials_journey_and_proofs(
    client: Client, world: World
) -> None:
    _capture_journey(world)
    cert = certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.buyer)
    checkpoint_sign()
    response = client.get(f"/passports/{GTIN14}/?serial=SN0001")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Celadon teapot",
        "Jiangxi, China",
        "Jingdezhen kiln",
        "porcelain clay",
        "95 %",
        "2.40 kg CO₂e per unit",
        "Lead-free glaze",
        "kintsugi",
        "construction waste",
        "Made and given its identity",
        "Shipped",
        "Jingdezhen kiln warehouse",  # the GLN named by the passport's places
        "on its way",
        cert.public_id,
        "agora trace verify",
    ):
        assert text in page, text
    assert page.count("Verified against log head #3") == 3  # two events and the certificate
    assert f"/api/v1/trace/bundle/certificate/{cert.public_id}" in page


def test_an_event_not_yet_under_a_signed_head_says_so(client: Client, world: World) -> None:
    _capture_journey(world)
    page = client.get(f"/passports/{GTIN14}/").content.decode()
    assert "not yet covered by a signed log head" in page
    assert "Verified against" not in page


def test_the_product_passport_without_serial_leaves_out_item_events(
    client: Client, world: World
) -> None:
    _capture_journey(world)
    page = client.get(f"/passports/{GTIN14}/?lot=L2026-01").content.decode()
    assert "Shipped" in page
    assert "Made and given its identity" not in page  # that event names serial SN0001 only


def test_a_bad_gtin_on_the_page_is_400_and_an_unknown_one_404(client: Client, world: World) -> None:
    assert client.get("/passports/04260712000018/").status_code == 400
    assert client.get("/passports/09506000134352/").status_code == 404


def test_the_qr_png_decodes_to_the_items_digital_link(client: Client, world: World) -> None:
    response = client.get(f"/passports/qr/{GTIN14}.png?serial=SN0002")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert found.text == f"http://testserver/01/{GTIN14}/21/SN0002"


def test_the_qr_svg_is_an_svg_with_a_title(client: Client, world: World) -> None:
    response = client.get(f"/passports/qr/{GTIN14}.svg?lot=L2026-01")
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert f"/01/{GTIN14}/10/L2026-01".encode() in response.content


def test_qr_of_an_unknown_serial_is_404(client: Client, world: World) -> None:
    assert client.get(f"/passports/qr/{GTIN14}.png?serial=NOPE").status_code == 404


def test_the_label_sheet_is_a_pdf_of_every_item(client: Client, world: World) -> None:
    response = client.get(f"/passports/labels/{GTIN14}.pdf?all=items")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_certificate_page_and_its_signed_note(client: Client, world: World) -> None:
    cert = certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.buyer)
    page = client.get(f"/passports/certificates/{cert.public_id}/").content.decode()
    assert "checks with the log&#x27;s key" in page or "checks with the log's key" in page
    assert cert.holder_ref in page
    note = client.get(f"/passports/certificates/{cert.public_id}/note")
    assert note["Content-Type"].startswith("text/plain")
    assert note.content.decode().startswith(bytes(cert.payload).decode() + "\n\n— ")


def test_the_holder_transfers_through_the_pages(client: Client, world: World) -> None:
    cert = certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.buyer)
    client.force_login(world.buyer)
    response = client.post(f"/passports/certificates/{cert.public_id}/transfer/", follow=True)
    page = response.content.decode()
    assert "Give this one-time code to the buyer" in page
    code = page.split("<strong><code>")[1].split("</code>")[0]
    # Shown once: a second visit does not show it again.
    again = client.get(f"/passports/certificates/{cert.public_id}/").content.decode()
    assert code not in again

    buyer = Client()
    buyer.force_login(world.other_buyer)
    wrong = buyer.post("/passports/certificates/redeem/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 422
    assert "unknown or has expired" in wrong.content.decode()
    done = buyer.post("/passports/certificates/redeem/", {"code": code})
    assert done.status_code == 302
    new = AuthenticityCertificate.objects.get(status="active")
    assert new.holder == world.other_buyer and new.previous_id == cert.pk
    assert done["Location"] == f"/passports/certificates/{new.public_id}/"


def test_redeeming_needs_an_account(client: Client) -> None:
    response = client.get("/passports/certificates/redeem/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_buyer_lists_the_certificates_they_hold(client: Client, world: World) -> None:
    cert = certificate_issue(actor=SYSTEM, item=world.items[1], holder=world.buyer)
    client.force_login(world.buyer)
    page = client.get("/passports/certificates/").content.decode()
    assert f"/passports/certificates/{cert.public_id}/" in page
    assert "serial SN0002" in page
    client.force_login(world.other_buyer)
    assert (
        "You hold no authenticity certificates."
        in client.get("/passports/certificates/").content.decode()
    )


def test_the_passport_page_renders_in_chinese_too(client: Client, world: World) -> None:
    response = client.get(
        f"/passports/{GTIN14}/?serial=SN0001", headers={"Accept-Language": "zh-Hans"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "数字产品护照" in page  # "Digital product passport", from the app's catalogue
