from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from agora.accounts.services import actor_for_user
from agora.core.errors import AgoraError
from agora.marketplace.models import Seller, SellerStaff
from agora.marketplace.services import seller_transition
from agora.marketplace.states import SellerState


class StaffInline(admin.TabularInline):
    model = SellerStaff
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["added_at"]


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["display_name", "public_id", "country", "state", "commission_bps", "created_at"]
    list_filter = ["state", "country"]
    search_fields = ["display_name", "legal_name", "public_id", "vat_id"]
    readonly_fields = ["public_id", "state", "state_changed_at", "created_at", "vat_id"]
    inlines = [StaffInline]
    actions = ["verify", "activate", "suspend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sellers apply through the API or the seller centre

    def _move(self, request: HttpRequest, queryset: QuerySet[Seller], to: SellerState) -> None:
        actor = actor_for_user(request.user)  # type: ignore[arg-type]
        for seller in queryset:
            try:
                seller_transition(actor=actor, seller=seller, to=to, reason="operator console")
            except AgoraError as exc:
                self.message_user(request, str(exc), messages.ERROR)

    @admin.action(description="Mark verified")
    def verify(self, request: HttpRequest, queryset: QuerySet[Seller]) -> None:
        self._move(request, queryset, SellerState.VERIFIED)

    @admin.action(description="Activate (or reinstate)")
    def activate(self, request: HttpRequest, queryset: QuerySet[Seller]) -> None:
        self._move(request, queryset, SellerState.ACTIVE)

    @admin.action(description="Suspend")
    def suspend(self, request: HttpRequest, queryset: QuerySet[Seller]) -> None:
        self._move(request, queryset, SellerState.SUSPENDED)
