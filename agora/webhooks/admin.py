"""Webhooks in the admin: read-only endpoints (never the secret) and the delivery log, with a
replay action that goes through the service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from agora.accounts.services import actor_for_user
from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from agora.core.errors import AgoraError
from agora.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from agora.webhooks.services import webhook_delivery_replay


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "seller",
        "api_key",
        "url",
        "enabled",
        "consecutive_failures",
        "created_at",
    ]
    list_filter = ["enabled"]
    search_fields = ["public_id", "url", "seller__display_name"]
    list_select_related = ["seller", "api_key"]
    exclude = ["secret", "previous_secret"]


class AttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = [
        "cycle",
        "number",
        "attempted_at",
        "succeeded",
        "status_code",
        "duration_ms",
        "error",
        "response_snippet",
    ]
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "endpoint",
        "event_type",
        "status",
        "cycle",
        "attempts",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "event_type"]
    search_fields = ["public_id", "msg_id", "endpoint__public_id"]
    list_select_related = ["endpoint"]
    inlines = [AttemptInline]
    actions = ["replay"]

    @admin.action(description="Replay the selected deliveries")
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        actor = actor_for_user(request.user)  # type: ignore[arg-type]
        done, refused = 0, []
        for delivery in queryset.select_related("endpoint__seller", "endpoint__api_key"):
            try:
                webhook_delivery_replay(actor=actor, delivery=delivery)
                done += 1
            except AgoraError as exc:
                refused.append(f"{delivery.public_id}: {exc.detail}")
        self.message_user(request, f"replaying {done} deliveries", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)
