"""Getting events to endpoints: fan-out into delivery rows, then signed HTTP posts with retries.

Two steps, because no network call may happen inside a database transaction (DESIGN.md §4):

1. :func:`deliveries_create_for_event` runs as an outbox handler inside the outbox's transaction
   and only writes ``WebhookDelivery`` rows (one per subscribed endpoint, keyed by event id).
2. :func:`deliver_due` runs in the ``webhooks_deliver`` task: for each due delivery it *claims* it
   in a short transaction (pushing ``next_attempt_at`` out by a lease, so two workers do not send
   it at once), posts it with no transaction open, and *records* the outcome in another short
   transaction. A crash between claim and record only delays the delivery by the lease: delivery
   is at least once, and receivers dedupe on ``webhook-id``.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction

from agora.core import clock
from agora.core.actors import system
from agora.core.audit import audit_record
from agora.core.events import DomainEvent, UnknownEvent, on_commit_once, publish
from agora.core.models import OutboxEvent
from agora.webhooks.destinations import DestinationRefused, check_destination
from agora.webhooks.event_types import app_may_receive
from agora.webhooks.events import WebhookEndpointDisabled
from agora.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from agora.webhooks.signing import sign

logger = logging.getLogger(__name__)

# Delay after the n-th failed attempt; after the last one the delivery is given up (failed).
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 5.0
# How long a claimed delivery is hidden from other workers; longer than one request can take.
CLAIM_LEASE = timedelta(minutes=2)
SNIPPET_CHARS = 500
USER_AGENT = "Agora-Webhooks/1.0"
SYSTEM = system("webhooks")


def backoff(failed_attempts: int) -> timedelta | None:
    """Delay before the next attempt after ``failed_attempts`` failures; None means give up."""
    if failed_attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[max(failed_attempts, 1) - 1]


def disable_after_failures() -> int:
    return int(getattr(settings, "AGORA_WEBHOOK_DISABLE_AFTER_FAILURES", 15))


def disable_after_period() -> timedelta:
    """An endpoint is disabled only when it has also been failing this long, so a short outage
    with many events queued does not switch it off."""
    return timedelta(seconds=int(getattr(settings, "AGORA_WEBHOOK_DISABLE_AFTER_SECONDS", 86400)))


# --- fan-out (runs inside the outbox transaction) ---------------------------------------------


def _name_and_payload(event: DomainEvent) -> tuple[str, dict[str, Any]]:
    if isinstance(event, UnknownEvent):
        return event.event_name, dict(event.data)
    return event.name, event.payload()


def _targets(event_name: str, payload: dict[str, Any]) -> list[WebhookEndpoint]:
    """Enabled endpoints subscribed to the event: the event's own seller's endpoints, and app
    endpoints whose key holds the scope of the event's family. Never another seller's."""
    candidates: list[WebhookEndpoint] = []
    seller_id = payload.get("seller_id")
    if isinstance(seller_id, str) and seller_id.startswith("sel_"):
        candidates += WebhookEndpoint.objects.filter(enabled=True, seller__public_id=seller_id)
    now = clock.now()
    for endpoint in WebhookEndpoint.objects.filter(
        enabled=True, seller__isnull=True, api_key__revoked_at__isnull=True
    ).select_related("api_key"):
        key = endpoint.api_key
        active = key is not None and (key.expires_at is None or key.expires_at > now)
        if active and app_may_receive(key.scopes, event_name):  # type: ignore[union-attr]
            candidates.append(endpoint)
    return [e for e in candidates if e.subscribes_to(event_name)]


def message_body(event_name: str, occurred_at: Any, payload: dict[str, Any]) -> str:
    """The JSON body sent to receivers (Standard Webhooks' recommended envelope)."""
    timestamp = occurred_at.isoformat().replace("+00:00", "Z")
    return json.dumps(
        {"type": event_name, "timestamp": timestamp, "data": payload},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def deliveries_create_for_event(*, event: DomainEvent, event_public_id: str) -> int:
    """Writes a pending delivery per target endpoint; idempotent per (endpoint, event id)."""
    name, payload = _name_and_payload(event)
    targets = _targets(name, payload)
    if not targets:
        return 0
    row = OutboxEvent.objects.filter(public_id=event_public_id).only("id", "occurred_at").first()
    now = clock.now()
    body = message_body(name, row.occurred_at if row else now, payload)
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                event=row,
                msg_id=event_public_id,
                event_type=name,
                body=body,
                next_attempt_at=now,
                created_at=now,
            )
            for endpoint in targets
        ],
        ignore_conflicts=True,
    )
    schedule_send_on_commit()
    return len(targets)


def schedule_send_on_commit() -> None:
    """Enqueues ``webhooks_deliver`` once the current transaction commits (once per transaction);
    the scheduler's sweep catches anything whose enqueue is lost."""
    on_commit_once(_enqueue_send)


def _enqueue_send() -> None:
    from agora.core.tasks import enqueue_unless_waiting
    from agora.webhooks.tasks import webhooks_deliver

    enqueue_unless_waiting(webhooks_deliver)


# --- sending (no transaction open while the request is in flight) -----------------------------


@dataclass
class SendReport:
    sent: int = 0
    succeeded: int = 0
    failed: int = 0
    disabled: list[str] = field(default_factory=list)


def _due():  # type: ignore[no-untyped-def]
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=clock.now(),
        endpoint__enabled=True,
    )


def has_due_deliveries() -> bool:
    return _due().exists()


def deliver_due(*, limit: int = 200, client: httpx.Client | None = None) -> SendReport:
    """Sends every due delivery (oldest due first), each attempt logged."""
    report = SendReport()
    ids = list(_due().order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
    if not ids:
        return report
    http = client or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)
    try:
        for delivery_id in ids:
            deliver_one(delivery_id, client=http, report=report)
    finally:
        if client is None:
            http.close()
    return report


def _claim(delivery_id: int) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        now = clock.now()
        if (
            delivery is None
            or delivery.status != WebhookDelivery.Status.PENDING
            or delivery.next_attempt_at is None
            or delivery.next_attempt_at > now
            or not delivery.endpoint.enabled
        ):
            return None
        delivery.next_attempt_at = now + CLAIM_LEASE
        delivery.save(update_fields=["next_attempt_at"])
        return delivery


def signature_header(endpoint: WebhookEndpoint, msg_id: str, timestamp: int, body: bytes) -> str:
    """One signature per valid secret: during a rotation's grace period the old one signs too."""
    signatures = [sign(endpoint.secret, msg_id, timestamp, body)]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and until > clock.now():
        signatures.append(sign(endpoint.previous_secret, msg_id, timestamp, body))
    return " ".join(signatures)


@dataclass
class _Outcome:
    status_code: int | None
    snippet: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _post(client: httpx.Client, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> _Outcome:
    body = delivery.body.encode()
    timestamp = int(clock.now().timestamp())
    headers = {
        "webhook-id": delivery.msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(endpoint, delivery.msg_id, timestamp, body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }
    started = time.monotonic()
    try:
        check_destination(endpoint.url)
    except DestinationRefused as exc:
        return _Outcome(None, "", f"refused: {exc}"[:1000], 0)
    try:
        with client.stream("POST", endpoint.url, content=body, headers=headers) as response:
            head = b""
            for chunk in response.iter_bytes():
                head += chunk
                if len(head) >= SNIPPET_CHARS * 4:
                    break  # never read an unbounded answer
            snippet = head.decode("utf-8", "replace")[:SNIPPET_CHARS]
            outcome = _Outcome(response.status_code, snippet, "", 0)
    except httpx.HTTPError as exc:
        outcome = _Outcome(None, "", f"{type(exc).__name__}: {exc}"[:1000], 0)
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


def deliver_one(
    delivery_id: int, *, client: httpx.Client, report: SendReport | None = None
) -> WebhookDelivery | None:
    """Claims, sends and records one delivery; None when it was not due or is taken."""
    report = report if report is not None else SendReport()
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    outcome = _post(client, delivery.endpoint, delivery)
    report.sent += 1
    recorded = _record(delivery, outcome, report)
    return recorded


def _record(claimed: WebhookDelivery, outcome: _Outcome, report: SendReport) -> WebhookDelivery:
    # Lock order: endpoint, then delivery (the only place that holds both).
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=claimed.endpoint_id)
        delivery = WebhookDelivery.objects.select_for_update().get(pk=claimed.pk)
        now = clock.now()
        same_cycle = delivery.cycle == claimed.cycle
        number = delivery.attempts + 1 if same_cycle else claimed.attempts + 1
        WebhookAttempt.objects.create(
            delivery=delivery,
            cycle=claimed.cycle,
            number=number,
            attempted_at=now,
            succeeded=outcome.ok,
            status_code=outcome.status_code,
            response_snippet=outcome.snippet,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
        )
        if not same_cycle:  # replayed while in flight: the replay's cycle decides from here
            return delivery
        delivery.attempts = number
        delivery.last_attempt_at = now
        if outcome.ok:
            report.succeeded += 1
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            delivery.succeeded_at = now
            delivery.next_attempt_at = None
            endpoint.consecutive_failures = 0
            endpoint.failing_since = None
        else:
            report.failed += 1
            delay = backoff(number)
            if delay is None:
                delivery.status = WebhookDelivery.Status.FAILED
                delivery.next_attempt_at = None
            else:
                delivery.next_attempt_at = now + delay
            endpoint.consecutive_failures += 1
            endpoint.failing_since = endpoint.failing_since or now
            if (
                endpoint.enabled
                and endpoint.consecutive_failures >= disable_after_failures()
                and now - endpoint.failing_since >= disable_after_period()
            ):
                _disable(endpoint, outcome)
                report.disabled.append(endpoint.public_id)
        delivery.save()
        endpoint.save(update_fields=["consecutive_failures", "failing_since"])
        return delivery


def _disable(endpoint: WebhookEndpoint, outcome: _Outcome) -> None:
    """Switches a failing endpoint off, with a reason, an audit entry and an event (the notice)."""
    last = f"HTTP {outcome.status_code}" if outcome.status_code is not None else outcome.error
    since = endpoint.failing_since.isoformat(timespec="seconds") if endpoint.failing_since else ""
    reason = (
        f"disabled by Agora after {endpoint.consecutive_failures} consecutive failed attempts "
        f"since {since}; last: {last}"
    )[:500]
    endpoint.enabled = False
    endpoint.disabled_reason = reason
    endpoint.disabled_at = clock.now()
    endpoint.updated_at = endpoint.disabled_at
    endpoint.save(update_fields=["enabled", "disabled_reason", "disabled_at", "updated_at"])
    audit_record(
        actor=SYSTEM,
        action="webhook_endpoint.disabled",
        target=endpoint,
        changes={"enabled": [True, False], "reason": reason},
        seller_id=endpoint.seller_id,
    )
    publish(
        WebhookEndpointDisabled(
            endpoint_id=endpoint.public_id,
            seller_id=endpoint.seller.public_id if endpoint.seller_id else None,
            url=endpoint.url,
            reason=reason,
            consecutive_failures=endpoint.consecutive_failures,
        )
    )
    logger.warning("webhook endpoint %s disabled: %s", endpoint.public_id, reason)
