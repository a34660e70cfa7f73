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


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ["variant", "location", "on_hand", "reserved", "updated_at"]
    list_select_related = ["variant", "location"]
    search_fields = ["variant__sku"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["at", "variant", "location", "kind", "quantity", "reference"]
    list_filter = ["kind"]
    list_select_related = ["variant", "location"]


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
    readonly_fields = ["reason"]


@admin.register(StockPolicy)
class StockPolicyAdmin(ReadOnlyAdmin):
    list_display = ["variant", "low_stock_threshold", "updated_at"]
    list_select_related = ["variant"]
    search_fields = ["variant__sku"]
