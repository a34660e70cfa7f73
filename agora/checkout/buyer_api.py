"""Buyer endpoints of checkout and orders (session auth with CSRF, see ``auth.py``).

``POST /checkout`` honours ``Idempotency-Key`` twice over: the API middleware replays the first
answer to the same session, and the key is also the checkout's own key, so a retry whose stored
answer was lost (a 5xx, a expired record) still finds the same checkout instead of a second one.
"""

from __future__ import annotations

import secrets
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import BaseModel, Field

from agora.api.schemas import MoneyOut, NoNulInput, StrictInput
from agora.checkout import buyer
from agora.checkout.auth import buyer_session_auth, request_cart
from agora.checkout.flow import checkout_confirm_3ds, checkout_start
from agora.checkout.flow.place import buyer_actor
from agora.checkout.models import Checkout
from agora.core.errors import AgoraError, not_found
from agora.fulfillment.api import ShipmentOut, shipment_out
from agora.fulfillment.selectors import shipment_list_for_order
from agora.orders.returns import ReturnLineDraft, return_request
from agora.orders.schemas import OrderOut, ReturnOut, ReturnRequestIn, order_out, return_out
from agora.orders.selectors import return_get_for_seller
from agora.payments.errors import PAYMENT_DECLINED

router = Router(tags=["buyer: checkout and orders"], auth=buyer_session_auth)


class CheckoutIn(StrictInput):
    shipping: dict[str, str] = Field(
        description="seller id → shipping method id", examples=[{"sel_…": "shm_…"}]
    )
    card: str = Field(
        "",
        max_length=64,
        description="card number or provider token; may be empty when store credit pays all",
        examples=["4242424242424242"],
    )
    email: str | None = Field(None, max_length=254, examples=["guest@example.org"])
    store_credit_minor: int = Field(
        0,
        ge=0,
        description="how much of the total to pay with the buyer's store credit (minor units)",
        examples=[0],
    )


class ThreeDSIn(StrictInput):
    result: Literal["pass", "fail"]


class CheckoutOrderOut(BaseModel):
    id: str
    seller: str
    total: MoneyOut
    status: str


class NextActionOut(BaseModel):
    type: str
    challenge_id: str
    url: str


class CheckoutPaymentOut(BaseModel):
    id: str
    status: str
    next_action: NextActionOut | None


class CheckoutOut(BaseModel):
    id: str
    state: str
    total: MoneyOut
    paid_with_store_credit: MoneyOut
    orders: list[CheckoutOrderOut]
    payment: CheckoutPaymentOut | None
    error: dict[str, Any] | None


class BuyerOrderOut(OrderOut):
    shipments: list[ShipmentOut]


class BuyerOrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None


class OrderFilters(NoNulInput):
    cursor: str | None = None
    limit: int = Field(20, ge=1, le=100)


def checkout_out(checkout: Checkout) -> CheckoutOut:
    intent = checkout.payment
    payment = None
    if intent is not None:
        action = None
        if intent.status == "requires_action":
            action = NextActionOut(
                type="3ds",
                challenge_id=intent.challenge_ref,
                url=f"/api/v1/checkout/{checkout.public_id}/3ds",
            )
        payment = CheckoutPaymentOut(id=intent.public_id, status=intent.status, next_action=action)
    return CheckoutOut(
        id=checkout.public_id,
        state=checkout.state,
        total=MoneyOut.of(checkout.amount_minor, checkout.currency),
        paid_with_store_credit=MoneyOut.of(intent.credit_minor if intent else 0, checkout.currency),
        orders=[
            CheckoutOrderOut(
                id=o.public_id,
                seller=o.seller.public_id,
                total=MoneyOut.of(o.total_minor, o.currency),
                status=o.status,
            )
            for o in buyer.checkout_orders(checkout)
        ],
        payment=payment,
        error=checkout.error,
    )


def _declined(checkout: Checkout) -> AgoraError:
    error = checkout.error or {}
    return AgoraError(
        PAYMENT_DECLINED,
        f"checkout {checkout.public_id}: {error.get('detail') or 'the payment was declined'}; "
        "its orders are cancelled and nothing was charged",
        extra={
            "decline_code": error.get("code", ""),
            "checkout": checkout_out(checkout).model_dump(mode="json"),
        },
    )


def _answer(checkout: Checkout, status: int) -> Status[CheckoutOut]:
    if checkout.state == Checkout.State.FAILED:
        raise _declined(checkout)
    return Status(status, checkout_out(checkout))


@router.post("/checkout", response={201: CheckoutOut}, summary="Check the cart out and pay")
def checkout_create(request: HttpRequest, payload: CheckoutIn) -> Status[CheckoutOut]:
    identity = request.auth  # type: ignore[attr-defined]
    key = request.headers.get("Idempotency-Key") or f"auto-{secrets.token_urlsafe(18)}"
    checkout = checkout_start(
        buyer=identity.user,
        cart=request_cart(request),
        shipping_choices=payload.shipping,
        card=payload.card,
        email=payload.email,
        idempotency_key=key,
        store_credit_minor=payload.store_credit_minor,
    )
    return _answer(checkout, 201)


def _checkout(request: HttpRequest, checkout_id: str) -> Checkout:
    found = buyer.checkout_get_for_owner(owner=buyer.request_owner(request), public_id=checkout_id)
    if found is None:
        raise not_found("checkout", checkout_id)
    return found


@router.get("/checkout/{checkout_id}", response=CheckoutOut, summary="A checkout and its orders")
def checkout_get(request: HttpRequest, checkout_id: str) -> CheckoutOut:
    return checkout_out(_checkout(request, checkout_id))


@router.post(
    "/checkout/{checkout_id}/3ds",
    response={200: CheckoutOut},
    summary="Complete the 3-D Secure challenge (the test provider takes pass or fail)",
)
def checkout_3ds(request: HttpRequest, checkout_id: str, payload: ThreeDSIn) -> Status[CheckoutOut]:
    checkout = checkout_confirm_3ds(
        checkout=_checkout(request, checkout_id), passed=payload.result == "pass"
    )
    return _answer(checkout, 200)


def _user(request: HttpRequest) -> object | None:
    return request.auth.user  # type: ignore[attr-defined]


@router.get("/me/orders", response=BuyerOrderPage, summary="My orders (newest first)")
def my_orders(request: HttpRequest, filters: Query[OrderFilters]) -> BuyerOrderPage:
    page = buyer.order_list_for_buyer(
        owner=buyer.request_owner(request),
        user=_user(request),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return BuyerOrderPage(items=[order_out(o) for o in page.items], next_cursor=page.next_cursor)


def _order(request: HttpRequest, order_id: str):  # type: ignore[no-untyped-def]
    order = buyer.order_get_for_buyer(
        owner=buyer.request_owner(request), user=_user(request), public_id=order_id
    )
    if order is None:
        raise not_found("order", order_id)
    return order


@router.get("/me/orders/{order_id}", response=BuyerOrderOut, summary="My order with its shipments")
def my_order(request: HttpRequest, order_id: str) -> BuyerOrderOut:
    order = _order(request, order_id)
    shipments = [shipment_out(s) for s in shipment_list_for_order(order=order)]
    return BuyerOrderOut(**order_out(order).model_dump(), shipments=shipments)


@router.post(
    "/me/orders/{order_id}/returns",
    response={201: ReturnOut},
    summary="Ask to return units of a delivered order",
)
def my_return(request: HttpRequest, order_id: str, payload: ReturnRequestIn) -> Status[ReturnOut]:
    order = _order(request, order_id)
    actor = buyer_actor(buyer=_user(request), owner=buyer.request_owner(request))
    if actor is None:  # _order found it, so this session owns it; kept for the type checker
        raise not_found("order", order_id)
    ret = return_request(
        actor=actor,
        order=order,
        lines=[ReturnLineDraft(line.line_no, line.quantity) for line in payload.lines],
        reason_code=payload.reason_code,
        details=payload.details,
    )
    return Status(
        201, return_out(return_get_for_seller(seller=order.seller, public_id=ret.public_id))
    )
