"""The operator's moderation pages inside the admin site (served through
``OperatorSite.admin_view``: staff only, CSRF-protected): the queue of open notices and appeals,
one notice with the decision form (a statement of reasons is required), and one appeal with its
own decision (by another operator; a notifier's appeal against "no action", when reversed,
names the action and its ground). Thin: parse the form, call one service, say what happened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.core.errors import AgoraError
from agora.trust import selectors, services
from agora.trust.models import Appeal, Decision, Notice

QUEUE_URL = "admin:operator_moderation"


def moderation_queue_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """Open notices (oldest first), open appeals, and the latest decisions."""
    context = {
        **site.each_context(request),
        "title": _("Moderation"),
        "notices": list(selectors.open_notices()[:200]),
        "appeals": list(selectors.open_appeals()[:200]),
        "decisions": selectors.recent_decisions(),
    }
    return TemplateResponse(request, "trust/console_queue.html", context)


def _automated(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def notice_decide_view(site: AdminSite, request: HttpRequest, notice_id: str) -> HttpResponse:
    """One notice, the other open notices about the same target, and the decision form."""
    notice = selectors.notice_get(public_id=notice_id)
    if notice is None:
        raise Http404("no such notice")
    form = {k: request.POST.get(k, "") for k in ("action", "facts", "ground", "automated")}
    status = 200
    if request.method == "POST":
        try:
            decision = services.decision_make(
                operator=request.user,
                notice=notice,
                action=form["action"],
                facts=form["facts"],
                ground=form["ground"],
                automated=_automated(form["automated"]),
            )
        except AgoraError as exc:
            messages.error(request, str(exc))
            status = 422 if exc.problem.status == 422 else 409
        else:
            messages.success(
                request,
                _("Decided (%(id)s); the statement of reasons was sent.")
                % {"id": decision.public_id},
            )
            return HttpResponseRedirect(reverse(QUEUE_URL))
    context = {
        **site.each_context(request),
        "title": _("Notice %(id)s") % {"id": notice.public_id},
        "notice": notice,
        "same_target": list(
            Notice.objects.filter(
                target_kind=notice.target_kind, target_id=notice.target_id
            ).order_by("created_at")
        ),
        "actions": Decision.Action.choices,
        "form": form,
    }
    return TemplateResponse(request, "trust/console_notice.html", context, status=status)


def appeal_decide_view(site: AdminSite, request: HttpRequest, appeal_id: str) -> HttpResponse:
    """One appeal with the decision it is against; upheld or reversed with a statement."""
    appeal = selectors.appeal_get(public_id=appeal_id)
    if appeal is None:
        raise Http404("no such appeal")
    status = 200
    if request.method == "POST":
        try:
            services.appeal_decide(
                operator=request.user,
                appeal=appeal,
                outcome=request.POST.get("outcome", ""),
                statement=request.POST.get("statement", ""),
                action=request.POST.get("action", ""),
                ground=request.POST.get("ground", ""),
            )
        except AgoraError as exc:
            messages.error(request, str(exc))
            status = exc.problem.status
        else:
            messages.success(request, _("Appeal decided."))
            return HttpResponseRedirect(reverse(QUEUE_URL))
    context = {
        **site.each_context(request),
        "title": _("Appeal %(id)s") % {"id": appeal.public_id},
        "appeal": appeal,
        "d": appeal.decision,
        "outcomes": [(Appeal.Outcome.UPHELD, _("Uphold")), (Appeal.Outcome.REVERSED, _("Reverse"))],
        # A notifier's appeal against "no action": reversing it takes one of these.
        "actions": [
            (value, label)
            for value, label in Decision.Action.choices
            if value != Decision.Action.NONE
            and (appeal.decision.target_kind != "seller" or value == Decision.Action.SUSPEND)
        ],
        "others": list(
            selectors.open_appeals()
            .filter(decision=appeal.decision)
            .exclude(pk=appeal.pk)
            .values_list("public_id", flat=True)
        ),
    }
    return TemplateResponse(request, "trust/console_appeal.html", context, status=status)
