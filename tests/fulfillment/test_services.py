"""fulfillment.services: shipments against order lines, status updates, delivery."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agora.core.errors import AgoraError
from agora.core.models import OutboxEvent
from agora.fulfillment import services
from agora.fulfillment.selectors import packing_slip, packing_slip_html, shipment_get_for_seller
from agora.fulfillment.services import ShipmentLineDraft
from agora.orders.models import Order, OrderLine
from tests.conftest import SYSTEM
from tests.orders.factories import carrier, location, paid, place


def names() -> list[str]:
    return list(OutboxEvent.objects.order_by("id").values_list("name", flat=True))


def ship(order, *lines, where=None):
    return services.shipment_create(
        actor=SYSTEM,
        order=order,
        location=where or location(order.seller),
        lines=[ShipmentLineDraft(n, q) for n, q in lines],
        carrier=carrier(),
        tracking_number="00340434",
    )


def status(order) -> str:
    return Order.objects.get(pk=order.pk).status


def test_partial_then_full_shipment_moves_the_order(seller):
    order = paid(seller, [(3, 100), (1, 200)])
    first = ship(order, (1, 2))
    assert first.status == "pending" and first.public_id.startswith("shp_")
    assert status(order) == "partially_fulfilled"
    ship(order, (1, 1), (2, 1))
    assert status(order) == "fulfilled"
    shipped = [e.payload for e in OutboxEvent.objects.filter(name="order.shipped").order_by("id")]
    assert [e["status"] for e in shipped] == ["partially_fulfilled", "fulfilled"]
    assert shipped[0]["shipment_id"] == first.public_id and shipped[0]["carrier"] == "dhl"
    assert list(
        OrderLine.objects.filter(order=order).values_list("fulfilled_quantity", flat=True)
    ) == [3, 1]


def test_over_shipping_is_refused_and_writes_nothing(seller):
    order = paid(seller, [(2, 100)])
    ship(order, (1, 1))
    before = names()
    with pytest.raises(AgoraError) as exc:
        ship(order, (1, 2))
    assert exc.value.problem.slug == "over-shipped" and "1 of 2 units left" in exc.value.detail
    assert names() == before and order.shipments.count() == 1


def test_unpaid_orders_do_not_ship(seller):
    with pytest.raises(AgoraError) as exc:
        ship(place(seller), (1, 1))
    assert exc.value.problem.slug == "invalid-state-transition"


def test_a_location_of_another_seller_is_not_found(seller, other_seller):
    with pytest.raises(AgoraError) as exc:
        ship(paid(seller), (1, 1), where=location(other_seller))
    assert exc.value.problem.slug == "not-found"


@pytest.mark.parametrize(
    "lines,field",
    [([], "lines"), ([(1, 0)], "lines[0].quantity"), ([(1, 1), (1, 1)], "lines[1].line_no")],
)
def test_bad_lines_name_the_field(seller, lines, field):
    with pytest.raises(AgoraError) as exc:
        ship(paid(seller), *lines)
    assert exc.value.errors[0].field == field


def test_status_updates_are_events_and_illegal_ones_are_refused(seller):
    shipment = ship(paid(seller), (1, 2))
    at = datetime(2026, 5, 1, 9, tzinfo=UTC)
    for s in ("packed", "shipped", "in_transit", "in_transit", "exception", "out_for_delivery"):
        services.shipment_update(actor=SYSTEM, shipment=shipment, status=s, note=f"scan {s}", at=at)
    updated = [
        e.payload for e in OutboxEvent.objects.filter(name="shipment.updated").order_by("id")
    ]
    assert [u["status"] for u in updated][-2:] == ["exception", "out_for_delivery"]
    assert updated[0]["tracking_url"] == "https://track.example/00340434"
    assert shipment.events.count() == 7  # created + six reports
    with pytest.raises(AgoraError) as exc:
        services.shipment_update(actor=SYSTEM, shipment=shipment, status="packed")
    assert "it is out_for_delivery" in exc.value.detail and "delivered" in exc.value.detail
    with pytest.raises(AgoraError) as exc:
        services.shipment_update(actor=SYSTEM, shipment=shipment, status="lost")
    assert exc.value.errors[0].field == "status"


def test_the_order_is_delivered_when_every_shipment_is(seller):
    order = paid(seller, [(2, 100)])
    a, b = ship(order, (1, 1)), ship(order, (1, 1))
    for s in (a, b):
        services.shipment_update(actor=SYSTEM, shipment=s, status="shipped")
    services.shipment_mark_delivered(actor=SYSTEM, shipment=a, at=datetime(2026, 5, 1, tzinfo=UTC))
    assert status(order) == "fulfilled" and "order.delivered" not in names()
    when = datetime(2026, 5, 2, 15, tzinfo=UTC)
    services.shipment_mark_delivered(actor=SYSTEM, shipment=b, at=when)
    order = Order.objects.get(pk=order.pk)
    assert order.status == "delivered" and order.delivered_at == when
    (event,) = OutboxEvent.objects.filter(name="order.delivered")
    assert event.payload["order_id"] == order.public_id


def test_delivery_of_a_partial_shipment_leaves_the_order_open(seller):
    order = paid(seller, [(2, 100)])
    s = ship(order, (1, 1))
    services.shipment_update(actor=SYSTEM, shipment=s, status="shipped")
    services.shipment_mark_delivered(actor=SYSTEM, shipment=s)
    assert status(order) == "partially_fulfilled" and "order.delivered" not in names()


def test_the_packing_slip_lists_skus_and_quantities(seller):
    order = paid(seller, [(3, 100), (1, 200)])
    shipment = ship(order, (1, 2), (2, 1), where=location(seller, "Main warehouse"))
    slip = packing_slip(
        shipment=shipment_get_for_seller(seller=seller, public_id=shipment.public_id)
    )
    lines = order.lines.order_by("line_no")
    assert [(x.sku, x.quantity, x.ordered) for x in slip.lines] == [
        (lines[0].sku, 2, 3),
        (lines[1].sku, 1, 1),
    ]
    assert slip.units == 3 and slip.from_location == "Main warehouse"
    html = packing_slip_html(
        shipment=shipment_get_for_seller(seller=seller, public_id=shipment.public_id)
    )
    for text in (
        shipment.public_id,
        order.public_id,
        lines[0].sku,
        lines[1].sku,
        "Berlin",
        "00340434",
    ):
        assert text in html


def test_carriers_are_configured_by_operators():
    from agora.core.actors import Actor

    seller_key = Actor(kind="api_key", label="k", seller_id=1)
    with pytest.raises(AgoraError):
        services.carrier_create(actor=seller_key, code="ups", name="UPS")


@pytest.mark.django_db
def test_carrier_create_checks_its_template():
    c = services.carrier_create(
        actor=SYSTEM, code="GLS", name="GLS", tracking_url_template="https://gls/{tracking_number}"
    )
    assert c.code == "gls" and c.tracking_url("1") == "https://gls/1"
    with pytest.raises(AgoraError):
        services.carrier_create(
            actor=SYSTEM, code="x", name="X", tracking_url_template="https://x/"
        )
    with pytest.raises(AgoraError) as exc:
        services.carrier_create(actor=SYSTEM, code="gls", name="again")
    assert exc.value.problem.slug == "conflict"
