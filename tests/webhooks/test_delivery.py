"""Fan-out of outbox events into deliveries, and real signed HTTP deliveries: retries with
back-off, giving up, disabling a failing endpoint with a notice, replay."""

from __future__ import annotations

import itertools
import json
import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from agora.accounts.services import actor_for_api_key, api_key_issue, api_key_revoke
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry, OutboxEvent
from agora.core.outbox import dispatch_pending
from agora.marketplace.models import Seller
from agora.webhooks.delivery import (
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    backoff,
    deliver_due,
    deliveries_create_for_event,
    has_due_deliveries,
)
from agora.webhooks.events import WebhookEndpointDisabled
from agora.webhooks.models import WebhookDelivery, WebhookEndpoint
from agora.webhooks.services import (
    webhook_delivery_replay,
    webhook_endpoint_create,
    webhook_endpoint_update,
)
from agora.webhooks.signing import verify
from agora.webhooks.tasks import webhooks_deliver
from tests.conftest import SYSTEM, make_product
from tests.webhooks.helpers import make_endpoint
from tests.webhooks.receiver import receiver

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def publish_product(seller: Seller, title: str = "Hooked teapot") -> str:
    """Publishes a product (events product.published and price.changed) and fans them out;
    returns the product's public id."""
    product = make_product(seller, title, sku=title, publish=True)
    dispatch_pending()
    return product.public_id


def app_endpoint(scopes: list[str]) -> WebhookEndpoint:
    key, _ = api_key_issue(
        actor=SYSTEM, name="an app", scopes=[*scopes, "webhooks:write"], seller_id=None
    )
    endpoint, _ = webhook_endpoint_create(
        actor=actor_for_api_key(key), api_key=key, url="https://app.example/hooks", events=["*"]
    )
    return endpoint


def now_ts() -> int:
    return int(clock.now().timestamp())


def test_backoff_schedule_grows_and_gives_up() -> None:
    delays = [backoff(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert delays[:4] == [
        timedelta(seconds=5),
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=10),
    ]
    assert all(a < b for a, b in itertools.pairwise(delays[:-1]))
    assert delays[-1] is None and MAX_ATTEMPTS == 8


def test_fan_out_only_to_subscribed_endpoints_of_the_events_seller(
    seller: Seller, other_seller: Seller
) -> None:
    dispatch_pending()  # the sellers' onboarding events (seller.activated, …) are sent already
    published, _ = make_endpoint(seller, ["product.published"])
    prices, _ = make_endpoint(seller, ["price.changed"])
    everything, _ = make_endpoint(seller, ["*"])
    off, _ = make_endpoint(seller, ["*"])
    webhook_endpoint_update(actor=SYSTEM, endpoint=off, changes={"enabled": False})
    theirs, _ = make_endpoint(other_seller, ["*"])
    catalog_app = app_endpoint(["catalog:read"])
    orders_app = app_endpoint(["orders:read"])
    revoked_app = app_endpoint(["catalog:write"])
    api_key_revoke(actor=SYSTEM, key=revoked_app.api_key)

    product_id = publish_product(seller)

    def received(endpoint: WebhookEndpoint) -> list[str]:
        return sorted(endpoint.deliveries.values_list("event_type", flat=True))

    assert received(published) == ["product.published"]
    assert received(prices) == ["price.changed"]
    assert received(everything) == ["price.changed", "product.published"]
    assert received(off) == []
    assert received(theirs) == [], "an endpoint of seller B received seller A's event"
    assert received(catalog_app) == ["product.published"]  # pricing needs pricing:read
    assert received(orders_app) == []
    assert received(revoked_app) == []

    delivery = published.deliveries.get()
    event = OutboxEvent.objects.get(name="product.published")
    assert delivery.msg_id == event.public_id  # receivers dedupe on webhook-id
    assert delivery.status == "pending" and delivery.next_attempt_at is not None
    body = json.loads(delivery.body)
    assert body["type"] == "product.published"
    assert body["timestamp"] == event.occurred_at.isoformat().replace("+00:00", "Z")
    assert body["data"] == {"product_id": product_id, "seller_id": seller.public_id}


def test_fan_out_is_idempotent_per_event(seller: Seller) -> None:
    endpoint, _ = make_endpoint(seller, ["product.published"])
    publish_product(seller)
    row = OutboxEvent.objects.get(name="product.published")
    from agora.core.events import event_from_row

    with transaction.atomic():
        deliveries_create_for_event(
            event=event_from_row(row.name, row.payload), event_public_id=row.public_id
        )
    assert endpoint.deliveries.count() == 1


def test_fan_out_enqueues_the_delivery_task_on_commit(
    seller: Seller, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    make_endpoint(seller, ["product.published"])
    make_product(seller, "Queued", sku="Q-1", publish=True)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_pending()
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths.count("agora.webhooks.tasks.webhooks_deliver") == 1, paths


def test_the_handler_makes_no_network_call(seller: Seller) -> None:
    """Fan-out runs in the outbox transaction, so it only writes rows: nothing is sent."""
    dispatch_pending()  # the seller's onboarding events are not what this test is about
    with receiver() as hook:
        make_endpoint(seller, ["*"], url=hook.url)
        publish_product(seller)
        assert hook.requests == []
        assert WebhookDelivery.objects.filter(status="pending").count() == 2


def test_a_real_receiver_gets_a_delivery_whose_signature_verifies(seller: Seller) -> None:
    with clock.frozen_at(T0), receiver([204]) as hook:
        endpoint, secret = make_endpoint(seller, ["product.published"], url=hook.url)
        product_id = publish_product(seller)
        assert has_due_deliveries()
        result = webhooks_deliver.call()  # the task the worker runs
        assert result == {"sent": 1, "succeeded": 1, "failed": 0, "disabled": 0}
        assert not has_due_deliveries()

        [request] = hook.requests
        delivery = endpoint.deliveries.get()
        assert request.path == "/hooks"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["webhook-id"] == delivery.msg_id
        assert request.headers["webhook-timestamp"] == str(now_ts())
        verify(secret, request.headers, request.body, now=now_ts())
        assert json.loads(request.body)["data"]["product_id"] == product_id

        delivery.refresh_from_db()
        assert delivery.status == "succeeded" and delivery.succeeded_at == T0
        [attempt] = delivery.attempt_log.all()
        assert attempt.succeeded and attempt.status_code == 204 and attempt.error == ""


def test_a_failing_receiver_is_retried_with_backoff_until_it_succeeds(seller: Seller) -> None:
    with clock.frozen_at(T0), receiver([500, 503, 200]) as hook:
        endpoint, secret = make_endpoint(seller, ["product.published"], url=hook.url)
        publish_product(seller)
        delivery = endpoint.deliveries.get()

        assert deliver_due().failed == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        assert delivery.next_attempt_at == T0 + timedelta(seconds=5)
        assert deliver_due().sent == 0, "sent again before its back-off ran out"

        clock.advance(timedelta(seconds=5))
        assert deliver_due().failed == 1
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == clock.now() + timedelta(seconds=30)
        endpoint.refresh_from_db()
        assert endpoint.consecutive_failures == 2

        clock.advance(timedelta(seconds=29))
        assert deliver_due().sent == 0
        clock.advance(timedelta(seconds=1))
        assert deliver_due().succeeded == 1

        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("succeeded", 3)
        log = list(delivery.attempt_log.order_by("id").values_list("number", "status_code"))
        assert log == [(1, 500), (2, 503), (3, 200)]
        assert "status 500" in delivery.attempt_log.order_by("id").first().response_snippet
        endpoint.refresh_from_db()
        assert endpoint.consecutive_failures == 0 and endpoint.enabled
        # every attempt carries the same id, a fresh timestamp and a valid signature
        assert len({r.headers["webhook-id"] for r in hook.requests}) == 1
        assert [int(r.headers["webhook-timestamp"]) for r in hook.requests] == [
            int(T0.timestamp()),
            int(T0.timestamp()) + 5,
            int(T0.timestamp()) + 35,
        ]
        for r in hook.requests:
            verify(secret, r.headers, r.body, now=int(r.headers["webhook-timestamp"]))


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


def test_a_delivery_gives_up_after_the_last_attempt(seller: Seller) -> None:
    with clock.frozen_at(T0):
        endpoint, _ = make_endpoint(seller, ["product.published"], url=closed_port_url())
        publish_product(seller)
        for delay in (timedelta(0), *RETRY_DELAYS):
            clock.advance(delay)
            assert deliver_due().failed == 1
        delivery = endpoint.deliveries.get()
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
            "failed",
            MAX_ATTEMPTS,
            None,
        )
        assert "ConnectError" in delivery.attempt_log.first().error
        clock.advance(timedelta(days=1))
        assert deliver_due().sent == 0


def test_repeated_failures_disable_the_endpoint_with_a_notice(seller: Seller, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AGORA_WEBHOOK_DISABLE_AFTER_FAILURES = 3
    settings.AGORA_WEBHOOK_DISABLE_AFTER_SECONDS = 60
    with clock.frozen_at(T0), receiver([500]) as hook:
        endpoint, _ = make_endpoint(seller, ["product.published"], url=hook.url)
        watcher, _ = make_endpoint(seller, ["webhook.endpoint_disabled"])
        publish_product(seller)
        for delay in (timedelta(0), RETRY_DELAYS[0], RETRY_DELAYS[1]):
            clock.advance(delay)
            assert deliver_due().failed == 1
        endpoint.refresh_from_db()
        # three failures, but only 35 s of them: a short outage does not disable an endpoint
        assert endpoint.enabled and endpoint.consecutive_failures == 3

        clock.advance(RETRY_DELAYS[2])
        report = deliver_due()
        assert report.disabled == [endpoint.public_id]
        endpoint.refresh_from_db()
        assert not endpoint.enabled
        assert "4 consecutive failed attempts" in endpoint.disabled_reason
        assert "HTTP 500" in endpoint.disabled_reason
        assert endpoint.disabled_at == clock.now()
        audit = AuditEntry.objects.get(action="webhook_endpoint.disabled")
        assert audit.target_id == endpoint.public_id and audit.seller_id == seller.pk
        event = OutboxEvent.objects.get(name=WebhookEndpointDisabled.name)
        assert event.payload["endpoint_id"] == endpoint.public_id
        assert event.payload["seller_id"] == seller.public_id

        # the notice reaches the seller's endpoints subscribed to it, not the disabled one
        dispatch_pending()
        assert watcher.deliveries.get().event_type == "webhook.endpoint_disabled"
        assert not endpoint.deliveries.filter(event_type="webhook.endpoint_disabled").exists()

        # nothing more is sent to it, and a replay is refused with a reason
        requests = len(hook.requests)
        clock.advance(timedelta(days=1))
        deliver_due()
        assert len(hook.requests) == requests
        with pytest.raises(AgoraError) as refused:
            webhook_delivery_replay(actor=SYSTEM, delivery=endpoint.deliveries.get())
        assert refused.value.problem.slug == "webhook-endpoint-disabled"

        # enabling it again resets the count and sends what waited
        hook.statuses = [200]
        webhook_endpoint_update(actor=SYSTEM, endpoint=endpoint, changes={"enabled": True})
        endpoint.refresh_from_db()
        assert endpoint.consecutive_failures == 0 and endpoint.disabled_reason == ""
        assert deliver_due().succeeded == 1


def test_replay_sends_a_delivery_again_as_a_new_cycle(seller: Seller) -> None:
    with clock.frozen_at(T0), receiver([200]) as hook:
        endpoint, secret = make_endpoint(seller, ["product.published"], url=hook.url)
        publish_product(seller)
        deliver_due()
        delivery = endpoint.deliveries.get()

        clock.advance(timedelta(hours=2))
        replayed = webhook_delivery_replay(actor=SYSTEM, delivery=delivery)
        assert (replayed.status, replayed.cycle, replayed.attempts) == ("pending", 2, 0)
        assert deliver_due().succeeded == 1

        first, second = hook.requests
        assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.msg_id
        assert first.body == second.body
        verify(secret, second.headers, second.body, now=now_ts())
        log = list(delivery.attempt_log.order_by("id").values_list("cycle", "number"))
        assert log == [(1, 1), (2, 1)]
        assert AuditEntry.objects.filter(
            action="webhook_delivery.replayed", target_id=delivery.public_id
        ).exists()


def test_a_rotated_secret_signs_beside_the_old_one_for_a_grace_period(seller: Seller) -> None:
    from agora.webhooks.services import webhook_endpoint_rotate_secret

    with clock.frozen_at(T0), receiver([200]) as hook:
        endpoint, old = make_endpoint(seller, ["product.published"], url=hook.url)
        endpoint, new = webhook_endpoint_rotate_secret(actor=SYSTEM, endpoint=endpoint)
        assert new != old
        publish_product(seller, "First")
        deliver_due()
        clock.advance(timedelta(hours=25))
        publish_product(seller, "Second")
        deliver_due()

        during, after = hook.requests
        assert len(during.headers["webhook-signature"].split()) == 2
        verify(old, during.headers, during.body, now=int(T0.timestamp()))
        verify(new, during.headers, during.body, now=int(T0.timestamp()))
        assert len(after.headers["webhook-signature"].split()) == 1
        verify(new, after.headers, after.body, now=now_ts())


def test_the_scheduler_enqueues_deliveries_only_when_some_are_due(seller: Seller) -> None:
    from agora.core import schedule

    job = next(j for j in schedule.jobs() if j.name == "webhooks.deliver")
    assert job.task is webhooks_deliver and job.when is has_due_deliveries
    with clock.frozen_at(T0):
        assert not job.when()
        make_endpoint(seller, ["product.published"], url=closed_port_url())
        publish_product(seller)
        assert job.when()
        deliver_due()
        assert not job.when()  # backing off
        clock.advance(RETRY_DELAYS[0])
        assert job.when()
