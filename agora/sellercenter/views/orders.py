"""Orders to fulfil: the list by state, an order with its shipments, pick lists, creating a
shipment and reporting its status, and the packing slip."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.core.errors import AgoraError
from agora.fulfillment import selectors as fulfilment
from agora.fulfillment.services import ShipmentLineDraft, shipment_create, shipment_update
from agora.inventory.selectors import location_list
from agora.orders import selectors as orders
from agora.orders.models import Order
from agora.sellercenter import selectors
from agora.sellercenter.access import owned, seller_page
from agora.sellercenter.feedback import add_service_error, meaning
from agora.sellercenter.forms.orders import ShipmentForm, ShipmentStatusForm
from agora.sellercenter.views.common import INVALID, cursor_page, page

# The tabs of the order list: to fulfil first, then the rest of the life of an order.
TABS = ("to_fulfil", *Order.Status.values)


@seller_page("orders:read")
def order_list(request: HttpRequest) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    tab = request.GET.get("status") or "to_fulfil"
    if tab not in TABS:
        tab = "to_fulfil"
    if tab == "to_fulfil":
        rows = cursor_page(request, selectors.orders_to_fulfil, seller=seller)
    else:
        rows = cursor_page(
            request, orders.order_list_for_seller, seller=seller, status=tab, limit=25
        )
    counts = selectors.order_counts(seller=seller)
    counts["to_fulfil"] = sum(counts.get(s, 0) for s in selectors.TO_FULFIL)
    return page(
        request,
        "sellercenter/orders/list.html",
        _("Orders"),
        "orders",
        {
            "orders": rows.items,
            "next_cursor": rows.next_cursor,
            "tab": tab,
            "tabs": [(t, counts.get(t, 0)) for t in TABS],
        },
        partial="results",
    )


def _order(request: HttpRequest, order_id: str) -> Order:
    return owned(request, orders.order_get_for_seller, order_id)


def _detail(
    request: HttpRequest, order: Order, form: ShipmentForm | None = None, status: int = 200
) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    form = form or ShipmentForm(
        order=order, locations=location_list(seller=seller), carriers=selectors.carrier_choices()
    )
    return page(
        request,
        "sellercenter/orders/detail.html",
        _("Order %(id)s") % {"id": order.public_id},
        "orders",
        {
            "order": order,
            "shipments": fulfilment.shipment_list_for_order(order=order),
            "form": form,
            "status_form": ShipmentStatusForm(),
            "shippable": order.status in selectors.TO_FULFIL,
        },
        status=status,
    )


@seller_page("orders:read")
def order_detail(request: HttpRequest, order_id: str) -> HttpResponse:
    return _detail(request, _order(request, order_id))


@seller_page("orders:read")
def pick_list(request: HttpRequest, order_id: str | None = None) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    order = _order(request, order_id) if order_id else None
    title = _("Pick list for %(id)s") % {"id": order.public_id} if order else _("Pick list")
    return page(
        request,
        "sellercenter/orders/pick_list.html",
        title,
        "orders",
        {"order": order, "picks": selectors.pick_list(seller=seller, order=order)},
    )


@seller_page("orders:write")
@require_POST
def shipment_new(request: HttpRequest, order_id: str) -> HttpResponse:
    order = _order(request, order_id)
    desk = request.desk  # type: ignore[attr-defined]
    form = ShipmentForm(
        request.POST,
        order=order,
        locations=location_list(seller=desk.seller),
        carriers=selectors.carrier_choices(),
    )
    if form.is_valid():
        d = form.cleaned_data
        carrier = fulfilment.carrier_by_code(code=d["carrier"]) if d["carrier"] else None
        try:
            shipment_create(
                actor=desk.actor,
                order=order,
                location=d["location"],
                lines=[ShipmentLineDraft(n, q) for n, q in form.quantities()],
                carrier=carrier,
                tracking_number=d["tracking_number"],
            )
        except AgoraError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Shipment created."))
            return redirect("sellercenter:order_detail", order_id=order.public_id)
    return _detail(request, _order(request, order_id), form, status=INVALID)


@seller_page("orders:write")
@require_POST
def shipment_status(request: HttpRequest, shipment_id: str) -> HttpResponse:
    desk = request.desk  # type: ignore[attr-defined]
    shipment = owned(request, fulfilment.shipment_get_for_seller, shipment_id)
    form = ShipmentStatusForm(request.POST)
    if form.is_valid():
        try:
            shipment_update(
                actor=desk.actor,
                shipment=shipment,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except AgoraError as exc:
            messages.error(request, meaning(exc))
        else:
            messages.success(request, _("Shipment status saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("sellercenter:order_detail", order_id=shipment.order.public_id)


@seller_page("orders:read")
def packing_slip(request: HttpRequest, shipment_id: str) -> HttpResponse:
    shipment = owned(request, fulfilment.shipment_get_for_seller, shipment_id)
    return HttpResponse(fulfilment.packing_slip_html(shipment=shipment))
