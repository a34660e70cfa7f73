"""The kernel's tables, read-only: the outbox (with a retry for parked deliveries) and the
audit log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from agora.core.models import AuditEntry, EventDelivery, OutboxEvent
from agora.core.outbox import retry_dead


class DeliveryInline(ReadOnlyInline):
    model = EventDelivery
    fields = ["handler", "status", "attempts", "next_attempt_at", "done_at", "last_error"]
    readonly_fields = fields


def _retry(model_admin: admin.ModelAdmin, request: HttpRequest, event_ids: list[str]) -> None:
    count = sum(retry_dead(event_public_id=public_id) for public_id in event_ids)
    if count:
        model_admin.message_user(
            request, _("Re-queued %(count)d dead deliveries.") % {"count": count}, messages.SUCCESS
        )
    else:
        model_admin.message_user(
            request, _("None of the selected events has a dead delivery."), messages.WARNING
        )


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "name",
        "occurred_at",
        "dispatched_at",
        "attempts",
        "next_attempt_at",
    ]
    list_filter = ["name", ("dispatched_at", admin.EmptyFieldListFilter)]
    search_fields = ["public_id", "name"]
    date_hierarchy = "occurred_at"
    inlines = [DeliveryInline]
    actions = ["retry"]

    @admin.action(description=gettext_lazy("Retry the dead deliveries of the selected events"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxEvent]) -> None:
        _retry(self, request, list(queryset.values_list("public_id", flat=True)))


@admin.register(EventDelivery)
class EventDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "handler", "status", "attempts", "next_attempt_at", "done_at"]
    list_filter = ["status", "handler"]
    list_select_related = ["event"]
    search_fields = ["event__public_id", "handler", "last_error"]
    actions = ["retry"]

    @admin.action(description=gettext_lazy("Retry parked (dead) deliveries"))
    def retry(self, request: HttpRequest, queryset: QuerySet[EventDelivery]) -> None:
        dead = queryset.filter(status=EventDelivery.Status.DEAD)
        _retry(self, request, sorted(set(dead.values_list("event__public_id", flat=True))))


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_id", "seller_id"]
    list_filter = ["action", "actor_kind", "target_type"]
    search_fields = ["target_id", "actor_label", "action"]
    date_hierarchy = "at"
