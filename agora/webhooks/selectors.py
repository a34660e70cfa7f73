"""Read queries of webhooks, tenant-scoped: a seller only ever sees its own endpoints, an app
key only its own."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from agora.accounts.models import ApiKey
from agora.core.ids import is_public_id
from agora.core.pagination import Page, paginate
from agora.marketplace.models import Seller
from agora.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def _owned(owner: Seller | ApiKey) -> QuerySet[WebhookEndpoint]:
    which = {"seller": owner} if isinstance(owner, Seller) else {"api_key": owner, "seller": None}
    return WebhookEndpoint.objects.filter(**which).select_related("seller", "api_key")


def endpoint_list_for_owner(*, owner: Seller | ApiKey, cursor: str | None, limit: int) -> Page:
    """The endpoints of a seller, or of a platform app's key."""
    return paginate(_owned(owner), cursor=cursor, limit=limit)


def endpoint_get_for_owner(*, owner: Seller | ApiKey, public_id: str) -> WebhookEndpoint | None:
    if not is_public_id(public_id, "whe"):
        return None
    return _owned(owner).filter(public_id=public_id).first()


def endpoint_list_for_seller(*, seller: Seller, cursor: str | None, limit: int) -> Page:
    return endpoint_list_for_owner(owner=seller, cursor=cursor, limit=limit)


def endpoint_get_for_seller(*, seller: Seller, public_id: str) -> WebhookEndpoint | None:
    return endpoint_get_for_owner(owner=seller, public_id=public_id)


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
