"""Sellers in the admin: their onboarding moves through ``seller_transition`` (audited, with an
event the seller's webhooks receive); only the default commission is edited here, and audited.
The application queue with VAT checks is the operator's "Seller applications" page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.core.admin_base import ReadOnlyInline, operator_actor, reason_action, run_each
from agora.core.audit import audit_record
from agora.marketplace.models import Seller, SellerStaff
from agora.marketplace.services import seller_transition
from agora.marketplace.states import SellerState


class StaffInline(ReadOnlyInline):
    """Staff roles are given by the seller's owner in the seller centre (``seller_staff_add``)."""

    model = SellerStaff
    fields = ["user", "role", "added_at"]
    readonly_fields = fields


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "public_id",
        "country",
        "state",
        "vat_id",
        "commission_bps",
        "state_changed_at",
        "created_at",
    ]
    list_filter = ["state", "country"]
    search_fields = ["display_name", "legal_name", "public_id", "vat_id", "slug"]
    date_hierarchy = "created_at"
    fields = [
        "public_id",
        "slug",
        "display_name",
        "legal_name",
        "country",
        "vat_id",
        "payout_currency",
        "commission_bps",
        "state",
        "state_reason",
        "state_changed_at",
        "created_at",
    ]
    readonly_fields = [f for f in fields if f != "commission_bps"]
    inlines = [StaffInline]
    actions = ["verify", "activate", "suspend", "reinstate", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sellers apply through the API or the seller centre

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # orders, ledger and products keep pointing at the seller

    def save_model(self, request: HttpRequest, obj: Seller, form: Any, change: bool) -> None:
        """Only the default commission is editable; its change is audited like a service's."""
        with transaction.atomic():
            before = Seller.objects.select_for_update().get(pk=obj.pk).commission_bps
            if before == obj.commission_bps:
                return
            Seller.objects.filter(pk=obj.pk).update(commission_bps=obj.commission_bps)
            audit_record(
                actor=operator_actor(request),
                action="seller.commission_set",
                target=obj,
                changes={"commission_bps": [before, obj.commission_bps]},
                seller_id=obj.pk,
            )

    def _move(
        self, request: HttpRequest, queryset: QuerySet[Seller], to: SellerState, reason: str
    ) -> None:
        actor = operator_actor(request)
        done = {
            SellerState.VERIFIED: _("Verified %(count)d sellers."),
            SellerState.ACTIVE: _("Activated %(count)d sellers."),
            SellerState.SUSPENDED: _("Suspended %(count)d sellers."),
            SellerState.REJECTED: _("Rejected %(count)d applications."),
        }[to]
        run_each(
            self,
            request,
            queryset,
            lambda s: seller_transition(actor=actor, seller=s, to=to, reason=reason),
            done=done,
        )

    @admin.action(description=gettext_lazy("Mark verified (VAT id and documents checked)"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Seller]) -> None:
        self._move(request, queryset, SellerState.VERIFIED, _("verified in the operator console"))

    @admin.action(description=gettext_lazy("Activate (may sell)"))
    def activate(self, request: HttpRequest, queryset: QuerySet[Seller]) -> None:
        self._move(request, queryset, SellerState.ACTIVE, _("activated in the operator console"))

    suspend = reason_action(
        description=gettext_lazy("Suspend, with a reason shown to the seller"),
        title=gettext_lazy("Suspend sellers"),
        submit=gettext_lazy("Suspend"),
        help_text=gettext_lazy("1 to 300 characters. The seller is shown this reason."),
        apply=lambda actor, seller, why: seller_transition(
            actor=actor, seller=seller, to=SellerState.SUSPENDED, reason=why
        ),
        done=gettext_lazy("Suspended %(count)d sellers."),
    )
    reinstate = reason_action(
        description=gettext_lazy("Reinstate suspended sellers, with a note"),
        title=gettext_lazy("Reinstate sellers"),
        submit=gettext_lazy("Reinstate"),
        apply=lambda actor, seller, why: seller_transition(
            actor=actor, seller=seller, to=SellerState.ACTIVE, reason=why
        ),
        done=gettext_lazy("Reinstated %(count)d sellers."),
    )
    reject = reason_action(
        description=gettext_lazy("Reject applications, with a reason shown to them"),
        title=gettext_lazy("Reject seller applications"),
        submit=gettext_lazy("Reject"),
        help_text=gettext_lazy("1 to 300 characters. The applicant is shown this reason."),
        apply=lambda actor, seller, why: seller_transition(
            actor=actor, seller=seller, to=SellerState.REJECTED, reason=why
        ),
        done=gettext_lazy("Rejected %(count)d applications."),
    )
