"""The seller order and return endpoints."""

from __future__ import annotations

from tests.conftest import assert_problem, key_client, post_json
from tests.orders.factories import (
    approved_return,
    delivered,
    location,
    paid,
    place,
    requested_return,
)


def test_list_filters_by_status_and_pages_with_a_cursor(seller, api, other_seller):
    placed = [place(seller) for _ in range(3)]
    paid_order = paid(seller)
    place(other_seller)
    body = api.get("/api/v1/seller/orders?limit=2").json()
    assert [o["id"] for o in body["items"]] == [paid_order.public_id, placed[2].public_id]
    rest = api.get(f"/api/v1/seller/orders?limit=2&cursor={body['next_cursor']}").json()
    assert [o["id"] for o in rest["items"]] == [placed[1].public_id, placed[0].public_id]
    assert rest["next_cursor"] is None
    only_paid = api.get("/api/v1/seller/orders?status=paid").json()["items"]
    assert [o["id"] for o in only_paid] == [paid_order.public_id]
    assert_problem(api.get("/api/v1/seller/orders?status=lost"), 422)


def test_get_shows_totals_lines_and_address(seller, api):
    order = place(seller, [(2, 1250)], shipping_minor=499, tax_minor=0)
    body = api.get(f"/api/v1/seller/orders/{order.public_id}").json()
    assert body["total_minor"] == 2999 and body["ship_to"]["city"] == "Berlin"
    assert body["lines"][0]["quantity"] == 2 and body["lines"][0]["variant"].startswith("var_")


def test_cancel_and_an_illegal_cancel(seller, api):
    order = place(seller)
    response = post_json(api, f"/api/v1/seller/orders/{order.public_id}/cancel", {"reason": "oos"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = post_json(api, f"/api/v1/seller/orders/{order.public_id}/cancel", {"reason": "oos"})
    body = assert_problem(again, 409, "invalid-state-transition")
    assert "it is cancelled" in body["detail"]
    paid_order = paid(seller)
    refused = post_json(
        api, f"/api/v1/seller/orders/{paid_order.public_id}/cancel", {"reason": "x"}
    )
    assert "not fully refunded" in assert_problem(refused, 409)["detail"]


def test_read_only_keys_cannot_cancel(seller):
    reader = key_client(seller, ["orders:read"])
    order = place(seller)
    assert reader.get(f"/api/v1/seller/orders/{order.public_id}").status_code == 200
    response = post_json(reader, f"/api/v1/seller/orders/{order.public_id}/cancel", {"reason": "x"})
    assert_problem(response, 403)
    assert_problem(key_client(seller, ["catalog:read"]).get("/api/v1/seller/orders"), 403)


def test_the_return_flow_through_the_api(seller, api):
    order = delivered(seller, [(2, 1000)])
    created = post_json(
        api,
        f"/api/v1/seller/orders/{order.public_id}/returns",
        {"lines": [{"line_no": 1, "quantity": 2}], "reason_code": "wrong_item", "details": "blue"},
    )
    assert created.status_code == 201, created.content
    ret = created.json()
    assert (ret["status"], ret["reason_code"], ret["lines"][0]["quantity"]) == (
        "requested",
        "wrong_item",
        2,
    )
    over = post_json(
        api,
        f"/api/v1/seller/orders/{order.public_id}/returns",
        {"lines": [{"line_no": 1, "quantity": 1}], "reason_code": "other"},
    )
    assert_problem(over, 409, "over-returned")
    url = f"/api/v1/seller/returns/{ret['id']}"
    assert post_json(api, f"{url}/approve", {"note": "ok"}).json()["status"] == "approved"
    where = location(seller)
    received = post_json(
        api,
        f"{url}/receive",
        {
            "lines": [
                {
                    "line_no": 1,
                    "disposition": "restock",
                    "condition": "opened",
                    "location": where.public_id,
                }
            ]
        },
    )
    assert received.status_code == 200, received.content
    assert received.json()["lines"][0]["location"] == where.public_id
    listed = api.get("/api/v1/seller/returns?status=received").json()["items"]
    assert [r["id"] for r in listed] == [ret["id"]]


def test_reject_needs_a_reason_and_receive_validates_locations(seller, api):
    ret = requested_return(delivered(seller))
    url = f"/api/v1/seller/returns/{ret.public_id}"
    assert_problem(post_json(api, f"{url}/reject", {"reason": ""}), 422, field="reason")
    approved = approved_return(delivered(seller))
    bad = post_json(
        api,
        f"/api/v1/seller/returns/{approved.public_id}/receive",
        {"lines": [{"line_no": 1, "disposition": "restock", "location": "loc_nope"}]},
    )
    assert_problem(bad, 422, field="lines[0].location")


def test_other_sellers_never_see_orders_or_returns(seller, api, other_api):
    order = delivered(seller)
    requested_return(order)
    assert other_api.get("/api/v1/seller/orders").json()["items"] == []
    assert other_api.get("/api/v1/seller/returns").json()["items"] == []
    assert_problem(other_api.get(f"/api/v1/seller/orders/{order.public_id}"), 404, "not-found")
