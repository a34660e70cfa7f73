"""Webhooks in the admin: read-only endpoints (never the secret) and the delivery log; re-enabling
an endpoint and replaying deliveries go through the services (audited)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline, operator_actor, run_each
from agora.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from agora.webhooks.services import webhook_delivery_replay, webhook_endpoint_update


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "seller",
        "api_key",
        "url",
        "enabled",
        "consecutive_failures",
        "disabled_reason",
        "created_at",
    ]
    list_filter = ["enabled"]
    search_fields = ["public_id", "url", "seller__display_name"]
    list_select_related = ["seller", "api_key"]
    exclude = ["secret", "previous_secret"]
    actions = ["enable"]

    @admin.action(description=gettext_lazy("Re-enable (waiting deliveries are sent at once)"))
    def enable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        actor = operator_actor(request)
        run_each(
            self,
            request,
            queryset.select_related("seller", "api_key"),
            lambda e: webhook_endpoint_update(actor=actor, endpoint=e, changes={"enabled": True}),
            done=_("Re-enabled %(count)d endpoints."),
        )


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

    @admin.action(description=gettext_lazy("Replay the selected deliveries"))
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        actor = operator_actor(request)
        run_each(
            self,
            request,
            queryset.select_related("endpoint__seller", "endpoint__api_key"),
            lambda d: webhook_delivery_replay(actor=actor, delivery=d),
            done=_("Replaying %(count)d deliveries."),
        )
