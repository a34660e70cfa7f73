"""Trust's public and buyer pages: write a review, report something, a report's receipt, the
buyer's notices (statements of reasons, appeals, their reports' outcomes) and the transparency
report. Thin: parse the form, call one service or selector, say what happened."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.catalog.models import Product
from agora.core.errors import AgoraError, invalid
from agora.trust import selectors, services
from agora.trust.models import Appeal, Decision, Notice, TargetKind
from agora.trust.reporters import reporter_ref


@login_required
@require_http_methods(["GET", "POST"])
def review_write(request: HttpRequest, product_id: str) -> HttpResponse:
    """The buyer's review of a product they received; a refusal says which field and why, and
    keeps what was typed."""
    product = Product.objects.filter(public_id=product_id).first()
    if product is None:
        raise Http404("no such product")
    mine = selectors.review_of(user=request.user, product_public_id=product_id)
    form: dict[str, Any] = {
        "rating": str(mine.rating) if mine else "",
        "title": mine.title if mine else "",
        "body": mine.body if mine else "",
    }
    status = 200
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("rating", "title", "body")}
        try:
            services.review_post(user=request.user, product_public_id=product_id, **form)
        except AgoraError as exc:
            messages.error(request, str(exc))
            status = 422 if exc.problem.status == 422 else exc.problem.status
        else:
            messages.success(request, _("Thank you: your review is published."))
            return redirect("storefront:product", public_id=product_id)
    context = {
        "product": product,
        "form": form,
        "editing": mine is not None,
        "verified": selectors.has_bought(user=request.user, product=product),
    }
    return render(request, "trust/review_write.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """Anyone may report a review, a product or a seller with a reason and an explanation."""
    data = request.POST if request.method == "POST" else request.GET
    form = {k: data.get(k, "") for k in ("target_kind", "target_id", "reason", "explanation")}
    status = 200
    if request.method == "POST":
        try:
            notice, created = services.notice_submit(
                reporter=request.user,
                reporter_ref=reporter_ref(request),
                **form,
            )
        except AgoraError as exc:
            messages.error(request, str(exc))
            status = exc.problem.status
        else:
            if created:
                messages.success(request, _("Thank you: your report was received."))
            else:
                messages.info(request, _("You reported this already; it is being looked at."))
            return redirect("trust:report_receipt", notice_id=notice.public_id)
    context = {
        "form": form,
        "kinds": TargetKind.choices,
        "reasons": Notice.Reason.choices,
    }
    return render(request, "trust/report.html", context, status=status)


def report_receipt(request: HttpRequest, notice_id: str) -> HttpResponse:
    """The notifier's receipt: what was reported and, once decided, the outcome (the link is the
    anonymous notifier's way back)."""
    notice = selectors.notice_get(public_id=notice_id)
    if notice is None:
        raise Http404("no such report")
    return render(
        request, "trust/report_receipt.html", {"notice": notice, **_notifier_row(request, notice)}
    )


def _notifier_row(request: HttpRequest, notice: Notice) -> dict[str, Any]:
    """What a notice's page tells about its decision: a decision made on appeal in its place,
    and, to the signed-in notifier who filed it, their appeal or whether they may appeal."""
    decision = notice.decision
    row: dict[str, Any] = {"n": notice, "replaced_by": None, "appeal": None, "can_appeal": False}
    if decision is None:
        return row
    if decision.reversed_at is not None:
        row["replaced_by"] = selectors.decision_made_on_appeal(decision=decision)
    user = request.user
    if user.is_authenticated and notice.reporter_id == user.pk:
        row["appeal"] = selectors.notifier_appeals(user=user, decision_ids=[decision.pk]).get(
            decision.pk
        )
        row["can_appeal"] = services.may_appeal(user=user, decision=decision)
    return row


@login_required
def my_notices(request: HttpRequest) -> HttpResponse:
    """Statements of reasons about the buyer's own reviews (with the appeal form) and the
    outcome of what they reported."""
    decisions = selectors.decisions_affecting_user(user=request.user)
    rows = [
        {"d": d, "can_appeal": services.may_appeal(user=request.user, decision=d)}
        for d in decisions
    ]
    context = {
        "rows": rows,
        "reports": [
            _notifier_row(request, n) for n in selectors.notices_by_reporter(user=request.user)
        ],
        "tab": "notices",
    }
    return render(request, "trust/my_notices.html", context)


@login_required
@require_POST
def appeal(request: HttpRequest, decision_id: str) -> HttpResponse:
    """An appeal, from the buyer's or the seller's notices page (the affected party) or from a
    report's receipt (a notifier, against "no action")."""
    decision = selectors.decision_get(public_id=decision_id)
    if decision is None:
        raise Http404("no such decision")
    back = request.POST.get("next", "")
    try:
        services.appeal_submit(
            user=request.user, decision=decision, explanation=request.POST.get("explanation", "")
        )
    except AgoraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your appeal was received; another operator will decide it."))
    return redirect(back if _may_return_to(back) else "trust:my_notices")


def _may_return_to(path: str) -> bool:
    """Only our own pages that show an appeal: the seller's notices, a report's receipt."""
    if path == "/seller/notices/":
        return True
    if not path.startswith("/") or path.startswith("//") or "?" in path or "\\" in path:
        return False
    try:
        return resolve(path).view_name == "trust:report_receipt"
    except Resolver404:
        return False


def _day(value: str, name: str) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise invalid(name, f"{value!r} is not a date like 2026-01-31") from None
    return timezone.make_aware(datetime.combine(day, time.min), timezone.UTC)


def transparency_page(request: HttpRequest) -> HttpResponse:
    """The public transparency report for a period (default: the last twelve months)."""
    period = selectors.default_period()
    try:
        start = _day(request.GET.get("from", ""), "from")
        end = _day(request.GET.get("to", ""), "to")
        if end is not None:
            end += timedelta(days=1)
        chosen = selectors.Period(start or period.start, end or period.end)
        if chosen.start >= chosen.end:
            raise invalid("from", "must be before to")
    except AgoraError as exc:
        messages.error(request, str(exc))
        chosen = period
    figures = selectors.transparency(chosen)
    context = {
        "f": figures,
        "reasons": [(label, figures["notices_by_reason"][v]) for v, label in Notice.Reason.choices],
        "actions": [
            (label, figures["decisions_by_action"][v]) for v, label in Decision.Action.choices
        ],
        "outcomes": [
            (label, figures["appeals_by_outcome"][v]) for v, label in Appeal.Outcome.choices
        ],
    }
    return render(request, "trust/transparency.html", context)
