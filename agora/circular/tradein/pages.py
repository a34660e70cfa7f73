"""The buyer's trade-in pages: "Trade in" (list + get a quote), one trade-in's detail (timeline,
label, shipped, revised offer), and the store-credit page. Thin: parse the form, call one
service or selector, say what happened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.accounts.services import actor_for_user
from agora.circular.models import TradeIn
from agora.circular.tradein import errors, label, pricing, selectors, services
from agora.core.errors import AgoraError
from agora.core.money import Money
from agora.payments.selectors import store_credit_balance, store_credit_history
from agora.storefront.preferences import display_currency

Status = TradeIn.Status


def _money(amount_minor: int | None, currency: str) -> Money | None:
    return None if amount_minor is None else Money(amount_minor, currency)


def tradein_view(t: TradeIn) -> dict[str, Any]:
    """What the pages show of a trade-in: its amounts as money and the answers as text."""

    def answered(answers: dict[str, str]) -> list[tuple[str, str]]:
        return [
            (str(q.text), str(q.answers[answers[q.key]][0]))
            for q in pricing.QUESTIONS
            if answers.get(q.key) in q.answers
        ]

    return {
        "t": t,
        "offer": _money(t.offer_minor, t.currency),
        "revised": _money(t.revised_offer_minor, t.currency),
        "credited": _money(t.credited_minor, t.currency),
        "inspected": _money(t.inspected_value_minor, t.currency),
        "answers": answered(t.answers),
        "inspected_answers": answered(t.inspected_answers or {}),
        "timeline": selectors.timeline(t),
        "label_ready": t.status in (Status.ACCEPTED, Status.SHIPPED),
    }


def _mine(request: HttpRequest, tradein_id: str) -> TradeIn:
    try:
        return selectors.tradein_for_buyer(buyer=request.user, public_id=tradein_id)
    except AgoraError as exc:
        raise Http404(str(exc)) from exc


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """The buyer's trade-ins and the quote form; a refused quote shows why on the same page,
    with the answers kept."""
    chosen: dict[str, str] = {}
    if request.method == "POST":
        chosen = {q.key: request.POST.get(q.key, "") for q in pricing.QUESTIONS}
        chosen["model"] = request.POST.get("model", "")
        try:
            model = selectors.model_get(public_id=chosen["model"])
            if model is None:
                raise AgoraError(
                    errors.TRADEIN_MODEL_UNAVAILABLE,
                    _("Choose the item you want to trade in from the list."),
                )
            made = services.tradein_quote(
                actor=actor_for_user(request.user),  # type: ignore[arg-type]
                buyer=request.user,
                model=model,
                answers={q.key: chosen[q.key] for q in pricing.QUESTIONS},
            )
        except AgoraError as exc:
            messages.error(request, _("No quote was made: %(why)s") % {"why": exc})
        else:
            messages.success(
                request,
                _("We offer %(offer)s for your %(item)s. Accept it before it expires.")
                % {"offer": Money(made.offer_minor, made.currency), "item": made.model.name},
            )
            return redirect("tradein:detail", tradein_id=made.public_id)
    rows = [tradein_view(t) for t in selectors.tradeins_for_buyer(buyer=request.user)[:100]]
    models = [
        {"m": m, "base": Money(m.base_value_minor, m.currency)} for m in selectors.models_active()
    ]
    questions = [
        {"key": q.key, "text": q.text, "answers": [(k, v[0]) for k, v in q.answers.items()]}
        for q in pricing.QUESTIONS
    ]
    context = {
        "rows": rows,
        "models": models,
        "questions": questions,
        "chosen": chosen,
        "tab": "tradein",
    }
    return render(request, "circular/tradein/mine.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, tradein_id: str) -> HttpResponse:
    view = tradein_view(_mine(request, tradein_id))
    return render(request, "circular/tradein/detail.html", {**view, "tab": "tradein"})


def _act(request: HttpRequest, tradein_id: str, action: Callable[..., TradeIn], done: str) -> Any:
    tradein = _mine(request, tradein_id)
    try:
        action(actor=actor_for_user(request.user), tradein=tradein)  # type: ignore[arg-type]
    except AgoraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("tradein:detail", tradein_id=tradein.public_id)


@login_required
@require_POST
def accept(request: HttpRequest, tradein_id: str) -> HttpResponse:
    return _act(
        request,
        tradein_id,
        services.tradein_accept,
        _("Offer accepted. Print the label and send us the item."),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, tradein_id: str) -> HttpResponse:
    return _act(request, tradein_id, services.tradein_cancel, _("Trade-in cancelled."))


@login_required
@require_POST
def ship(request: HttpRequest, tradein_id: str) -> HttpResponse:
    note = request.POST.get("note", "")

    def shipped(*, actor: Any, tradein: TradeIn) -> TradeIn:
        return services.tradein_ship(actor=actor, tradein=tradein, note=note)

    return _act(request, tradein_id, shipped, _("Thank you: we will tell you when it has arrived."))


@login_required
@require_POST
def accept_revised(request: HttpRequest, tradein_id: str) -> HttpResponse:
    return _act(
        request,
        tradein_id,
        services.tradein_accept_revised,
        _("Revised offer accepted: the store credit is in your account."),
    )


@login_required
@require_POST
def refuse_revised(request: HttpRequest, tradein_id: str) -> HttpResponse:
    return _act(
        request,
        tradein_id,
        services.tradein_refuse_revised,
        _("Revised offer refused: we will send the item back to you."),
    )


@login_required
@require_GET
def label_download(request: HttpRequest, tradein_id: str) -> HttpResponse:
    """The shipping label, once the offer is accepted (and until the parcel arrives)."""
    tradein = _mine(request, tradein_id)
    if tradein.status not in (Status.ACCEPTED, Status.SHIPPED):
        messages.error(
            request,
            _("The label is available after you accept the offer and until the item arrives."),
        )
        return redirect("tradein:detail", tradein_id=tradein.public_id)
    response = HttpResponse(label.label_pdf(tradein), content_type="application/pdf")
    name = f"agora-trade-in-{tradein.label_code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def store_credit(request: HttpRequest) -> HttpResponse:
    """The buyer's store credit per currency with its movements (grants, spends, returns)."""
    shown = display_currency(request)
    currencies = {shown} | set(
        selectors.tradeins_for_buyer(buyer=request.user).values_list("currency", flat=True)
    )
    accounts = []
    for currency in sorted(currencies):
        history = store_credit_history(buyer=request.user, currency=currency)
        balance = store_credit_balance(buyer=request.user, currency=currency)
        if balance or history or currency == shown:
            accounts.append(
                {
                    "currency": currency,
                    "balance": Money(balance, currency),
                    "history": [
                        {"m": m, "amount": Money(m.amount_minor, m.currency)} for m in history
                    ],
                }
            )
    return render(
        request, "circular/tradein/store_credit.html", {"accounts": accounts, "tab": "credit"}
    )
