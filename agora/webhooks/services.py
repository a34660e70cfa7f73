"""Use cases of webhooks: registering, changing, rotating and deleting endpoints, and replaying a
delivery. Each checks the actor's right over the endpoint's owner, runs in one transaction and
writes the audit log (never the secret)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from agora.accounts.errors import SCOPE_MISSING
from agora.accounts.models import ApiKey
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record, diff
from agora.core.errors import (
    FORBIDDEN,
    AgoraError,
    FieldError,
    invalid,
    not_found,
    require_max_length,
)
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access
from agora.webhooks import errors
from agora.webhooks.delivery import schedule_send_on_commit
from agora.webhooks.destinations import DestinationRefused, check_destination
from agora.webhooks.event_types import WILDCARD, known_event_types
from agora.webhooks.models import WebhookDelivery, WebhookEndpoint
from agora.webhooks.signing import new_secret

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_URL_LENGTH = 2000
MAX_EVENT_TYPES = 100
# After a rotation the old secret keeps signing (a second signature) for this long.
ROTATION_GRACE = timedelta(hours=24)
_url_validator = URLValidator(schemes=["http", "https"])


def clean_url(url: str, field: str = "url") -> str:
    """An absolute https URL (http only for this machine, for development)."""
    url = (url or "").strip()

    def refuse(why: str) -> AgoraError:
        return AgoraError(errors.WEBHOOK_URL_INVALID, f"{field}: {why}", [FieldError(field, why)])

    if not url:
        raise refuse("must not be empty")
    if len(url) > MAX_URL_LENGTH:
        raise refuse(f"is {len(url)} characters long; at most {MAX_URL_LENGTH} are allowed")
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host:
        raise refuse(f"{url!r} is not an absolute https:// URL")
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise refuse(f"{url!r} must use https:// (http:// only for localhost or 127.0.0.1)")
    if parts.username or parts.password:
        raise refuse("must not contain a user name or password")
    try:
        _url_validator(url)
    except ValidationError as exc:
        raise refuse(f"{url!r} is not a valid URL") from exc
    try:
        check_destination(url, resolve_names=False)
    except DestinationRefused as exc:
        raise refuse(str(exc)) from exc
    return url


def clean_event_types(values: list[str], field: str = "events") -> list[str]:
    """Known event names, de-duplicated and sorted; ``["*"]`` subscribes to everything."""
    if not values:
        raise invalid(field, f"must list at least one event type, or {WILDCARD!r} for all")
    if len(values) > MAX_EVENT_TYPES:
        raise invalid(field, f"lists {len(values)} event types; at most {MAX_EVENT_TYPES}")
    known = known_event_types()
    cleaned: set[str] = set()
    for i, raw in enumerate(values):
        name = raw.strip() if isinstance(raw, str) else ""
        if name != WILDCARD and name not in known:
            why = f"{raw!r} is not an event type; known: {', '.join(sorted(known))}, or '*'"
            raise AgoraError(
                errors.WEBHOOK_EVENT_UNKNOWN,
                f"{field}[{i}]: {why}",
                [FieldError(f"{field}[{i}]", why)],
            )
        cleaned.add(name)
    return [WILDCARD] if WILDCARD in cleaned else sorted(cleaned)


def _require_access(actor: Actor, *, seller: Seller | None, api_key: ApiKey | None) -> None:
    """Seller endpoints follow the seller's access rules; an app endpoint is its key's alone."""
    scope = "webhooks:write"
    if seller is not None:
        require_seller_access(actor, seller, scope)
        return
    if actor.kind == "system" or actor.is_operator:
        return
    if api_key is None or actor.kind != "api_key" or actor.api_key_id != api_key.pk:
        raise AgoraError(FORBIDDEN, "only the app key that owns this endpoint may change it")
    if not actor.can(scope):
        raise AgoraError(SCOPE_MISSING, f"this API key lacks the scope {scope!r}")


def _audit(
    actor: Actor,
    action: str,
    target: WebhookEndpoint | WebhookDelivery,
    endpoint: WebhookEndpoint,
    changes: dict[str, Any],
) -> None:
    audit_record(
        actor=actor, action=action, target=target, changes=changes, seller_id=endpoint.seller_id
    )


def _owner(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {"seller": endpoint.seller, "api_key": endpoint.api_key}


def webhook_endpoint_create(
    *,
    actor: Actor,
    url: str,
    events: list[str],
    description: str = "",
    seller: Seller | None = None,
    api_key: ApiKey | None = None,
) -> tuple[WebhookEndpoint, str]:
    """Registers an endpoint for a seller or for an app key; returns it with its secret, which
    the API shows only now and on rotation."""
    if (seller is None) == (api_key is None):
        raise ValueError("an endpoint belongs to exactly one of a seller or an app key")
    if api_key is not None and api_key.kind != ApiKey.Kind.APP:
        raise AgoraError(FORBIDDEN, "only an app key may own an app endpoint")
    _require_access(actor, seller=seller, api_key=api_key)
    url = clean_url(url)
    event_types = clean_event_types(events)
    description = (description or "").strip()
    require_max_length("description", description, 200)
    secret = new_secret()
    now = clock.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            seller=seller,
            api_key=api_key,
            url=url,
            description=description,
            event_types=event_types,
            secret=secret,
            created_at=now,
            updated_at=now,
        )
        _audit(
            actor,
            "webhook_endpoint.created",
            endpoint,
            endpoint,
            {"url": url, "events": event_types},
        )
    return endpoint, secret


def webhook_endpoint_update(
    *, actor: Actor, endpoint: WebhookEndpoint, changes: dict[str, Any]
) -> WebhookEndpoint:
    """Changes url, events, description or enabled. Enabling a disabled endpoint clears its
    failure count and makes its waiting deliveries due at once."""
    _require_access(actor, **_owner(endpoint))
    unknown = set(changes) - {"url", "events", "description", "enabled"}
    if unknown:
        raise invalid(sorted(unknown)[0], "is not a field that can be changed")
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None:
            raise invalid(name, "must not be null")
    if "url" in changes:
        values["url"] = clean_url(changes["url"])
    if "events" in changes:
        values["event_types"] = clean_event_types(changes["events"])
    if "description" in changes:
        values["description"] = changes["description"].strip()
        require_max_length("description", values["description"], 200)
    if "enabled" in changes:
        values["enabled"] = bool(changes["enabled"])
    with transaction.atomic():
        endpoint = _locked(endpoint)
        changed = diff(endpoint, values)
        if not changed:
            return endpoint
        now = clock.now()
        for name, value in values.items():
            setattr(endpoint, name, value)
        if changed.get("enabled") == [False, True]:
            endpoint.disabled_reason = ""
            endpoint.disabled_at = None
            endpoint.consecutive_failures = 0
            endpoint.failing_since = None
            endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
                next_attempt_at=now
            )
            schedule_send_on_commit()
        elif changed.get("enabled") == [True, False]:
            endpoint.disabled_reason = "disabled by its owner"
            endpoint.disabled_at = now
        endpoint.updated_at = now
        endpoint.save()
        _audit(actor, "webhook_endpoint.updated", endpoint, endpoint, changed)
    return endpoint


def webhook_endpoint_delete(*, actor: Actor, endpoint: WebhookEndpoint) -> None:
    """Deletes the endpoint with its deliveries and their log."""
    _require_access(actor, **_owner(endpoint))
    with transaction.atomic():
        _audit(actor, "webhook_endpoint.deleted", endpoint, endpoint, {"url": endpoint.url})
        endpoint.delete()


def _locked(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """The endpoint's row under lock; a request that lost a race with its deletion gets the same
    404 as one that came after it (schemathesis found the 500 this was)."""
    row = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
    if row is None:
        raise not_found("webhook endpoint", endpoint.public_id)
    return row


def webhook_endpoint_rotate_secret(
    *, actor: Actor, endpoint: WebhookEndpoint
) -> tuple[WebhookEndpoint, str]:
    """Issues a new secret; the old one keeps signing alongside it for ``ROTATION_GRACE``."""
    _require_access(actor, **_owner(endpoint))
    secret = new_secret()
    with transaction.atomic():
        endpoint = _locked(endpoint)
        now = clock.now()
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_until = now + ROTATION_GRACE
        endpoint.secret = secret
        endpoint.updated_at = now
        endpoint.save()
        _audit(
            actor,
            "webhook_endpoint.secret_rotated",
            endpoint,
            endpoint,
            {"previous_secret_until": endpoint.previous_secret_until.isoformat()},
        )
    return endpoint, secret


def webhook_delivery_replay(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Sends a delivery again, whatever its state, as a new cycle of attempts with the same
    ``webhook-id`` (so a receiver that already has it can recognise it)."""
    endpoint = delivery.endpoint
    _require_access(actor, **_owner(endpoint))
    if not endpoint.enabled:
        raise AgoraError(
            errors.WEBHOOK_ENDPOINT_DISABLED,
            f"webhook endpoint {endpoint.public_id} is disabled ({endpoint.disabled_reason}); "
            "enable it before replaying",
        )
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        before = delivery.status
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.cycle += 1
        delivery.attempts = 0
        delivery.next_attempt_at = clock.now()
        delivery.succeeded_at = None
        delivery.save()
        _audit(
            actor,
            "webhook_delivery.replayed",
            delivery,
            endpoint,
            {"status": [before, delivery.status], "cycle": delivery.cycle},
        )
        schedule_send_on_commit()
    return delivery
