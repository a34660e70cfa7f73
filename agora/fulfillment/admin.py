"""Carriers are operator configuration (new ones through ``carrier_create``, edits audited);
shipments are read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from agora.core.admin_base import (
    AuditedConfigAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    operator_actor,
)
from agora.fulfillment.models import Carrier, Shipment, ShipmentEvent, ShipmentLine
from agora.fulfillment.services import carrier_create


class CarrierForm(forms.ModelForm):
    class Meta:
        model = Carrier
        fields = ["code", "name", "tracking_url_template", "is_active"]

    def clean_tracking_url_template(self) -> str:
        template = (self.cleaned_data.get("tracking_url_template") or "").strip()
        if template and "{tracking_number}" not in template:
            raise forms.ValidationError(
                _("Put {tracking_number} where the tracking number goes, e.g. %(example)s")
                % {"example": "https://www.dhl.de/track?piececode={tracking_number}"}
            )
        return template


@admin.register(Carrier)
class CarrierAdmin(AuditedConfigAdmin):
    form = CarrierForm
    list_display = ["code", "name", "tracking_url_template", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return ["code"] if obj is not None else []  # shipping methods refer to it by code

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # shipments keep pointing at it; deactivate instead

    def save_model(self, request: HttpRequest, obj: Carrier, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = carrier_create(
            actor=operator_actor(request),
            code=obj.code,
            name=obj.name,
            tracking_url_template=obj.tracking_url_template,
        )
        if not obj.is_active:
            Carrier.objects.filter(pk=created.pk).update(is_active=False)
        obj.pk = created.pk


class ShipmentLineInline(ReadOnlyInline):
    model = ShipmentLine
    fields = ["order_line", "quantity"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("order_line")


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
    date_hierarchy = "created_at"
    inlines = [ShipmentLineInline, ShipmentEventInline]
