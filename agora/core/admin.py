from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from agora.core.models import AuditEntry, EventDelivery, OutboxEvent
from agora.core.outbox import retry_dead


class DeliveryInline(ReadOnlyInline):
    model = EventDelivery
    fields = ["handler", "status", "attempts", "next_attempt_at", "done_at", "last_error"]
    readonly_fields = fields


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
    inlines = [DeliveryInline]


@admin.register(EventDelivery)
class EventDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "handler", "status", "attempts", "next_attempt_at", "done_at"]
    list_filter = ["status", "handler"]
    actions = ["retry"]

    @admin.action(description="Retry parked (dead) deliveries")
    def retry(self, request: HttpRequest, queryset: QuerySet[EventDelivery]) -> None:
        count = sum(
            retry_dead(event_public_id=d.event.public_id) for d in queryset.filter(status="dead")
        )
        self.message_user(request, f"re-queued {count} deliveries", messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_id"]
    list_filter = ["action", "actor_kind", "target_type"]
    search_fields = ["target_id", "actor_label", "action"]
    date_hierarchy = "at"
