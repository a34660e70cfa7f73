"""Read queries of webhooks, tenant-scoped: a seller only ever sees its own endpoints."""

from __future__ import annotations

from django.db.models import Prefetch

from agora.core.ids import is_public_id
from agora.core.pagination import Page, paginate
from agora.marketplace.models import Seller
from agora.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_list_for_seller(*, seller: Seller, cursor: str | None, limit: int) -> Page:
    return paginate(
        WebhookEndpoint.objects.filter(seller=seller).select_related("seller"),
        cursor=cursor,
        limit=limit,
    )


def endpoint_get_for_seller(*, seller: Seller, public_id: str) -> WebhookEndpoint | None:
    if not is_public_id(public_id, "whe"):
        return None
    return (
        WebhookEndpoint.objects.filter(seller=seller, public_id=public_id)
        .select_related("seller", "api_key")
        .first()
    )


def delivery_list_for_endpoint(
    *, endpoint: WebhookEndpoint, cursor: str | None, limit: int, status: str | None = None
) -> Page:
    """Newest first, each with its attempts (the log), in two queries."""
    queryset = WebhookDelivery.objects.filter(endpoint=endpoint).prefetch_related(
        Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("attempted_at", "id"))
    )
    if status:
        queryset = queryset.filter(status=status)
    return paginate(queryset, cursor=cursor, limit=limit)


def delivery_get_for_endpoint(
    *, endpoint: WebhookEndpoint, public_id: str
) -> WebhookDelivery | None:
    if not is_public_id(public_id, "whd"):
        return None
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint, public_id=public_id)
        .select_related("endpoint__seller", "endpoint__api_key")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("attempted_at", "id"))
        )
        .first()
    )
