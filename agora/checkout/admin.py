"""Operators edit VAT rates here (audited, validated like the tax table); sellers' shipping,
carts and checkouts are shown read-only for support."""

from __future__ import annotations

import re

import pycountry
from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from agora.checkout.models import (
    Cart,
    CartLine,
    Checkout,
    SellerTaxProfile,
    ShippingMethod,
    ShippingRate,
    ShippingZone,
    TaxRate,
)
from agora.core.admin_base import AuditedConfigAdmin, ReadOnlyAdmin, ReadOnlyInline


class TaxRateForm(forms.ModelForm):
    class Meta:
        model = TaxRate
        fields = ["country", "category", "rate", "postcode_pattern", "name", "valid_from", "source"]

    def clean_country(self) -> str:
        code = (self.cleaned_data.get("country") or "").strip().upper()
        # EU VAT writes Greece as EL; the table keys countries by ISO code (GR).
        if code == "EL" or pycountry.countries.get(alpha_2=code) is None:
            raise forms.ValidationError(
                _("%(code)s is not an ISO 3166-1 alpha-2 country code (Greece is GR).")
                % {"code": code or "''"}
            )
        return code

    def clean_category(self) -> str:
        category = (self.cleaned_data.get("category") or "").strip().lower()
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", category):
            raise forms.ValidationError(
                _("Use a rate name such as standard, reduced or super_reduced (a-z, 0-9, _).")
            )
        return category

    def clean_rate(self) -> object:
        rate = self.cleaned_data.get("rate")
        if rate is not None and not 0 <= rate <= 100:
            raise forms.ValidationError(
                _("%(rate)s is not a percentage between 0 and 100.") % {"rate": rate}
            )
        return rate

    def clean_postcode_pattern(self) -> str:
        pattern = (self.cleaned_data.get("postcode_pattern") or "").strip()
        try:
            re.compile(pattern)
        except re.error as exc:
            raise forms.ValidationError(
                _("Not a valid regular expression: %(error)s") % {"error": exc}
            ) from exc
        return pattern


@admin.register(TaxRate)
class TaxRateAdmin(AuditedConfigAdmin):
    form = TaxRateForm
    list_display = ("country", "category", "rate", "name", "postcode_pattern", "valid_from")
    list_filter = ("country", "category")
    search_fields = ("country", "name", "category")
    date_hierarchy = "valid_from"


@admin.register(SellerTaxProfile)
class SellerTaxProfileAdmin(AuditedConfigAdmin):
    list_display = ("seller", "prices_include_tax")
    list_filter = ("prices_include_tax",)
    list_select_related = ("seller",)
    search_fields = ("seller__display_name",)
    autocomplete_fields = ("seller",)


class ShippingRateInline(ReadOnlyInline):
    model = ShippingRate
    fields = ("weight_from_grams", "weight_to_grams", "currency", "amount_minor", "free_over_minor")
    readonly_fields = fields


@admin.register(ShippingMethod)
class ShippingMethodAdmin(ReadOnlyAdmin):
    """Sellers own their shipping (seller API); operators look when a quote is disputed."""

    list_display = ("name", "public_id", "seller", "zone", "carrier_code", "active")
    list_filter = ("active", "carrier_code")
    list_select_related = ("seller", "zone")
    search_fields = ("public_id", "name", "seller__display_name")
    inlines = [ShippingRateInline]


@admin.register(ShippingZone)
class ShippingZoneAdmin(ReadOnlyAdmin):
    list_display = ("name", "public_id", "seller", "countries")
    list_select_related = ("seller",)
    search_fields = ("public_id", "name", "seller__display_name")


class CartLineInline(ReadOnlyInline):
    model = CartLine
    fields = ("variant", "quantity", "added_at")
    readonly_fields = fields

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("variant")


@admin.register(Cart)
class CartAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "buyer", "status", "currency", "country", "updated_at")
    list_filter = ("status", "currency")
    list_select_related = ("buyer__person",)
    search_fields = ("public_id", "buyer__public_id")
    date_hierarchy = "updated_at"
    exclude = ("session_key",)
    inlines = [CartLineInline]


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    """A checkout left half-way is resumed or compensated by the sweep; support reads it here."""

    list_display = ("public_id", "state", "buyer", "amount_minor", "currency", "updated_at")
    list_filter = ("state", "currency")
    list_select_related = ("buyer__person",)
    search_fields = ("public_id", "idempotency_key", "buyer__public_id")
    date_hierarchy = "created_at"
    exclude = ("person", "owner")
