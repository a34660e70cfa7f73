from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from agora.accounts.services import actor_for_user
from agora.catalog.models import (
    Attribute,
    Category,
    CategoryCommission,
    Product,
    ProductMedia,
    Variant,
)
from agora.catalog.services import product_unpublish
from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    search_fields = ["name", "slug"]
    readonly_fields = ["public_id"]


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "value_type", "unit"]


@admin.register(CategoryCommission)
class CategoryCommissionAdmin(admin.ModelAdmin):
    list_display = ["seller", "category", "commission_bps"]
    raw_id_fields = ["seller", "category"]


class VariantInline(ReadOnlyInline):
    model = Variant
    fields = ["public_id", "sku", "gtin", "title", "options"]
    readonly_fields = fields


class MediaInline(ReadOnlyInline):
    model = ProductMedia
    fields = ["kind", "url", "alt"]
    readonly_fields = fields


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    """Operators moderate products (take them off sale); sellers edit them."""

    list_display = ["title", "public_id", "seller", "category", "status", "updated_at"]
    list_filter = ["status", "seller"]
    search_fields = ["title", "public_id", "variants__sku"]
    list_select_related = ["seller", "category"]
    inlines = [VariantInline, MediaInline]
    actions = ["take_off_sale"]

    @admin.action(description="Take off sale (back to draft)")
    def take_off_sale(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        actor = actor_for_user(request.user)  # type: ignore[arg-type]
        for product in queryset.select_related("seller"):
            product_unpublish(actor=actor, product=product)
        self.message_user(request, f"took {queryset.count()} products off sale", messages.SUCCESS)
