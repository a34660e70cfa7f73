"""The seller's webhook endpoints over the API: create, list, get, patch, delete, rotate the
secret, the delivery log and replay; tenancy; bad input named by field."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts.services import actor_for_api_key, api_key_issue
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry
from agora.marketplace.models import Seller
from agora.webhooks.models import WebhookEndpoint
from agora.webhooks.services import webhook_endpoint_create, webhook_endpoint_update
from tests.conftest import SYSTEM, assert_problem, key_client, patch_json, post_json
from tests.webhooks.helpers import make_endpoint, make_endpoint_with_delivery

BASE = "/api/v1/seller/webhooks"
pytestmark = pytest.mark.django_db


def create(api: Client, **body: object) -> dict:
    body = {"url": "https://shop.example/hooks", "events": ["order.placed"], **body}
    response = post_json(api, BASE, body)
    assert response.status_code == 201, response.content
    return response.json()


def test_create_returns_the_secret_once(api: Client) -> None:
    created = create(api, events=["order.paid", "order.placed", "order.paid"], description="ERP")
    assert created["id"].startswith("whe_")
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["order.paid", "order.placed"]
    assert created["enabled"] is True and created["description"] == "ERP"

    got = api.get(f"{BASE}/{created['id']}").json()
    assert "secret" not in got and got["url"] == "https://shop.example/hooks"
    listed = api.get(BASE).json()
    assert [e["id"] for e in listed["items"]] == [created["id"]]
    assert "secret" not in listed["items"][0]
    audit = AuditEntry.objects.get(action="webhook_endpoint.created")
    assert created["secret"] not in str(audit.changes)


def test_wildcard_and_local_http_are_accepted(api: Client) -> None:
    created = create(api, url="http://localhost:8080/in", events=["order.placed", "*"])
    assert created["events"] == ["*"]
    create(api, url="http://127.0.0.1:9000/in")


def test_list_is_cursor_paginated(api: Client) -> None:
    ids = [create(api)["id"] for _ in range(3)]
    first = api.get(f"{BASE}?limit=2").json()
    second = api.get(f"{BASE}?limit=2&cursor={first['next_cursor']}").json()
    assert [e["id"] for e in first["items"] + second["items"]] == ids[::-1]
    assert second["next_cursor"] is None


def test_patch_changes_url_events_and_enabled(api: Client) -> None:
    endpoint = create(api)
    url = f"{BASE}/{endpoint['id']}"
    response = patch_json(
        api, url, {"url": "https://new.example/h", "events": ["stock.changed"], "enabled": False}
    )
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["url"] == "https://new.example/h"
    assert changed["events"] == ["stock.changed"]
    assert changed["enabled"] is False and changed["disabled_reason"] == "disabled by its owner"
    again = patch_json(api, url, {"enabled": True}).json()
    assert again["enabled"] is True and again["disabled_reason"] == ""
    assert AuditEntry.objects.filter(action="webhook_endpoint.updated").count() == 2


def test_rotate_issues_a_new_secret(api: Client) -> None:
    endpoint = create(api)
    response = post_json(api, f"{BASE}/{endpoint['id']}/rotate-secret", {})
    assert response.status_code == 200, response.content
    rotated = response.json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != endpoint["secret"]
    assert rotated["previous_secret_valid_until"] is not None
    stored = WebhookEndpoint.objects.get(public_id=endpoint["id"])
    assert (stored.secret, stored.previous_secret) == (rotated["secret"], endpoint["secret"])


def test_delete(api: Client) -> None:
    endpoint = create(api)
    assert api.delete(f"{BASE}/{endpoint['id']}").status_code == 204
    assert_problem(api.get(f"{BASE}/{endpoint['id']}"), 404, "not-found")
    assert AuditEntry.objects.filter(
        action="webhook_endpoint.deleted", target_id=endpoint["id"]
    ).exists()


def test_delivery_log_and_replay(seller: Seller, api: Client) -> None:
    endpoint, delivery = make_endpoint_with_delivery(seller, "Logged")
    response = api.get(f"{BASE}/{endpoint.public_id}/deliveries")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert delivery.public_id in [d["id"] for d in items]
    mine = next(d for d in items if d["id"] == delivery.public_id)
    assert mine["webhook_id"] == delivery.msg_id and mine["status"] == "pending"
    assert mine["attempt_log"] == []

    page = api.get(f"{BASE}/{endpoint.public_id}/deliveries?limit=1").json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    only = api.get(f"{BASE}/{endpoint.public_id}/deliveries?status=succeeded").json()
    assert only["items"] == []

    replay = post_json(
        api, f"{BASE}/{endpoint.public_id}/deliveries/{delivery.public_id}/replay", {}
    )
    assert replay.status_code == 200, replay.content
    assert (replay.json()["cycle"], replay.json()["status"]) == (2, "pending")


def test_replay_to_a_disabled_endpoint_is_a_conflict(seller: Seller, api: Client) -> None:
    endpoint, delivery = make_endpoint_with_delivery(seller, "Off")
    webhook_endpoint_update(actor=SYSTEM, endpoint=endpoint, changes={"enabled": False})
    response = post_json(
        api, f"{BASE}/{endpoint.public_id}/deliveries/{delivery.public_id}/replay", {}
    )
    body = assert_problem(response, 409, "webhook-endpoint-disabled")
    assert endpoint.public_id in body["detail"]


def test_another_sellers_endpoints_are_not_found(
    seller: Seller, other_seller: Seller, api: Client, other_api: Client
) -> None:
    endpoint, delivery = make_endpoint_with_delivery(seller, "Private")
    mine, _ = make_endpoint(other_seller)
    base = f"{BASE}/{endpoint.public_id}"
    for response in (
        other_api.get(base),
        patch_json(other_api, base, {"enabled": False}),
        other_api.delete(base),
        post_json(other_api, f"{base}/rotate-secret", {}),
        other_api.get(f"{base}/deliveries"),
        post_json(other_api, f"{base}/deliveries/{delivery.public_id}/replay", {}),
    ):
        body = assert_problem(response, 404, "not-found")
        assert endpoint.public_id in body["detail"]
    # a delivery is only reachable under its own endpoint, even for the same seller
    theirs_under_mine = post_json(
        other_api, f"{BASE}/{mine.public_id}/deliveries/{delivery.public_id}/replay", {}
    )
    assert_problem(theirs_under_mine, 404, "not-found")
    assert [e["id"] for e in other_api.get(BASE).json()["items"]] == [mine.public_id]
    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert_problem(api.get(f"{BASE}/whe_nonsense"), 404, "not-found")


@pytest.mark.parametrize(
    ("body", "field", "slug"),
    [
        ({"url": "http://shop.example/hooks"}, "url", "webhook-url-invalid"),
        ({"url": "ftp://shop.example/hooks"}, "url", "webhook-url-invalid"),
        ({"url": "not a url"}, "url", "webhook-url-invalid"),
        ({"url": "https://user:pw@shop.example/h"}, "url", "webhook-url-invalid"),
        ({"url": ""}, "url", "webhook-url-invalid"),
        ({"events": []}, "events", "validation-error"),
        ({"events": ["order.exploded"]}, "events[0]", "webhook-event-unknown"),
        ({"events": ["order.placed", ""]}, "events[1]", "webhook-event-unknown"),
        ({"events": "order.placed"}, "events", "validation-error"),
        ({"secret": "whsec_mine"}, "secret", "validation-error"),
        ({"url": None}, "url", "validation-error"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    api: Client, body: dict, field: str, slug: str
) -> None:
    full = {"url": "https://shop.example/hooks", "events": ["order.placed"], **body}
    assert_problem(post_json(api, BASE, full), 422, slug, field=field)
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://shop.example/x"}, "url"),
        ({"events": []}, "events"),
        ({"events": None}, "events"),
        ({"enabled": None}, "enabled"),
        ({"events": ["nope"]}, "events[0]"),
    ],
)
def test_bad_patches_are_refused_naming_the_field(api: Client, body: dict, field: str) -> None:
    endpoint = create(api)
    response = patch_json(api, f"{BASE}/{endpoint['id']}", body)
    assert_problem(response, 422, field=field)
    assert api.get(f"{BASE}/{endpoint['id']}").json() == {
        k: v for k, v in endpoint.items() if k != "secret"
    }


def test_scopes_are_checked(seller: Seller) -> None:
    reader = key_client(seller, ["webhooks:read"])
    assert reader.get(BASE).status_code == 200
    denied = post_json(reader, BASE, {"url": "https://a.example/h", "events": ["*"]})
    assert_problem(denied, 403, "scope-missing")
    stranger = key_client(seller, ["catalog:write"])
    assert_problem(stranger.get(BASE), 403, "scope-missing")


def test_app_endpoints_belong_to_their_app_key_alone(seller: Seller) -> None:
    key, _ = api_key_issue(
        actor=SYSTEM, name="app", scopes=["webhooks:write", "orders:read"], seller_id=None
    )
    other, _ = api_key_issue(actor=SYSTEM, name="other", scopes=["webhooks:write"], seller_id=None)
    endpoint, secret = webhook_endpoint_create(
        actor=actor_for_api_key(key), api_key=key, url="https://app.example/h", events=["*"]
    )
    assert endpoint.seller is None and secret.startswith("whsec_")
    with pytest.raises(AgoraError) as refused:
        webhook_endpoint_update(
            actor=actor_for_api_key(other), endpoint=endpoint, changes={"enabled": False}
        )
    assert refused.value.problem.slug == "forbidden"
    # an app key cannot reach seller endpoints through the seller API either
    from django.test import Client as C

    _, token = api_key_issue(actor=SYSTEM, name="app2", scopes=["webhooks:read"], seller_id=None)
    assert_problem(C(HTTP_AUTHORIZATION=f"Bearer {token}").get(BASE), 401)


def app_client(*scopes: str) -> Client:
    _, token = api_key_issue(actor=SYSTEM, name="an app", scopes=list(scopes), seller_id=None)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_an_app_manages_its_own_endpoints_over_http(seller: Seller, api: Client) -> None:
    app = app_client("webhooks:write", "orders:read")
    response = post_json(
        app, "/api/v1/app/webhooks", {"url": "https://app.example/in", "events": ["order.paid"]}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get(public_id=created["id"])
    assert endpoint.seller is None and endpoint.api_key is not None
    url = f"/api/v1/app/webhooks/{created['id']}"
    assert [e["id"] for e in app.get("/api/v1/app/webhooks").json()["items"]] == [created["id"]]
    assert app.get(url).json()["events"] == ["order.paid"]
    assert patch_json(app, url, {"enabled": False}).json()["enabled"] is False
    assert post_json(app, f"{url}/rotate-secret", {}).status_code == 200
    assert app.get(f"{url}/deliveries").json()["items"] == []
    # another app, and a seller, see nothing of it; the app sees no seller endpoints
    other = app_client("webhooks:write")
    assert other.get("/api/v1/app/webhooks").json()["items"] == []
    assert_problem(other.get(url), 404)
    assert_problem(api.get(f"{BASE}/{created['id']}"), 404)
    seller_endpoint = create(api)
    assert_problem(app.get(f"/api/v1/app/webhooks/{seller_endpoint['id']}"), 404)
    # a seller's key is refused on the app routes, naming the right place
    body = assert_problem(api.get("/api/v1/app/webhooks"), 401)
    assert "app key" in body["detail"]
    assert app.delete(url).status_code == 204
    assert not WebhookEndpoint.objects.filter(public_id=created["id"]).exists()
