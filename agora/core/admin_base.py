"""Admin helpers: most operational tables are written only by services, so their admin pages are
read-only views with actions that call those services.

- :class:`ReadOnlyAdmin` / :class:`ReadOnlyInline` for operational tables;
- :func:`run_each` runs a service once per selected row and reports each refusal by name;
- :func:`ask_reason` is the intermediate "why?" page of actions whose service needs a reason,
  and :func:`reason_action` declares such an action in one statement;
- :class:`AuditedConfigAdmin` for the few configuration tables operators edit directly (tax
  rates, carriers, categories, commissions): every save and delete writes an audit entry in the
  same transaction, as a service would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.core.actors import Actor
from agora.core.audit import audit_record, diff
from agora.core.errors import AgoraError


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def operator_actor(request: HttpRequest) -> Actor:
    """The signed-in operator as the actor of a service call (the same fields as
    ``accounts.services.actor_for_user``; core sits below accounts and cannot import it)."""
    user: Any = request.user
    return Actor(kind="user", label=user.email, user_id=user.pk, is_operator=bool(user.is_staff))


def run_each[M: models.Model](
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    objects: Iterable[M],
    apply: Callable[[M], object],
    *,
    done: str,
) -> int:
    """Calls ``apply`` on each object (one service call, one transaction each), so one refusal
    stops nothing else; reports "done" with the count and every refusal with the object's name
    and the service's reason. Returns how many succeeded."""
    succeeded = 0
    for obj in objects:
        try:
            apply(obj)
        except AgoraError as exc:
            model_admin.message_user(
                request,
                _("%(object)s: %(reason)s") % {"object": obj, "reason": exc.detail},
                messages.ERROR,
            )
        else:
            succeeded += 1
    if succeeded:
        model_admin.message_user(request, done % {"count": succeeded}, messages.SUCCESS)
    return succeeded


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("1 to 300 characters. It is recorded in the audit log."),
        error_messages={
            "required": gettext_lazy("Say why (1 to 300 characters)."),
            "max_length": gettext_lazy(
                "The reason is %(show_value)d characters long; at most %(limit_value)d are kept."
            ),
        },
    )

    def __init__(self, *args: Any, required: bool = True, help_text: str = "", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["reason"].required = required
        if help_text:
            self.fields["reason"].help_text = help_text


def ask_reason[M: models.Model](
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    title: str,
    submit: str,
    apply: Callable[[M, str], object],
    done: str,
    required: bool = True,
    help_text: str = "",
) -> TemplateResponse | None:
    """Step two of an action that needs a reason: shows the selected objects and a reason field
    (CSRF-protected, posted back to the same action); once the reason is valid, calls ``apply``
    for each object through :func:`run_each` and returns None, so the admin goes back to the
    change list with its messages."""
    form = ReasonForm(
        request.POST if "apply_reason" in request.POST else None,
        required=required,
        help_text=help_text,
    )
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"].strip()
        run_each(model_admin, request, queryset, lambda obj: apply(obj, reason), done=done)
        return None
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "submit_label": submit,
        "form": form,
        "objects": list(queryset),
        "opts": opts,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "core/admin_reason.html", context)


def reason_action[M: models.Model](
    *,
    description: str | Promise,
    title: str | Promise,
    submit: str | Promise,
    apply: Callable[[Actor, M, str], object],
    done: str | Promise,
    required: bool = True,
    help_text: str | Promise = "",
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet[M]], TemplateResponse | None]:
    """An admin action that asks :func:`ask_reason`'s "why?" and then calls
    ``apply(operator, obj, reason)`` for each selected object: the many moderation actions
    differ only in their words and their service call. Pass lazy strings (``gettext_lazy``):
    they are put in the operator's language when the action runs."""

    @admin.action(description=description)
    def action(
        model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[M]
    ) -> TemplateResponse | None:
        actor = operator_actor(request)
        return ask_reason(
            model_admin,
            request,
            queryset,
            title=str(title),
            submit=str(submit),
            apply=lambda obj, reason: apply(actor, obj, reason),
            done=str(done),
            required=required,
            help_text=str(help_text),
        )

    return action


class AuditedConfigAdmin(admin.ModelAdmin):
    """An editable configuration table: saves and deletes are audited in their transaction
    (``<model>.created``, ``<model>.updated`` with the changed fields, ``<model>.deleted``)."""

    def _action(self, verb: str) -> str:
        return f"{self.model._meta.model_name}.{verb}"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            changes: dict[str, Any] = {}
            if change:
                before = type(obj).objects.get(pk=obj.pk)
                changes = diff(before, {name: getattr(obj, name) for name in form.changed_data})
            obj.save()
            if not change:
                changes = {name: str(getattr(obj, name)) for name in form.changed_data}
            audit_record(
                actor=operator_actor(request),
                action=self._action("updated" if change else "created"),
                target=obj,
                changes=changes,
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                actor=operator_actor(request),
                action=self._action("deleted"),
                target=obj,
                changes={"was": str(obj)},
            )
            obj.delete()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
