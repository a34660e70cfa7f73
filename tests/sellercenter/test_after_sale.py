"""After the sale: returns decided, received and refunded; money; webhooks and API keys; the
dashboard's figures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agora.accounts.models import ApiKey
from agora.core import clock
from agora.core.outbox import dispatch_pending
from agora.inventory.models import StockLevel
from agora.orders.models import OrderReturn
from agora.payments.models import Payout
from agora.sellercenter.selectors import dashboard
from agora.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.orders.factories import delivered, location, requested_return
from tests.sellercenter.helpers import field_error, staff_client, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered_order(seller):  # type: ignore[no-untyped-def]
    return delivered(seller, [(2, 1000)])


def test_rejecting_needs_a_reason_and_approving_does_not(seller, delivered_order) -> None:  # type: ignore[no-untyped-def]
    ret = requested_return(delivered_order, quantity=1)
    client = staff_client(seller)
    r = client.post(f"/seller/returns/{ret.public_id}/reject/", {"note": ""})
    assert r.status_code == 422 and field_error(r, "note")
    r = client.post(f"/seller/returns/{ret.public_id}/approve/", {"note": ""})
    assert r.status_code == 302
    ret.refresh_from_db()
    assert ret.status == "approved"
    assert ret.public_id in text(client.get("/seller/returns/?status=approved"))


def test_receiving_restocks_at_the_chosen_location(seller, delivered_order) -> None:  # type: ignore[no-untyped-def]
    ret = requested_return(delivered_order, quantity=2)
    client = staff_client(seller)
    client.post(f"/seller/returns/{ret.public_id}/approve/", {})
    at = location(seller, "Returns shelf")
    line = delivered_order.lines.get()
    r = client.post(f"/seller/returns/{ret.public_id}/receive/", {"disposition_1": "restock"})
    assert r.status_code == 422 and field_error(r, "location_1")
    r = client.post(
        f"/seller/returns/{ret.public_id}/receive/",
        {"disposition_1": "restock", "condition_1": "as_new", "location_1": at.public_id},
    )
    assert r.status_code == 302
    ret.refresh_from_db()
    assert ret.status == "received"
    assert StockLevel.objects.get(location=at, variant=line.variant).on_hand == 2


def test_the_money_page_and_a_payout(seller, delivered_order) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller)
    page = text(client.get("/seller/money/"))
    assert "No money has moved yet." in page or "EUR" in page
    r = client.post("/seller/money/payouts/", {"currency": "EUR", "key": "k1"})
    assert r.status_code == 302
    # Whether or not escrow was released, the page answers and never pays twice for one key.
    client.post("/seller/money/payouts/", {"currency": "EUR", "key": "k1"})
    assert Payout.objects.filter(seller=seller).count() <= 1


def test_a_webhook_endpoint_shows_its_secret_once_and_can_be_disabled(seller) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller)
    r = client.post("/seller/webhooks/", {"url": "http://example.com/h", "events": ["*"]})
    assert r.status_code == 422 and field_error(r, "url")
    r = client.post("/seller/webhooks/", {"url": "https://example.com/h", "events": ["order.paid"]})
    assert r.status_code == 201
    endpoint = WebhookEndpoint.objects.get(seller=seller)
    assert endpoint.secret in r.content.decode()
    detail = client.get(f"/seller/webhooks/{endpoint.public_id}/")
    assert endpoint.secret not in detail.content.decode()
    assert endpoint.secret not in client.get("/seller/webhooks/").content.decode()
    client.post(f"/seller/webhooks/{endpoint.public_id}/disable/")
    endpoint.refresh_from_db()
    assert not endpoint.enabled


def test_a_delivery_is_replayed_from_the_log(seller) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller)
    client.post("/seller/webhooks/", {"url": "https://example.com/h", "events": ["*"]})
    endpoint = WebhookEndpoint.objects.get(seller=seller)
    delivered(seller)  # publishes order events to the endpoint
    dispatch_pending()
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint).first()
    assert delivery is not None
    before = delivery.cycle
    r = client.post(
        f"/seller/webhooks/{endpoint.public_id}/deliveries/{delivery.public_id}/replay/",
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert r.content.decode().lstrip().startswith(f'<tr id="delivery-{delivery.public_id}"')
    delivery.refresh_from_db()
    assert delivery.cycle == before + 1 and delivery.status == "pending"


def test_an_api_key_is_shown_once_and_revoked(seller) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller)
    r = client.post("/seller/keys/", {"name": "ERP", "scopes": ["orders:read"]})
    assert r.status_code == 201
    body = r.content.decode()
    key = ApiKey.objects.get(seller=seller)
    assert f"agora_sk_{key.lookup}_" in body and key.created_by == client.user  # type: ignore[attr-defined]
    listing = client.get("/seller/keys/").content.decode()
    token = body.split(f"agora_sk_{key.lookup}_")[1].split("<")[0]
    assert token not in listing
    client.post(f"/seller/keys/{key.public_id}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None
    r = client.post("/seller/keys/", {"name": "", "scopes": []})
    assert r.status_code == 422 and field_error(r, "name") and field_error(r, "scopes")


def test_the_dashboard_figures(seller, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    order = delivered(seller, [(3, 1000), (1, 500)])
    requested_return(order, quantity=1)
    with clock.frozen_at(clock.now() + timedelta(hours=1)), django_assert_max_num_queries(6):
        board = dashboard(seller=seller)
    assert len(board.days) == 30 and board.currency == "EUR"
    assert board.total_minor == order.total_minor
    assert (board.units_sold, board.units_returned) == (4, 1)
    assert board.return_rate == 0.25
    assert board.top[0].units == 3
    page = staff_client(seller).get("/seller/")
    html = page.content.decode()
    assert 'id="chart-data"' in html and "chart.umd.min.js" in html
    assert "25.0 %" in text(page)


def test_a_received_return_is_refunded_from_the_page(seller) -> None:  # type: ignore[no-untyped-def]
    from tests.payments.factories import received_paid_return

    ret = received_paid_return(seller)
    client = staff_client(seller)
    too_much = client.post(f"/seller/returns/{ret.public_id}/refund/", {"amount": "100000"})
    assert too_much.status_code == 422 and field_error(too_much, "amount")
    r = client.post(f"/seller/returns/{ret.public_id}/refund/", {"amount": "5.00"})
    assert r.status_code == 302, text(r)
    ret = OrderReturn.objects.get(pk=ret.pk)
    assert (ret.status, ret.refunded_minor) == ("refunded", 500)
    assert "€5.00" in text(client.get(f"/seller/returns/{ret.public_id}/"))
