"""Webhook fixtures shared with other test modules (tests/api/test_tenancy.py)."""

from __future__ import annotations

from agora.core.outbox import dispatch_pending
from agora.marketplace.models import Seller
from agora.webhooks.models import WebhookDelivery, WebhookEndpoint
from agora.webhooks.services import webhook_endpoint_create
from tests.conftest import SYSTEM, make_product


def make_endpoint(
    seller: Seller, events: list[str] | None = None, url: str = "https://example.com/hooks"
) -> tuple[WebhookEndpoint, str]:
    return webhook_endpoint_create(
        actor=SYSTEM, seller=seller, url=url, events=events or ["*"], description="test"
    )


def make_endpoint_with_delivery(
    seller: Seller, title: str = "Webhook probe", url: str = "https://example.com/hooks"
) -> tuple[WebhookEndpoint, WebhookDelivery]:
    """An endpoint of ``seller`` holding one delivery (of the product.published event of a new
    product), made the way production makes it: publish, then the outbox fans out."""
    endpoint, _ = make_endpoint(seller, url=url)
    product = make_product(seller, title, sku=f"{title}-wh", publish=True)
    dispatch_pending()
    delivery = endpoint.deliveries.get(
        event_type="product.published", body__contains=product.public_id
    )
    return endpoint, delivery
