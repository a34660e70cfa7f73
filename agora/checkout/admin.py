"""Operators edit VAT rates and price modes here; shipping and carts are shown for support."""

from __future__ import annotations

from django.contrib import admin

from agora.checkout.models import (
    Cart,
    CartLine,
    SellerTaxProfile,
    ShippingMethod,
    ShippingRate,
    ShippingZone,
    TaxRate,
)


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ("country", "category", "rate", "name", "postcode_pattern", "valid_from")
    list_filter = ("country", "category")
    search_fields = ("country", "name")


@admin.register(SellerTaxProfile)
class SellerTaxProfileAdmin(admin.ModelAdmin):
    list_display = ("seller", "prices_include_tax")


class ShippingRateInline(admin.TabularInline):
    model = ShippingRate
    extra = 0


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = ("public_id", "seller", "zone", "name", "carrier_code", "active")
    list_filter = ("active",)
    inlines = [ShippingRateInline]


@admin.register(ShippingZone)
class ShippingZoneAdmin(admin.ModelAdmin):
    list_display = ("public_id", "seller", "name", "countries")


class CartLineInline(admin.TabularInline):
    model = CartLine
    extra = 0
    raw_id_fields = ("variant",)


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ("public_id", "buyer", "status", "currency", "country", "updated_at")
    list_filter = ("status",)
    inlines = [CartLineInline]
    raw_id_fields = ("buyer",)
