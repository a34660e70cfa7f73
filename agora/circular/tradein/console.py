"""The operator's trade-in pages inside the admin site (served through
``OperatorSite.admin_view``: staff only, CSRF-protected): the queue with the list of models we
accept, and one trade-in's page to receive, inspect (the buyer's questions answered by the
inspector) and mark returned. Thin: parse the form, call one service, say what happened."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.accounts.services import actor_for_user
from agora.circular.models import TradeIn
from agora.circular.tradein import pricing, selectors, services
from agora.circular.tradein.pages import tradein_view
from agora.core.errors import AgoraError, invalid
from agora.core.money import Money, MoneyError

QUEUE_URL = "admin:operator_tradein"


def _questions(chosen: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "key": q.key,
            "text": q.text,
            "answers": [(k, v[0], v[1], chosen.get(q.key) == k) for k, v in q.answers.items()],
        }
        for q in pricing.QUESTIONS
    ]


def _add_model(request: HttpRequest) -> str:
    post = request.POST
    currency = post.get("currency", "").strip().upper()
    try:
        base = Money.from_decimal(Decimal(post.get("base_value", "").strip()), currency or "EUR")
    except (InvalidOperation, MoneyError):
        raise invalid(
            "base_value", f"{post.get('base_value', '')!r} is not an amount like 249.00"
        ) from None
    made = services.tradein_model_create(
        actor=actor_for_user(request.user),  # type: ignore[arg-type]
        name=post.get("name", ""),
        base_value_minor=base.amount_minor,
        currency=currency,
        category=post.get("category", ""),
        brand=post.get("brand", ""),
        gtin=post.get("gtin", "").strip(),
    )
    return _("Added %(name)s at %(base)s.") % {"name": made.name, "base": base}


def tradein_queue_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """What waits for the trade-in centre (or one status), and the models we accept."""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "add_model":
                messages.success(request, _add_model(request))
            else:
                model = selectors.model_by_id(public_id=request.POST.get("model", ""))
                active = request.POST.get("active") == "1"
                services.tradein_model_set_active(
                    actor=actor_for_user(request.user),  # type: ignore[arg-type]
                    model=model,
                    active=active,
                )
                messages.success(
                    request,
                    (
                        _("%(name)s is taken in trade again.")
                        if active
                        else _("%(name)s is no longer taken in trade.")
                    )
                    % {"name": model.name},
                )
        except AgoraError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(reverse(QUEUE_URL))
    status = request.GET.get("status", "")
    try:
        rows = selectors.tradein_queue(status=status or None)
    except AgoraError as exc:
        messages.error(request, str(exc))
        status, rows = "", selectors.tradein_queue()
    context = {
        **site.each_context(request),
        "title": _("Trade-ins"),
        "rows": [tradein_view(t) for t in rows],
        "status": status,
        "statuses": TradeIn.Status.choices,
        "models": [
            {"m": m, "base": Money(m.base_value_minor, m.currency)} for m in selectors.models_all()
        ],
    }
    return TemplateResponse(request, "circular/tradein/console_queue.html", context)


def tradein_detail_view(site: AdminSite, request: HttpRequest, tradein_id: str) -> HttpResponse:
    """One trade-in: receive the parcel, inspect it, or record its return."""
    try:
        tradein = selectors.tradein_get(public_id=tradein_id)
    except AgoraError as exc:
        raise Http404(str(exc)) from exc
    chosen: dict[str, str] = dict(tradein.inspected_answers or tradein.answers)
    if request.method == "POST":
        actor = actor_for_user(request.user)  # type: ignore[arg-type]
        action = request.POST.get("action", "")
        try:
            if action == "receive":
                services.tradein_receive(actor=actor, tradein=tradein)
                done = _("Received.")
            elif action == "inspect":
                chosen = {q.key: request.POST.get(q.key, "") for q in pricing.QUESTIONS}
                tradein = services.tradein_inspect(
                    actor=actor, tradein=tradein, answers=chosen, note=request.POST.get("note", "")
                )
                done = (
                    _("Store credit of %(amount)s issued.")
                    % {"amount": Money(tradein.credited_minor or 0, tradein.currency)}
                    if tradein.status == TradeIn.Status.CREDITED
                    else _("Revised offer of %(amount)s sent to the buyer.")
                    % {"amount": Money(tradein.revised_offer_minor or 0, tradein.currency)}
                )
            elif action == "return":
                services.tradein_mark_returned(
                    actor=actor, tradein=tradein, note=request.POST.get("note", "")
                )
                done = _("Marked as returned.")
            else:
                raise invalid("action", f"{action!r} is not receive, inspect or return")
        except AgoraError as exc:
            messages.error(request, str(exc))
            tradein.refresh_from_db()
        else:
            messages.success(request, done)
            return HttpResponseRedirect(
                reverse("admin:operator_tradein_detail", args=[tradein.public_id])
            )
    view = tradein_view(tradein)
    context = {
        **site.each_context(request),
        **view,
        "title": _("Trade-in %(id)s") % {"id": tradein.public_id},
        "questions": _questions(chosen),
        "can_return": tradein.status == TradeIn.Status.REFUSED
        or (tradein.status == TradeIn.Status.EXPIRED and tradein.received_at is not None),
        "base": Money(tradein.base_value_minor, tradein.currency),
    }
    return TemplateResponse(request, "circular/tradein/console_detail.html", context)
