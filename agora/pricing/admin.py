"""Prices and their append-only history, read-only (sellers set prices; the history is the
evidence behind the 30-day prior price)."""

from __future__ import annotations

from django.contrib import admin

from agora.core.admin_base import ReadOnlyAdmin
from agora.pricing.models import Price, PriceChange


@admin.register(Price)
class PriceAdmin(ReadOnlyAdmin):
    list_display = ["variant", "seller", "currency", "amount_minor", "updated_at"]
    list_filter = ["currency"]
    search_fields = ["variant__sku", "variant__public_id"]
    list_select_related = ["variant", "seller"]


@admin.register(PriceChange)
class PriceChangeAdmin(ReadOnlyAdmin):
    list_display = ["variant", "currency", "amount_minor", "effective_at", "source", "actor_label"]
    list_filter = ["currency", "source"]
    search_fields = ["variant__sku", "variant__public_id"]
    list_select_related = ["variant"]
    date_hierarchy = "effective_at"
