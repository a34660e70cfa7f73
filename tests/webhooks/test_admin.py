"""The admin shows endpoints (never their secret) and the delivery log, and replays."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.marketplace.models import Seller
from tests.webhooks.helpers import make_endpoint_with_delivery

pytestmark = pytest.mark.django_db


def test_admin_pages_hide_the_secret_and_replay_deliveries(
    seller: Seller, admin_client: Client
) -> None:
    endpoint, delivery = make_endpoint_with_delivery(seller, "Admin")
    for url in (
        "/admin/webhooks/webhookendpoint/",
        f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/",
        "/admin/webhooks/webhookdelivery/",
        f"/admin/webhooks/webhookdelivery/{delivery.pk}/change/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert endpoint.secret not in response.content.decode(), url
    response = admin_client.post(
        "/admin/webhooks/webhookdelivery/",
        {"action": "replay", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.cycle == 2
