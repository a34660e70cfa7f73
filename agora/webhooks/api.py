"""Webhook endpoints of a seller (``/seller/webhooks``, a seller's key) and of a platform app
(``/app/webhooks``, an app key): register, change, rotate the secret, read the delivery log,
replay a delivery. The two share every handler; only the owner differs. Another owner's
endpoint is a 404. App endpoints receive the events their key's scopes may read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import BaseModel, Field

from agora.accounts.models import ApiKey
from agora.api.auth import app_auth, seller_auth
from agora.api.schemas import NoNulInput, StrictInput
from agora.api.scopes import require_scope
from agora.core.errors import not_found
from agora.marketplace.models import Seller
from agora.webhooks import selectors, services
from agora.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

router = Router(tags=["seller: webhooks"], auth=seller_auth)
app_router = Router(tags=["app: webhooks"], auth=app_auth)

URL_HELP = "https:// URL the events are posted to (http:// only for localhost)"
URL_EXAMPLES = ["https://example.com/agora/webhooks"]
EVENTS_HELP = 'event names to receive, e.g. ["order.placed", "order.paid"], or ["*"] for all'
EVENTS_EXAMPLES = [["product.published"]]


class EndpointIn(StrictInput):
    url: str = Field(max_length=2000, description=URL_HELP, examples=URL_EXAMPLES)
    events: list[str] = Field(
        min_length=1, max_length=100, description=EVENTS_HELP, examples=EVENTS_EXAMPLES
    )
    description: str = Field("", max_length=200)


class EndpointPatch(StrictInput):
    url: str | None = Field(None, max_length=2000, description=URL_HELP, examples=URL_EXAMPLES)
    events: list[str] | None = Field(
        None, min_length=1, max_length=100, description=EVENTS_HELP, examples=EVENTS_EXAMPLES
    )
    description: str | None = Field(None, max_length=200)
    enabled: bool | None = None


class EndpointOut(BaseModel):
    id: str
    url: str
    description: str
    events: list[str]
    enabled: bool
    disabled_reason: str
    consecutive_failures: int
    created_at: datetime
    updated_at: datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(description="whsec_… signing secret; shown only now and on rotation")


class EndpointPage(BaseModel):
    items: list[EndpointOut]
    next_cursor: str | None


class SecretOut(BaseModel):
    id: str
    secret: str
    previous_secret_valid_until: datetime | None


class AttemptOut(BaseModel):
    cycle: int
    number: int
    attempted_at: datetime
    succeeded: bool
    status_code: int | None
    response_snippet: str
    duration_ms: int
    error: str


class DeliveryOut(BaseModel):
    id: str
    webhook_id: str = Field(description="the webhook-id header: the event's id, stable on replay")
    event_type: str
    status: str
    cycle: int
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    succeeded_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptOut]


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class PageQuery(NoNulInput):
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=100)


class DeliveryQuery(PageQuery):
    status: WebhookDelivery.Status | None = None


def endpoint_out(endpoint: WebhookEndpoint, *, secret: str | None = None) -> EndpointOut:
    data: dict[str, Any] = {
        "id": endpoint.public_id,
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.event_types,
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "consecutive_failures": endpoint.consecutive_failures,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
    }
    return EndpointCreated(**data, secret=secret) if secret else EndpointOut(**data)


def _attempt_out(a: WebhookAttempt) -> AttemptOut:
    return AttemptOut(
        cycle=a.cycle,
        number=a.number,
        attempted_at=a.attempted_at,
        succeeded=a.succeeded,
        status_code=a.status_code,
        response_snippet=a.response_snippet,
        duration_ms=a.duration_ms,
        error=a.error,
    )


def delivery_out(d: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=d.public_id,
        webhook_id=d.msg_id,
        event_type=d.event_type,
        status=d.status,
        cycle=d.cycle,
        attempts=d.attempts,
        next_attempt_at=d.next_attempt_at,
        last_attempt_at=d.last_attempt_at,
        succeeded_at=d.succeeded_at,
        created_at=d.created_at,
        attempt_log=[_attempt_out(a) for a in d.attempt_log.all()],
    )


def _owner(request: HttpRequest) -> Seller | ApiKey:
    """The seller of a seller's key, else the app key itself (the auth classes decide which)."""
    return request.seller or request.api_key  # type: ignore[attr-defined]


def _own_endpoint(request: HttpRequest, endpoint_id: str) -> WebhookEndpoint:
    endpoint = selectors.endpoint_get_for_owner(owner=_owner(request), public_id=endpoint_id)
    if endpoint is None:
        raise not_found("webhook endpoint", endpoint_id)
    return endpoint


def _own_delivery(request: HttpRequest, endpoint_id: str, delivery_id: str) -> WebhookDelivery:
    endpoint = _own_endpoint(request, endpoint_id)
    delivery = selectors.delivery_get_for_endpoint(endpoint=endpoint, public_id=delivery_id)
    if delivery is None:
        raise not_found("webhook delivery", delivery_id)
    return delivery


@router.get(
    "/seller/webhooks", response=EndpointPage, summary="List the seller's webhook endpoints"
)
@app_router.get(
    "/app/webhooks",
    operation_id="app_list_endpoints",
    response=EndpointPage,
    summary="List the app's webhook endpoints",
)
def list_endpoints(request: HttpRequest, page: Query[PageQuery]) -> EndpointPage:
    require_scope(request, "webhooks:read")
    result = selectors.endpoint_list_for_owner(
        owner=_owner(request),
        cursor=page.cursor,
        limit=page.limit,
    )
    return EndpointPage(
        items=[endpoint_out(e) for e in result.items], next_cursor=result.next_cursor
    )


@router.post(
    "/seller/webhooks",
    response={201: EndpointCreated},
    summary="Register a webhook endpoint (the response holds its secret, shown once)",
)
@app_router.post(
    "/app/webhooks",
    operation_id="app_create_endpoint",
    response={201: EndpointCreated},
    summary="Register a webhook endpoint (the response holds its secret, shown once)",
)
def create_endpoint(request: HttpRequest, payload: EndpointIn) -> Status[EndpointOut]:
    owner = _owner(request)
    endpoint, secret = services.webhook_endpoint_create(
        actor=request.actor,  # type: ignore[attr-defined]
        **({"seller": owner} if isinstance(owner, Seller) else {"api_key": owner}),
        url=payload.url,
        events=payload.events,
        description=payload.description,
    )
    return Status(201, endpoint_out(endpoint, secret=secret))


@router.get("/seller/webhooks/{endpoint_id}", response=EndpointOut, summary="Get an endpoint")
@app_router.get(
    "/app/webhooks/{endpoint_id}",
    operation_id="app_get_endpoint",
    response=EndpointOut,
    summary="Get an endpoint",
)
def get_endpoint(request: HttpRequest, endpoint_id: str) -> EndpointOut:
    require_scope(request, "webhooks:read")
    return endpoint_out(_own_endpoint(request, endpoint_id))


@router.patch(
    "/seller/webhooks/{endpoint_id}",
    response=EndpointOut,
    summary="Change an endpoint's URL, events or description, or enable/disable it",
)
@app_router.patch(
    "/app/webhooks/{endpoint_id}",
    operation_id="app_update_endpoint",
    response=EndpointOut,
    summary="Change an endpoint's URL, events or description, or enable/disable it",
)
def update_endpoint(request: HttpRequest, endpoint_id: str, payload: EndpointPatch) -> EndpointOut:
    endpoint = services.webhook_endpoint_update(
        actor=request.actor,  # type: ignore[attr-defined]
        endpoint=_own_endpoint(request, endpoint_id),
        changes=payload.model_dump(exclude_unset=True),
    )
    return endpoint_out(endpoint)


@router.delete("/seller/webhooks/{endpoint_id}", response={204: None}, summary="Delete an endpoint")
@app_router.delete(
    "/app/webhooks/{endpoint_id}",
    operation_id="app_delete_endpoint",
    response={204: None},
    summary="Delete an endpoint",
)
def delete_endpoint(request: HttpRequest, endpoint_id: str) -> Status[None]:
    services.webhook_endpoint_delete(
        actor=request.actor,  # type: ignore[attr-defined]
        endpoint=_own_endpoint(request, endpoint_id),
    )
    return Status(204, None)


@router.post(
    "/seller/webhooks/{endpoint_id}/rotate-secret",
    response=SecretOut,
    summary="Issue a new signing secret (the old one also signs for 24 hours)",
)
@app_router.post(
    "/app/webhooks/{endpoint_id}/rotate-secret",
    operation_id="app_rotate_secret",
    response=SecretOut,
    summary="Issue a new signing secret (the old one also signs for 24 hours)",
)
def rotate_secret(request: HttpRequest, endpoint_id: str) -> SecretOut:
    endpoint, secret = services.webhook_endpoint_rotate_secret(
        actor=request.actor,  # type: ignore[attr-defined]
        endpoint=_own_endpoint(request, endpoint_id),
    )
    return SecretOut(
        id=endpoint.public_id,
        secret=secret,
        previous_secret_valid_until=endpoint.previous_secret_until,
    )


@router.get(
    "/seller/webhooks/{endpoint_id}/deliveries",
    response=DeliveryPage,
    summary="An endpoint's deliveries with their attempts, newest first",
)
@app_router.get(
    "/app/webhooks/{endpoint_id}/deliveries",
    operation_id="app_list_deliveries",
    response=DeliveryPage,
    summary="An endpoint's deliveries with their attempts, newest first",
)
def list_deliveries(
    request: HttpRequest, endpoint_id: str, query: Query[DeliveryQuery]
) -> DeliveryPage:
    require_scope(request, "webhooks:read")
    result = selectors.delivery_list_for_endpoint(
        endpoint=_own_endpoint(request, endpoint_id),
        cursor=query.cursor,
        limit=query.limit,
        status=query.status,
    )
    return DeliveryPage(
        items=[delivery_out(d) for d in result.items], next_cursor=result.next_cursor
    )


@router.post(
    "/seller/webhooks/{endpoint_id}/deliveries/{delivery_id}/replay",
    response=DeliveryOut,
    summary="Send a delivery again (a new cycle of attempts, same webhook-id)",
)
@app_router.post(
    "/app/webhooks/{endpoint_id}/deliveries/{delivery_id}/replay",
    operation_id="app_replay_delivery",
    response=DeliveryOut,
    summary="Send a delivery again (a new cycle of attempts, same webhook-id)",
)
def replay_delivery(request: HttpRequest, endpoint_id: str, delivery_id: str) -> DeliveryOut:
    delivery = services.webhook_delivery_replay(
        actor=request.actor,  # type: ignore[attr-defined]
        delivery=_own_delivery(request, endpoint_id, delivery_id),
    )
    return delivery_out(
        selectors.delivery_get_for_endpoint(
            endpoint=delivery.endpoint, public_id=delivery.public_id
        )  # type: ignore[arg-type]
    )
