from django.contrib import admin

from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from agora.fulfillment.models import Carrier, Shipment, ShipmentEvent, ShipmentLine


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    """Carriers are operator configuration, edited here."""

    list_display = ["code", "name", "tracking_url_template", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


class ShipmentLineInline(ReadOnlyInline):
    model = ShipmentLine
    fields = ["order_line", "quantity"]
    readonly_fields = fields


class ShipmentEventInline(ReadOnlyInline):
    model = ShipmentEvent
    fields = ["status", "note", "at", "recorded_at"]
    readonly_fields = fields


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "seller", "order", "carrier", "tracking_number", "status"]
    list_filter = ["status", "carrier"]
    search_fields = ["public_id", "tracking_number", "order__public_id"]
    list_select_related = ["seller", "order", "carrier"]
    inlines = [ShipmentLineInline, ShipmentEventInline]
