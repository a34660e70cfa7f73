"""Users (operators create and manage staff accounts here) and API keys (read-only; revoking goes
through ``api_key_revoke`` so it is audited)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import password_validation
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.accounts.models import ApiKey, User
from agora.accounts.services import actor_for_user, api_key_revoke, user_create
from agora.core.admin_base import run_each
from agora.core.vault.people import email_digest


class UserAddForm(forms.ModelForm):
    """Adds a staff account: the email goes into the vault through ``user_create``."""

    email = forms.EmailField(label=gettext_lazy("Email"))
    display_name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=150)
    password1 = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(
        label=gettext_lazy("Password confirmation"), widget=forms.PasswordInput
    )

    class Meta:
        model = User
        fields: list[str] = []

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("The two passwords differ."))
        if data.get("email") and User.objects.by_email(str(data["email"])).exists():
            self.add_error("email", _("An account with this email already exists."))
        if data.get("password1"):
            password_validation.validate_password(str(data["password1"]))
        return data

    def save(self, commit: bool = True) -> User:
        return user_create(
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password1"],
            display_name=self.cleaned_data.get("display_name", ""),
        )

    def save_m2m(self) -> None:
        return None


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Email and name are sealed in the vault: shown, searched by exact email (its digest), not
    edited here."""

    add_form = UserAddForm
    ordering = ["-date_joined"]
    list_select_related = ["person"]
    list_display = ["public_id", "email", "display_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language"]
    search_fields = ["public_id"]
    readonly_fields = ["public_id", "email", "display_name", "date_joined", "last_login"]
    date_hierarchy = "date_joined"
    fieldsets = [
        (
            None,
            {"fields": ["public_id", "email", "display_name", "password", "preferred_language"]},
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
                "fields": ["email", "display_name", "password1", "password2"],
            },
        )
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        # Adding: the email and name are typed into the form (and sealed by ``user_create``).
        return list(self.readonly_fields) if obj is not None else []

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        if "@" in search_term:
            return queryset.filter(email_digest=email_digest(search_term)), False
        return super().get_search_results(request, queryset, search_term)


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
