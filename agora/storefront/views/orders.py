"""The buyer's orders: history, one order with its timeline and shipments, and asking to return
goods. Orders are found by checkout's buyer selectors, so a signed-in buyer sees their orders and
a guest sees the orders this browser session placed (the session's guest token is the owner),
and nobody sees anyone else's: another order id is a 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agora.checkout import buyer
from agora.checkout.flow.place import buyer_actor
from agora.circular.models import PackagingChoice
from agora.circular.packaging.selectors import choice_for_order
from agora.core.errors import AgoraError
from agora.fulfillment.models import Shipment
from agora.fulfillment.selectors import shipment_list_for_order
from agora.orders.models import Order, OrderReturn
from agora.orders.returns import ReturnLineDraft, return_request
from agora.orders.states import OrderState
from agora.payments.selectors import order_position
from agora.storefront.forms import ReturnForm, add_service_error
from agora.storefront.views.cart import as_buyer_request, buyer_of
from agora.sustainability.delivery.selectors import order_footprint

PAGE_SIZE = 20


def _owner(request: HttpRequest) -> str | None:
    return buyer.request_owner(as_buyer_request(request))


def _order_or_404(request: HttpRequest, order_id: str) -> Order:
    order = buyer.order_get_for_buyer(
        owner=_owner(request), user=buyer_of(request), public_id=order_id
    )
    if order is None:
        raise Http404("no such order")
    return order


def _money(amount_minor: int, currency: str) -> dict[str, Any]:
    return {"amount_minor": amount_minor, "currency": currency}


@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    owner, user = _owner(request), buyer_of(request)
    page = None
    if owner is not None or user is not None:
        page = buyer.order_list_for_buyer(
            owner=owner, user=user, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE
        )
    orders = [
        {
            "public_id": o.public_id,
            "seller": o.seller.display_name,
            "placed_at": o.placed_at,
            "status": o.status,
            "total": _money(o.total_minor, o.currency),
            "items": sum(line.quantity for line in o.lines.all()),
            "first_title": next((line.title for line in o.lines.all()), ""),
        }
        for o in (page.items if page else [])
    ]
    return render(
        request,
        "storefront/buy/orders.html",
        {"orders": orders, "next_cursor": page.next_cursor if page else None},
    )


def timeline(order: Order, shipments: list[Shipment], returns: list[OrderReturn]) -> list[dict]:
    """What happened to the order, oldest first: its own dates, every shipment's status reports
    and the returns. Read from the rows; nothing is inferred that they do not say."""
    events: list[dict[str, Any]] = [{"at": order.placed_at, "kind": "placed"}]
    if order.paid_at:
        events.append({"at": order.paid_at, "kind": "paid"})
    for shipment in shipments:
        for event in shipment.events.all():
            events.append(
                {
                    "at": event.at,
                    "kind": "shipment",
                    "status": event.status,
                    "shipment": shipment.public_id,
                    "note": event.note,
                }
            )
    for ret in returns:
        events.append({"at": ret.created_at, "kind": "return_requested", "return": ret.public_id})
        if ret.status != OrderReturn.Status.REQUESTED and ret.status_changed_at:
            events.append(
                {
                    "at": ret.status_changed_at,
                    "kind": "return",
                    "status": ret.status,
                    "return": ret.public_id,
                }
            )
    if order.delivered_at:
        events.append({"at": order.delivered_at, "kind": "delivered"})
    final = (OrderState.CANCELLED, OrderState.COMPLETED, OrderState.REFUNDED)
    if order.status in final and order.status_changed_at:
        events.append(
            {"at": order.status_changed_at, "kind": order.status, "note": order.cancel_reason}
        )
    return sorted(events, key=lambda e: e["at"] or datetime.min)


def _returns(order: Order) -> list[OrderReturn]:
    return list(order.returns.prefetch_related("lines__line").order_by("created_at", "id"))


def _packaging(order: Order) -> dict[str, Any] | None:
    """The reusable packaging deposit the buyer chose at checkout: amount, where it stands and,
    when it was refused, why in the buyer's words."""
    choice = choice_for_order(order.public_id)
    if choice is None:
        return None
    note = ""
    if choice.status == PackagingChoice.Status.DECLINED:
        if choice.decline_reason.startswith("authentication_required"):
            note = _(
                "Your card asks for 3-D Secure on every payment, which a deposit charged later "
                "cannot do; the order itself is paid and comes in ordinary packaging."
            )
        elif choice.decline_reason.startswith("no_card"):
            note = _("No card paid this order, so no deposit was charged.")
        elif choice.decline_reason.startswith("order_"):
            note = _("The order was cancelled before its deposit was charged.")
        else:
            note = _("Your card refused the deposit; the order comes in ordinary packaging.")
    return {
        "deposit": {"amount_minor": choice.deposit_minor, "currency": choice.currency},
        "status": choice.get_status_display(),
        "note": note,
    }


@require_GET
def order_detail(request: HttpRequest, order_id: str) -> HttpResponse:
    order = _order_or_404(request, order_id)
    shipments = shipment_list_for_order(order=order)
    returns = _returns(order)
    lines = list(order.lines.all())
    currency = order.currency
    position = order_position(
        order_ref=order.public_id, seller_ref=order.seller.public_id, currency=currency
    )
    return render(
        request,
        "storefront/buy/order_detail.html",
        {
            "order": order,
            "lines": [
                {
                    "line": line,
                    "unit": _money(line.unit_price_minor, currency),
                    "total": _money(line.total_minor, currency),
                }
                for line in lines
            ],
            "amounts": {
                "subtotal": _money(order.subtotal_minor, currency),
                "shipping": _money(order.shipping_minor, currency),
                "discount": _money(order.discount_minor, currency),
                "tax": _money(order.tax_minor, currency),
                "total": _money(order.total_minor, currency),
                "refunded": _money(order.refunded_minor, currency),
                "store_credit": _money(position.credit_captured_minor, currency),
            },
            "footprint": order_footprint(order_public_id=order.public_id),
            "packaging": _packaging(order),
            "shipments": shipments,
            "returns": returns,
            "timeline": timeline(order, shipments, returns),
            "can_return": order.status == OrderState.DELIVERED
            and any(line.quantity > line.returned_quantity for line in lines),
        },
    )


@require_http_methods(["GET", "POST"])
def order_return(request: HttpRequest, order_id: str) -> HttpResponse:
    """Asking to send units back, per line, with a reason; the seller approves or rejects."""
    order = _order_or_404(request, order_id)
    lines = list(order.lines.all())
    form = ReturnForm(request.POST or None, lines=lines)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            actor = buyer_actor(buyer=buyer_of(request), owner=_owner(request))
            if actor is None:
                raise Http404("no such order")
            try:
                ret = return_request(
                    actor=actor,
                    order=order,
                    lines=[ReturnLineDraft(no, qty) for no, qty in form.return_lines()],
                    reason_code=form.cleaned_data["reason_code"],
                    details=form.cleaned_data["details"],
                )
            except AgoraError as exc:
                index = {
                    f"lines[{i}].quantity": n
                    for i, (_l, n, _x) in enumerate(
                        [f for f in form.line_fields if form.cleaned_data.get(f[1])]
                    )
                }
                add_service_error(form, exc, index)
            else:
                messages.success(
                    request,
                    _("Your return request %(id)s was sent to the seller.") % {"id": ret.public_id},
                )
                return redirect("storefront:order_detail", order_id=order.public_id)
        status = 422
    return render(
        request,
        "storefront/buy/order_return.html",
        {
            "order": order,
            "form": form,
            "line_fields": [(li, form[n], left) for li, n, left in form.line_fields],
        },
        status=status,
    )
