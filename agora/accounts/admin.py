"""Users (operators create and manage staff accounts here) and API keys (read-only; revoking goes
through ``api_key_revoke`` so it is audited)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.accounts.models import ApiKey, User
from agora.accounts.services import actor_for_user, api_key_revoke
from agora.core.admin_base import run_each


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language"]
    search_fields = ["email", "display_name", "public_id"]
    readonly_fields = ["public_id", "date_joined", "last_login"]
    date_hierarchy = "date_joined"
    fieldsets = [
        (
            None,
            {"fields": ["public_id", "email", "password", "display_name", "preferred_language"]},
        ),
        (
            gettext_lazy("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (gettext_lazy("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
            },
        )
    ]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "name",
        "kind",
        "seller",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["kind", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["seller"]
    search_fields = ["public_id", "name", "lookup", "seller__display_name"]
    date_hierarchy = "created_at"
    exclude = ["secret_hash"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in ApiKey._meta.fields if f.name != "secret_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are issued with `agora apikey issue` or the seller centre (shown once)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # revoke instead: the audit log and webhooks keep pointing at the key

    @admin.action(description=gettext_lazy("Revoke selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        actor = actor_for_user(request.user)  # type: ignore[arg-type]
        run_each(
            self,
            request,
            queryset,
            lambda key: api_key_revoke(actor=actor, key=key),
            done=_("Revoked %(count)d keys."),
        )
