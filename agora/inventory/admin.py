"""Stock is the sellers' and moves only through inventory's services (row locks, the movement
ledger, ``stock.changed``): every page here is read-only."""

from __future__ import annotations

from django.contrib import admin

from agora.core.admin_base import ReadOnlyAdmin
from agora.inventory.models import (
    Reservation,
    StockLevel,
    StockLocation,
    StockMovement,
    StockPolicy,
)


@admin.register(StockLocation)
class StockLocationAdmin(ReadOnlyAdmin):
    list_display = ["name", "public_id", "seller", "kind", "country", "city", "is_available"]
    list_filter = ["kind", "country", "is_available"]
    list_select_related = ["seller"]
    search_fields = ["name", "public_id", "seller__display_name"]


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ["variant", "location", "seller", "on_hand", "reserved", "updated_at"]
    list_select_related = ["variant", "location", "seller"]
    search_fields = ["variant__sku", "location__name"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["at", "variant", "location", "kind", "quantity", "reference"]
    list_filter = ["kind"]
    list_select_related = ["variant", "location"]
    search_fields = ["variant__sku", "reference"]
    date_hierarchy = "at"


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "reference",
        "variant",
        "location",
        "quantity",
        "state",
        "rule",
        "expires_at",
        "order_reference",
    ]
    list_filter = ["state", "rule"]
    list_select_related = ["variant", "location"]
    search_fields = ["public_id", "reference", "order_reference", "variant__sku"]
    date_hierarchy = "created_at"


@admin.register(StockPolicy)
class StockPolicyAdmin(ReadOnlyAdmin):
    list_display = ["variant", "seller", "low_stock_threshold", "updated_at"]
    list_select_related = ["variant", "seller"]
    search_fields = ["variant__sku"]
