"""Commerce events become EPCIS events: shipped, returned and delivered goods, by GTIN class."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from agora.catalog.services import variant_update
from agora.core.events import event_from_row
from agora.core.models import OutboxEvent
from agora.core.outbox import dispatch_pending
from agora.fulfillment.services import shipment_mark_delivered, shipment_update
from agora.orders import services as order_services
from agora.orders.returns import ReturnReceipt, return_receive
from agora.traceability.capture import commerce, handlers
from agora.traceability.epcis.validate import validate_document
from agora.traceability.models import EpcisEvent
from agora.traceability.passports.identity import digital_link
from tests.conftest import SYSTEM
from tests.orders.factories import approved_return, make_lines, place, ship_all

pytestmark = pytest.mark.django_db
GTIN_A = "4006381333931"  # EAN-13, check digit right
GTIN_B = "09521234543213"


def paid_order(seller, gtins):
    """A paid order shipping to DE, one line per entry of ``gtins`` (None: no GTIN), 2 units
    of the first line and 1 of each other."""
    drafts = make_lines(seller, [(2 if i == 0 else 1, 1000) for i in range(len(gtins))])
    for draft, gtin in zip(drafts, gtins, strict=True):
        if gtin:
            variant_update(actor=SYSTEM, variant=draft.variant, changes={"gtin": gtin})
    order = place(seller, drafts=drafts)
    return order_services.order_mark_paid(order=order, payment_ref="pay_trace")


def epcis(biz_step):
    return list(EpcisEvent.objects.filter(biz_step=biz_step))


def test_a_shipment_is_a_shipping_event_of_the_gtin_classes_without_buyer_data(seller):
    order = paid_order(seller, [GTIN_A, None, GTIN_B])
    ship_all(order)
    dispatch_pending()

    [stored] = epcis("shipping")
    event = stored.document
    assert stored.source == "commerce" and stored.seller == seller
    assert (event["action"], event["disposition"]) == ("OBSERVE", "in_transit")
    assert event["quantityList"] == [
        {"epcClass": digital_link(gtin=GTIN_A), "quantity": 2},
        {"epcClass": digital_link(gtin=GTIN_B), "quantity": 1},
    ]
    assert event["bizTransactionList"] == [
        {"type": "po", "bizTransaction": f"urn:agora:order:{order.public_id}"}
    ]
    assert event["sourceList"] == [
        {"type": "owning_party", "source": f"urn:agora:seller:{seller.public_id}"}
    ]
    assert event["destinationList"] == [
        {"type": "location", "destination": "https://www.iso.org/obp/ui/#iso:code:3166:DE"}
    ]
    assert event["readPoint"] == {"id": f"urn:agora:seller:{seller.public_id}"}
    text = json.dumps(event, ensure_ascii=False)
    for personal in ("Ada", "Hauptstraße", "Berlin", "10115"):
        assert personal not in text
    # Found by product like any captured event.
    assert {i.gtin for i in stored.identifiers.all()} == {"04006381333931", GTIN_B}


def test_a_redelivered_commerce_event_captures_nothing_new(seller):
    order = paid_order(seller, [GTIN_A])
    ship_all(order)
    dispatch_pending()
    row = OutboxEvent.objects.get(name="order.shipped")
    [first] = epcis("shipping")
    assert first.event_id == commerce.commerce_event_id(row.public_id, "shipped")

    handlers.on_order_shipped(event_from_row(row.name, row.payload), row.public_id)

    assert EpcisEvent.objects.filter(biz_step="shipping").count() == 1


def test_nothing_is_captured_when_no_shipped_variant_has_a_gtin(seller):
    ship_all(paid_order(seller, [None, None]))
    dispatch_pending()
    assert not EpcisEvent.objects.exists()


def test_delivery_and_return_receipt_become_arriving_and_receiving_events(seller):
    order = paid_order(seller, [GTIN_A])
    shipment = ship_all(order)
    shipment_update(actor=SYSTEM, shipment=shipment, status="shipped")
    shipment_mark_delivered(actor=SYSTEM, shipment=shipment)
    ret = approved_return(order, 1)
    return_receive(actor=SYSTEM, order_return=ret, lines=[ReturnReceipt(1, "write_off")])
    dispatch_pending()

    [arrived] = epcis("arriving")
    assert arrived.document["quantityList"][0]["quantity"] == 2
    assert arrived.document["bizLocation"] == {"id": "https://www.iso.org/obp/ui/#iso:code:3166:DE"}
    assert "disposition" not in arrived.document
    [received] = epcis("receiving")
    assert received.disposition == "returned"
    assert received.document["quantityList"] == [
        {"epcClass": digital_link(gtin=GTIN_A), "quantity": 1}
    ]
    assert {"type": "rma", "bizTransaction": f"urn:agora:return:{ret.public_id}"} in (
        received.document["bizTransactionList"]
    )
    assert [e.biz_step for e in EpcisEvent.objects.order_by("event_time", "public_id")] == [
        "shipping",
        "arriving",
        "receiving",
    ]


@pytest.mark.parametrize(
    "event",
    [
        commerce.shipping_event(
            event_id=commerce.commerce_event_id("evt_x", "shipped"),
            at=datetime(2024, 5, 1, 10, tzinfo=UTC),
            quantities=[commerce.ClassQuantity("https://example.org/01/04006381333931", 3)],
            seller="sel_x",
            order="ord_x",
            destination_country="FR",
        ),
        commerce.return_received_event(
            event_id=commerce.commerce_event_id("evt_y", "return-received"),
            at=datetime(2024, 5, 2, 10, tzinfo=UTC),
            quantities=[commerce.ClassQuantity("https://example.org/01/09521234543213", 1)],
            seller="sel_x",
            order="ord_x",
            order_return="ret_x",
        ),
        commerce.delivery_event(
            event_id=commerce.commerce_event_id("evt_z", "delivered"),
            at=datetime(2024, 5, 3, 10, tzinfo=UTC),
            quantities=[commerce.ClassQuantity("https://example.org/01/09521234543213", 1)],
            order="ord_x",
            destination_country="",
        ),
    ],
    ids=["shipping", "receiving", "arriving"],
)
def test_each_generated_document_passes_validation(event):
    report = validate_document(commerce.epcis_document([event], created=datetime.now(UTC)))
    assert report.ok, [str(p) for p in report.problems]
    assert report.events == [event]
