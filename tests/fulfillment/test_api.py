"""The seller shipment endpoints: create (idempotent), status, delivery, packing slip."""

from __future__ import annotations

from agora.core.models import OutboxEvent
from agora.orders.models import Order
from tests.conftest import assert_problem, post_json
from tests.orders.factories import carrier, location, paid


def test_ship_track_and_deliver_through_the_api(seller, api):
    order = paid(seller, [(2, 500), (1, 900)])
    where = location(seller)
    carrier("dhl")
    body = {
        "location": where.public_id,
        "carrier": "dhl",
        "tracking_number": "JJD000390007",
        "lines": [{"line_no": 1, "quantity": 2}, {"line_no": 2, "quantity": 1}],
    }
    url = f"/api/v1/seller/orders/{order.public_id}/shipments"
    created = post_json(api, url, body, **{"Idempotency-Key": "ship-1"})
    assert created.status_code == 201, created.content
    shipment = created.json()
    assert shipment["tracking_url"].endswith("JJD000390007")
    replay = post_json(api, url, body, **{"Idempotency-Key": "ship-1"})
    assert replay.json()["id"] == shipment["id"] and replay["Idempotent-Replayed"] == "true"
    assert Order.objects.get(pk=order.pk).status == "fulfilled"
    assert [s["id"] for s in api.get(url).json()] == [shipment["id"]]

    status_url = f"/api/v1/seller/shipments/{shipment['id']}/status"
    for state in ("shipped", "in_transit", "delivered"):
        response = post_json(api, status_url, {"status": state, "note": state})
        assert response.status_code == 200, response.content
    got = api.get(f"/api/v1/seller/shipments/{shipment['id']}").json()
    assert got["status"] == "delivered" and [e["status"] for e in got["events"]][-1] == "delivered"
    assert Order.objects.get(pk=order.pk).status == "delivered"
    assert OutboxEvent.objects.filter(name="order.delivered").count() == 1
    late = post_json(api, status_url, {"status": "in_transit"})
    assert_problem(late, 409, "invalid-state-transition")


def test_over_shipping_and_unknown_carrier_and_location(seller, api):
    order = paid(seller, [(1, 500)])
    url = f"/api/v1/seller/orders/{order.public_id}/shipments"
    base = {"location": location(seller).public_id, "lines": [{"line_no": 1, "quantity": 2}]}
    assert_problem(post_json(api, url, base), 409, "over-shipped")
    assert_problem(post_json(api, url, {**base, "carrier": "pigeon"}), 422, "carrier-unknown")
    bad_location = {**base, "location": "loc_x"}
    assert_problem(post_json(api, url, bad_location), 422, field="location")
    assert_problem(post_json(api, url, {**base, "lines": []}), 422)


def test_packing_slip_is_html_with_skus(seller, api):
    order = paid(seller, [(3, 100)])
    response = post_json(
        api,
        f"/api/v1/seller/orders/{order.public_id}/shipments",
        {"location": location(seller).public_id, "lines": [{"line_no": 1, "quantity": 2}]},
    )
    slip = api.get(f"/api/v1/seller/shipments/{response.json()['id']}/packing-slip")
    assert slip.status_code == 200 and slip["Content-Type"].startswith("text/html")
    html = slip.content.decode()
    assert order.lines.get().sku in html and ">2<" in html


def test_other_sellers_shipments_are_not_found(seller, other_api, api):
    order = paid(seller)
    response = post_json(
        api,
        f"/api/v1/seller/orders/{order.public_id}/shipments",
        {"location": location(seller).public_id, "lines": [{"line_no": 1, "quantity": 1}]},
    )
    sid = response.json()["id"]
    for path in (f"/api/v1/seller/shipments/{sid}", f"/api/v1/seller/shipments/{sid}/packing-slip"):
        assert_problem(other_api.get(path), 404, "not-found")
    assert_problem(
        post_json(other_api, f"/api/v1/seller/shipments/{sid}/status", {"status": "packed"}), 404
    )
