"""Orders and returns, read-only: operators decide on returns (for a seller who does not)
through ``return_approve`` / ``return_reject``, which audit and keep the lines consistent."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline, reason_action
from agora.orders.models import Order, OrderLine, OrderReturn, OrderReturnLine
from agora.orders.returns import return_approve, return_reject


class LineInline(ReadOnlyInline):
    model = OrderLine
    fields = [
        "line_no",
        "sku",
        "title",
        "quantity",
        "unit_price_minor",
        "discount_minor",
        "total_minor",
        "returned_quantity",
        "fulfilled_quantity",
    ]
    readonly_fields = fields


class ReturnInline(ReadOnlyInline):
    model = OrderReturn
    fields = ["public_id", "status", "reason_code", "refunded_minor", "created_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "seller",
        "buyer",
        "channel",
        "status",
        "total_minor",
        "refunded_minor",
        "currency",
        "placed_at",
    ]
    list_filter = ["status", "channel", "currency", "seller"]
    search_fields = ["public_id", "external_ref", "checkout_ref", "payment_ref", "buyer__public_id"]
    list_select_related = ["seller", "buyer__person"]
    date_hierarchy = "placed_at"
    exclude = ["ship_to_sealed", "person"]  # sealed personal data: the packing slip opens it
    inlines = [LineInline, ReturnInline]


class ReturnLineInline(ReadOnlyInline):
    model = OrderReturnLine
    fields = ["line", "quantity", "condition", "disposition", "location", "external_ref"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderReturnLine]:
        return super().get_queryset(request).select_related("line", "location")


@admin.register(OrderReturn)
class OrderReturnAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "order",
        "status",
        "reason_code",
        "requested_by",
        "refunded_minor",
        "created_at",
    ]
    list_filter = ["status", "reason_code", "requested_by"]
    list_select_related = ["order"]
    search_fields = ["public_id", "order__public_id", "external_ref"]
    date_hierarchy = "created_at"
    inlines = [ReturnLineInline]
    actions = ["approve", "reject"]

    approve = reason_action(
        description=gettext_lazy("Approve returns (the buyer may send the goods)"),
        title=gettext_lazy("Approve returns"),
        submit=gettext_lazy("Approve"),
        required=False,
        help_text=gettext_lazy("Optional, up to 300 characters; the buyer and the seller see it."),
        apply=lambda actor, ret, note: return_approve(actor=actor, order_return=ret, note=note),
        done=gettext_lazy("Approved %(count)d returns."),
    )
    reject = reason_action(
        description=gettext_lazy("Reject returns, with a reason"),
        title=gettext_lazy("Reject returns"),
        submit=gettext_lazy("Reject"),
        help_text=gettext_lazy("1 to 300 characters; the buyer and the seller see it."),
        apply=lambda actor, ret, why: return_reject(actor=actor, order_return=ret, reason=why),
        done=gettext_lazy("Rejected %(count)d returns."),
    )
