from django.contrib import admin

from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from agora.orders.models import Order, OrderLine, OrderReturn, OrderReturnLine


class LineInline(ReadOnlyInline):
    model = OrderLine
    fields = [
        "line_no",
        "sku",
        "title",
        "quantity",
        "unit_price_minor",
        "total_minor",
        "returned_quantity",
        "fulfilled_quantity",
    ]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "seller",
        "buyer",
        "channel",
        "external_ref",
        "status",
        "total_minor",
        "refunded_minor",
        "currency",
        "placed_at",
    ]
    list_filter = ["status", "channel", "seller"]
    search_fields = ["public_id", "external_ref", "checkout_ref", "buyer__email"]
    list_select_related = ["seller", "buyer"]
    date_hierarchy = "placed_at"
    inlines = [LineInline]


class ReturnLineInline(ReadOnlyInline):
    model = OrderReturnLine
    fields = ["line", "quantity", "condition", "disposition", "location", "external_ref"]
    readonly_fields = fields


@admin.register(OrderReturn)
class OrderReturnAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "order",
        "status",
        "reason_code",
        "requested_by",
        "refunded_minor",
        "external_ref",
        "created_at",
    ]
    list_filter = ["status", "reason_code"]
    inlines = [ReturnLineInline]
