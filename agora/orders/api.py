"""Seller endpoints of orders and returns. Buyer endpoints come with checkout (session auth)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import Field

from agora.api.auth import seller_auth
from agora.api.schemas import NoNulInput
from agora.api.scopes import require_scope
from agora.core.errors import invalid, not_found
from agora.inventory.models import StockLocation
from agora.inventory.selectors import location_get_for_seller
from agora.orders import returns, selectors, services
from agora.orders.models import Order, OrderReturn
from agora.orders.schemas import (
    CancelIn,
    OrderOut,
    OrderPage,
    ReturnApproveIn,
    ReturnOut,
    ReturnPage,
    ReturnReceiveIn,
    ReturnRejectIn,
    ReturnRequestIn,
    order_out,
    return_out,
)
from agora.orders.selectors import order_require_for_seller

router = Router(tags=["seller: orders"], auth=seller_auth)


class OrderFilters(NoNulInput):
    status: Order.Status | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=100)


class ReturnFilters(NoNulInput):
    status: OrderReturn.Status | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=100)


def _order(request: HttpRequest, order_id: str) -> Order:
    return order_require_for_seller(seller=request.seller, public_id=order_id)  # type: ignore[attr-defined]


def _return(request: HttpRequest, return_id: str) -> OrderReturn:
    ret = selectors.return_get_for_seller(seller=request.seller, public_id=return_id)  # type: ignore[attr-defined]
    if ret is None:
        raise not_found("return", return_id)
    return ret


@router.get("/seller/orders", response=OrderPage, summary="List the seller's orders")
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> OrderPage:
    require_scope(request, "orders:read")
    page = selectors.order_list_for_seller(
        seller=request.seller,  # type: ignore[attr-defined]
        status=filters.status,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return OrderPage(items=[order_out(o) for o in page.items], next_cursor=page.next_cursor)


@router.get("/seller/orders/{order_id}", response=OrderOut, summary="Get an order")
def get_order(request: HttpRequest, order_id: str) -> OrderOut:
    require_scope(request, "orders:read")
    return order_out(_order(request, order_id))


@router.post("/seller/orders/{order_id}/cancel", response=OrderOut, summary="Cancel an order")
def cancel_order(request: HttpRequest, order_id: str, payload: CancelIn) -> OrderOut:
    order = _order(request, order_id)
    services.order_cancel(actor=request.actor, order=order, reason=payload.reason)  # type: ignore[attr-defined]
    return order_out(_order(request, order_id))


@router.post(
    "/seller/orders/{order_id}/returns",
    response={201: ReturnOut},
    summary="Open a return for a delivered order (on the buyer's behalf)",
)
def request_return(
    request: HttpRequest, order_id: str, payload: ReturnRequestIn
) -> Status[ReturnOut]:
    ret = returns.return_request(
        actor=request.actor,  # type: ignore[attr-defined]
        order=_order(request, order_id),
        lines=[returns.ReturnLineDraft(line.line_no, line.quantity) for line in payload.lines],
        reason_code=payload.reason_code,
        details=payload.details,
    )
    return Status(201, return_out(_return(request, ret.public_id)))


@router.get("/seller/returns", response=ReturnPage, summary="List the seller's returns")
def list_returns(request: HttpRequest, filters: Query[ReturnFilters]) -> ReturnPage:
    require_scope(request, "orders:read")
    page = selectors.return_list_for_seller(
        seller=request.seller,  # type: ignore[attr-defined]
        status=filters.status,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return ReturnPage(items=[return_out(r) for r in page.items], next_cursor=page.next_cursor)


@router.get("/seller/returns/{return_id}", response=ReturnOut, summary="Get a return")
def get_return(request: HttpRequest, return_id: str) -> ReturnOut:
    require_scope(request, "orders:read")
    return return_out(_return(request, return_id))


@router.post("/seller/returns/{return_id}/approve", response=ReturnOut, summary="Approve")
def approve_return(request: HttpRequest, return_id: str, payload: ReturnApproveIn) -> ReturnOut:
    ret = _return(request, return_id)
    returns.return_approve(actor=request.actor, order_return=ret, note=payload.note)  # type: ignore[attr-defined]
    return return_out(_return(request, return_id))


@router.post("/seller/returns/{return_id}/reject", response=ReturnOut, summary="Reject")
def reject_return(request: HttpRequest, return_id: str, payload: ReturnRejectIn) -> ReturnOut:
    ret = _return(request, return_id)
    returns.return_reject(actor=request.actor, order_return=ret, reason=payload.reason)  # type: ignore[attr-defined]
    return return_out(_return(request, return_id))


def _location(request: HttpRequest, public_id: str | None, at: str) -> StockLocation | None:
    if public_id is None:
        return None
    location = location_get_for_seller(seller=request.seller, public_id=public_id)  # type: ignore[attr-defined]
    if location is None:
        raise invalid(at, f"no stock location {public_id!r} of this seller")
    return location


@router.post(
    "/seller/returns/{return_id}/receive",
    response=ReturnOut,
    summary="Receive the goods: restock or write off each line",
)
def receive_return(request: HttpRequest, return_id: str, payload: ReturnReceiveIn) -> ReturnOut:
    ret = _return(request, return_id)
    decisions = [
        returns.ReturnReceipt(
            line_no=line.line_no,
            disposition=line.disposition,
            condition=line.condition or "",
            location=_location(request, line.location, f"lines[{i}].location"),
        )
        for i, line in enumerate(payload.lines)
    ]
    returns.return_receive(actor=request.actor, order_return=ret, lines=decisions)  # type: ignore[attr-defined]
    return return_out(_return(request, return_id))
