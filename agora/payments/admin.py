"""Read-only admin pages: payment rows are written only by the services."""

from django.contrib import admin

from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from agora.payments.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    PaymentIntent,
    Refund,
)


class EntryInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ("account", "amount_minor", "currency")


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "kind", "reference", "created_at")
    list_filter = ("kind",)
    search_fields = ("public_id", "reference", "idempotency_key")
    inlines = [EntryInline]


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "currency", "seller")
    list_filter = ("kind", "currency")
    search_fields = ("code",)


@admin.register(PaymentIntent)
class PaymentIntentAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "status", "amount_minor", "currency", "provider", "updated_at")
    list_filter = ("status", "provider")
    search_fields = ("public_id", "provider_ref", "checkout_ref")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "order", "amount_minor", "currency", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("public_id",)
