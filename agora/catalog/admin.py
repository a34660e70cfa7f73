"""The catalogue in the admin. Categories, attributes and per-category commissions are platform
configuration that operators edit (audited; new categories through ``category_create``);
products are the sellers', so operators see them read-only and can only take them off sale."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.catalog.models import (
    Attribute,
    Category,
    CategoryCommission,
    Product,
    ProductMedia,
    ProductTextHistory,
    Variant,
)
from agora.catalog.services import category_create, product_unpublish
from agora.catalog.validation import clean_translations
from agora.core.admin_base import (
    AuditedConfigAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    operator_actor,
    run_each,
)
from agora.core.errors import AgoraError


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "slug", "parent", "position", "translations"]

    def clean_translations(self) -> dict[str, Any]:
        try:
            return clean_translations("category", self.cleaned_data.get("translations"))
        except AgoraError as exc:
            raise forms.ValidationError(exc.detail) from exc

    def clean_parent(self) -> Category | None:
        """A category may not sit under itself or one of its own sub-categories."""
        parent = self.cleaned_data.get("parent")
        if parent is None or self.instance.pk is None:
            return parent
        parents = dict(Category.objects.values_list("id", "parent_id"))
        node: int | None = parent.pk
        while node is not None:
            if node == self.instance.pk:
                raise forms.ValidationError(
                    _("%(parent)s is %(name)s itself or one of its sub-categories; pick another.")
                    % {"parent": parent, "name": self.instance.name}
                )
            node = parents.get(node)
        return parent


@admin.register(Category)
class CategoryAdmin(AuditedConfigAdmin):
    form = CategoryForm
    list_display = ["name", "slug", "parent", "position", "public_id"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "public_id"]
    readonly_fields = ["public_id"]
    autocomplete_fields = ["parent"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # products and commissions point at categories; rename or move instead

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = category_create(
            actor=operator_actor(request),
            name=obj.name,
            slug=obj.slug,
            parent=obj.parent,
            translations=obj.translations,
            position=obj.position,
        )
        obj.pk, obj.public_id = created.pk, created.public_id


@admin.register(Attribute)
class AttributeAdmin(AuditedConfigAdmin):
    list_display = ["code", "name", "value_type", "unit"]
    list_filter = ["value_type"]
    search_fields = ["code", "name"]


@admin.register(CategoryCommission)
class CategoryCommissionAdmin(AuditedConfigAdmin):
    list_display = ["seller", "category", "commission_bps"]
    list_select_related = ["seller", "category"]
    list_filter = ["category"]
    search_fields = ["seller__display_name", "category__name"]
    autocomplete_fields = ["seller", "category"]


class VariantInline(ReadOnlyInline):
    model = Variant
    fields = ["public_id", "sku", "gtin", "title", "options", "weight_grams"]
    readonly_fields = fields


class MediaInline(ReadOnlyInline):
    model = ProductMedia
    fields = ["kind", "url", "alt"]
    readonly_fields = fields


class TextHistoryInline(ReadOnlyInline):
    model = ProductTextHistory
    fields = ["field", "value", "valid_from", "replaced_at"]
    readonly_fields = fields


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    """Operators moderate products (take them off sale); sellers edit them."""

    list_display = ["title", "public_id", "seller", "category", "status", "updated_at"]
    list_filter = ["status", "seller", "category"]
    search_fields = ["title", "public_id", "variants__sku", "variants__gtin"]
    list_select_related = ["seller", "category"]
    date_hierarchy = "created_at"
    inlines = [VariantInline, MediaInline, TextHistoryInline]
    actions = ["take_off_sale", "archive"]

    def _unpublish(self, request: HttpRequest, queryset: QuerySet[Product], archive: bool) -> None:
        actor = operator_actor(request)
        run_each(
            self,
            request,
            queryset.select_related("seller"),
            lambda p: product_unpublish(actor=actor, product=p, archive=archive),
            done=_("Archived %(count)d products.")
            if archive
            else _("Took %(count)d products off sale."),
        )

    @admin.action(description=gettext_lazy("Take off sale (back to draft)"))
    def take_off_sale(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        self._unpublish(request, queryset, archive=False)

    @admin.action(description=gettext_lazy("Archive (off sale for good)"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        self._unpublish(request, queryset, archive=True)


@admin.register(Variant)
class VariantAdmin(ReadOnlyAdmin):
    """Searchable by SKU and GTIN, and the target of the stock and price pages' links."""

    list_display = ["sku", "public_id", "product", "seller", "gtin", "title"]
    list_select_related = ["product", "seller"]
    search_fields = ["sku", "gtin", "public_id", "product__title"]
