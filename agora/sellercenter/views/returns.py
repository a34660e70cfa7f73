"""Returns: the list, approve or reject with a reason, receive (restock or write off each line),
and refund the received goods through payments."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.core.errors import AgoraError
from agora.inventory.selectors import location_list
from agora.orders import selectors as orders
from agora.orders.models import OrderReturn
from agora.orders.returns import ReturnReceipt, return_approve, return_receive, return_reject
from agora.payments.returns import return_refund, return_value_minor
from agora.sellercenter.access import owned, seller_page
from agora.sellercenter.feedback import add_service_error
from agora.sellercenter.forms.orders import RefundForm, ReturnDecisionForm, ReturnReceiveForm
from agora.sellercenter.views.common import INVALID, cursor_page, page

TABS = ("", *OrderReturn.Status.values)


@seller_page("orders:read")
def return_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in TABS:
        status = ""
    rows = cursor_page(
        request,
        orders.return_list_for_seller,
        seller=request.desk.seller,  # type: ignore[attr-defined]
        status=status or None,
        limit=25,
    )
    return page(
        request,
        "sellercenter/returns/list.html",
        _("Returns"),
        "returns",
        {"returns": rows.items, "next_cursor": rows.next_cursor, "status": status, "tabs": TABS},
        partial="results",
    )


def _return(request: HttpRequest, return_id: str) -> OrderReturn:
    return owned(request, orders.return_get_for_seller, return_id)


def _detail(
    request: HttpRequest,
    ret: OrderReturn,
    *,
    decision: ReturnDecisionForm | None = None,
    receive: ReturnReceiveForm | None = None,
    refund: RefundForm | None = None,
    status: int = 200,
) -> HttpResponse:
    locations = location_list(seller=request.desk.seller)  # type: ignore[attr-defined]
    return page(
        request,
        "sellercenter/returns/detail.html",
        _("Return %(id)s") % {"id": ret.public_id},
        "returns",
        {
            "ret": ret,
            "value_minor": return_value_minor(ret),
            "decision_form": decision or ReturnDecisionForm(),
            "receive_form": receive or ReturnReceiveForm(order_return=ret, locations=locations),
            "refund_form": refund or RefundForm(currency=ret.order.currency),
        },
        status=status,
    )


@seller_page("orders:read")
def return_detail(request: HttpRequest, return_id: str) -> HttpResponse:
    return _detail(request, _return(request, return_id))


@seller_page("orders:write")
@require_POST
def return_decide(request: HttpRequest, return_id: str, decision: str) -> HttpResponse:
    ret = _return(request, return_id)
    form = ReturnDecisionForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        if decision == "reject" and not note.strip():
            form.add_error("note", _("Say why you reject the return."))
        else:
            actor = request.desk.actor  # type: ignore[attr-defined]
            try:
                if decision == "approve":
                    return_approve(actor=actor, order_return=ret, note=note)
                    messages.success(request, _("Return approved."))
                else:
                    return_reject(actor=actor, order_return=ret, reason=note)
                    messages.success(request, _("Return rejected."))
            except AgoraError as exc:
                add_service_error(form, exc, {"reason": "note"})
            else:
                return redirect("sellercenter:return_detail", return_id=ret.public_id)
    return _detail(request, ret, decision=form, status=INVALID)


@seller_page("orders:write")
@require_POST
def return_receive_view(request: HttpRequest, return_id: str) -> HttpResponse:
    ret = _return(request, return_id)
    form = ReturnReceiveForm(
        request.POST,
        order_return=ret,
        locations=location_list(seller=request.desk.seller),  # type: ignore[attr-defined]
    )
    if form.is_valid():
        try:
            return_receive(
                actor=request.desk.actor,  # type: ignore[attr-defined]
                order_return=ret,
                lines=[
                    ReturnReceipt(line_no=n, disposition=d, condition=c, location=loc)
                    for n, d, c, loc in form.decisions()
                ],
            )
        except AgoraError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Return received."))
            return redirect("sellercenter:return_detail", return_id=ret.public_id)
    return _detail(request, ret, receive=form, status=INVALID)


@seller_page("orders:write")
@require_POST
def return_refund_view(request: HttpRequest, return_id: str) -> HttpResponse:
    ret = _return(request, return_id)
    form = RefundForm(request.POST, currency=ret.order.currency)
    if form.is_valid():
        try:
            return_refund(
                actor=request.desk.actor,  # type: ignore[attr-defined]
                order_return=ret,
                amount_minor=form.cleaned_data["amount"],
            )
        except AgoraError as exc:
            add_service_error(form, exc, {"amount_minor": "amount"})
        else:
            messages.success(request, _("Refund issued."))
            return redirect("sellercenter:return_detail", return_id=ret.public_id)
    return _detail(request, ret, refund=form, status=INVALID)
