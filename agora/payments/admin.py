"""Read-only admin pages: payment rows are written only by the services. The one action, paying
out a seller's payable balance, calls ``payout_create`` (audited, posted to the ledger)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.core.admin_base import ReadOnlyAdmin, ReadOnlyInline, operator_actor, run_each
from agora.payments.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    PaymentIntent,
    Payout,
    Refund,
)
from agora.payments.postings import SELLER_PAYABLE
from agora.payments.services import payout_create


class EntryInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ("account", "amount_minor", "currency")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[LedgerEntry]:
        return super().get_queryset(request).select_related("account")


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "kind", "reference", "memo", "created_at")
    list_filter = ("kind",)
    search_fields = ("public_id", "reference", "idempotency_key")
    date_hierarchy = "created_at"
    inlines = [EntryInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("transaction", "account", "amount_minor", "currency")
    list_filter = ("currency", "account__kind")
    list_select_related = ("transaction", "account")
    search_fields = ("transaction__reference", "transaction__public_id", "account__code")


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "currency", "seller", "created_at")
    list_filter = ("kind", "currency")
    list_select_related = ("seller",)
    search_fields = ("code", "seller__display_name")
    actions = ["pay_out"]

    @admin.action(description=gettext_lazy("Pay out the selected seller payable balances"))
    def pay_out(self, request: HttpRequest, queryset: QuerySet[LedgerAccount]) -> None:
        actor = operator_actor(request)
        payable = queryset.filter(kind=SELLER_PAYABLE, seller__isnull=False)
        skipped = queryset.count() - payable.count()
        run_each(
            self,
            request,
            payable.select_related("seller"),
            lambda account: payout_create(
                actor=actor, seller=account.seller, currency=account.currency
            ),
            done=_("Created %(count)d payouts."),
        )
        if skipped:
            self.message_user(
                request,
                _("%(count)d selected accounts are not seller payable accounts; skipped.")
                % {"count": skipped},
            )


@admin.register(PaymentIntent)
class PaymentIntentAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "status", "amount_minor", "currency", "provider", "updated_at")
    list_filter = ("status", "provider", "currency")
    search_fields = ("public_id", "provider_ref", "checkout_ref")
    date_hierarchy = "created_at"
    exclude = ("payment_method", "orders")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "order", "amount_minor", "currency", "status", "created_at")
    list_filter = ("status", "currency")
    list_select_related = ("order",)
    search_fields = ("public_id", "order__public_id", "provider_ref")
    date_hierarchy = "created_at"


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "seller", "amount_minor", "currency", "created_at")
    list_filter = ("currency",)
    list_select_related = ("seller",)
    search_fields = ("public_id", "seller__display_name")
    date_hierarchy = "created_at"
