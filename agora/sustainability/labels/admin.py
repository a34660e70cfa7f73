"""Label review in the operator console: pending labels are granted or refused, challenges
upheld or dismissed, all through the services (evidence is checked again on granting)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from agora.core.admin_base import (
    ReadOnlyAdmin,
    ReadOnlyInline,
    operator_actor,
    reason_action,
    run_each,
)
from agora.sustainability.labels.services import challenge_decide, label_review, label_withdraw
from agora.sustainability.models import GreenLabel, LabelChallenge


class ChallengeInline(ReadOnlyInline):
    model = LabelChallenge
    fields = ["public_id", "status", "raised_at", "reason", "decision_note"]
    readonly_fields = fields


@admin.register(GreenLabel)
class GreenLabelAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "kind", "scheme", "product", "seller", "status", "evidence",
                    "expires_on", "requested_at"]  # fmt: skip
    list_filter = ["status", "kind", "evidence"]
    search_fields = ["public_id", "product__title", "product__public_id", "scheme"]
    readonly_fields = ["evidence_page"]
    inlines = [ChallengeInline]
    actions = ["grant", "refuse", "withdraw"]

    @admin.display(description=gettext_lazy("Evidence page"))
    def evidence_page(self, obj: GreenLabel) -> str:
        url = reverse("sustainability_labels:evidence", args=[obj.public_id])
        return format_html('<a href="{}">{}</a>', url, url)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Grant (the evidence is checked again)"))
    def grant(self, request: HttpRequest, queryset: QuerySet[GreenLabel]) -> None:
        actor = operator_actor(request)
        run_each(
            self,
            request,
            queryset,
            lambda label: label_review(actor=actor, label=label, grant=True),
            done=str(gettext_lazy("Granted %(count)d labels.")),
        )

    refuse = reason_action(
        description=gettext_lazy("Refuse, with a reason shown to the seller"),
        title=gettext_lazy("Refuse labels"),
        submit=gettext_lazy("Refuse"),
        apply=lambda actor, label, why: label_review(
            actor=actor, label=label, grant=False, note=why
        ),
        done=gettext_lazy("Refused %(count)d labels."),
    )
    withdraw = reason_action(
        description=gettext_lazy("Withdraw, with a reason shown on the evidence page"),
        title=gettext_lazy("Withdraw labels"),
        submit=gettext_lazy("Withdraw"),
        apply=lambda actor, label, why: label_withdraw(actor=actor, label=label, reason=why),
        done=gettext_lazy("Withdrew %(count)d labels."),
    )


@admin.register(LabelChallenge)
class LabelChallengeAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "label", "status", "raised_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["public_id", "label__public_id", "reason"]
    actions = ["uphold", "dismiss"]

    uphold = reason_action(
        description=gettext_lazy("Uphold (the label is withdrawn), with a note"),
        title=gettext_lazy("Uphold challenges"),
        submit=gettext_lazy("Uphold"),
        help_text=gettext_lazy("1 to 300 characters, shown on the label's evidence page."),
        apply=lambda actor, challenge, why: challenge_decide(
            actor=actor, challenge=challenge, upheld=True, note=why
        ),
        done=gettext_lazy("Upheld %(count)d challenges."),
    )
    dismiss = reason_action(
        description=gettext_lazy("Dismiss (the label stays), with a note"),
        title=gettext_lazy("Dismiss challenges"),
        submit=gettext_lazy("Dismiss"),
        help_text=gettext_lazy("1 to 300 characters, shown on the label's evidence page."),
        apply=lambda actor, challenge, why: challenge_decide(
            actor=actor, challenge=challenge, upheld=False, note=why
        ),
        done=gettext_lazy("Dismissed %(count)d challenges."),
    )
