"""Webhooks never become a way into Agora's own network: loopback, private, link-local and
reserved addresses are refused at registration and again at delivery (DNS can change)."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.webhooks.delivery import deliver_due
from agora.webhooks.destinations import DestinationRefused, check_destination
from agora.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import assert_problem, post_json
from tests.webhooks.helpers import make_endpoint_with_delivery

pytestmark = pytest.mark.django_db
BASE = "/api/v1/seller/webhooks"

REFUSED = [
    "https://169.254.169.254/latest/meta-data",  # cloud metadata (link-local)
    "https://10.0.0.5/hooks",
    "https://192.168.1.20/hooks",
    "https://172.16.0.1/hooks",
    "https://[fd00::1]/hooks",
    "https://[::ffff:10.0.0.1]/hooks",  # an IPv4 private address in IPv6 clothing
    "https://0.0.0.0/hooks",
    "https://100.64.0.1/hooks",  # carrier-grade NAT
]


@pytest.mark.parametrize("url", REFUSED)
def test_non_public_addresses_are_refused_when_registering(api: Client, url: str) -> None:
    body = assert_problem(
        post_json(api, BASE, {"url": url, "events": ["*"]}), 422, "webhook-url-invalid", "url"
    )
    assert "public" in body["detail"]
    assert not WebhookEndpoint.objects.exists()


def test_loopback_follows_the_setting(api: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AGORA_WEBHOOK_ALLOW_LOOPBACK = False
    for url in ("http://127.0.0.1:9000/in", "http://localhost:9000/in", "http://[::1]:9/in"):
        body = assert_problem(post_json(api, BASE, {"url": url, "events": ["*"]}), 422)
        assert "loopback" in body["detail"]
    settings.AGORA_WEBHOOK_ALLOW_LOOPBACK = True
    assert (
        post_json(api, BASE, {"url": "http://127.0.0.1:9/in", "events": ["*"]}).status_code == 201
    )


def test_private_networks_follow_their_setting(settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DestinationRefused, match="private"):
        check_destination("https://10.1.2.3/h")
    settings.AGORA_WEBHOOK_ALLOW_PRIVATE = True
    check_destination("https://10.1.2.3/h")
    with pytest.raises(DestinationRefused, match="link-local"):  # never, whatever the setting
        check_destination("https://169.254.169.254/h")


def test_public_addresses_pass() -> None:
    check_destination("https://93.184.215.14/hooks")
    check_destination("https://[2606:4700::1111]/hooks")


def test_delivery_checks_again_and_never_calls_a_refused_host(seller, settings) -> None:  # type: ignore[no-untyped-def]
    # registered while loopback was allowed, then the platform turned it off
    _, delivery = make_endpoint_with_delivery(seller, url="http://127.0.0.1:9/hooks")
    settings.AGORA_WEBHOOK_ALLOW_LOOPBACK = False
    deliver_due()
    delivery = WebhookDelivery.objects.get(pk=delivery.pk)
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None and attempt.error.startswith("refused:")
    assert "loopback" in attempt.error and delivery.status != "succeeded"
