"""Events the webhooks app publishes, and its outbox handler that turns every event into the
deliveries owed to subscribed endpoints."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent, handles

FAN_OUT_HANDLER = "webhooks.fan_out"


@dataclass(frozen=True, kw_only=True)
class WebhookEndpointDisabled(DomainEvent):
    """Agora stopped delivering to an endpoint after repeated failures (the notice to its owner:
    their other endpoints subscribed to it receive it, and it is in the audit log)."""

    name = "webhook.endpoint_disabled"
    endpoint_id: str
    seller_id: str | None
    url: str
    reason: str
    consecutive_failures: int


@handles("*", name=FAN_OUT_HANDLER)
def fan_out(event: DomainEvent, event_id: str) -> None:
    """Writes one pending delivery per subscribed endpoint, in the outbox's transaction; sending
    happens later in the ``webhooks_deliver`` task, never here (no network in a transaction)."""
    from agora.webhooks.delivery import deliveries_create_for_event

    deliveries_create_for_event(event=event, event_public_id=event_id)
