"""Seller endpoints of money: refund a received return, the balance from the ledger, payouts."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import BaseModel, Field, StrictInt

from agora.api.auth import seller_auth
from agora.api.schemas import MoneyOut, StrictInput
from agora.api.scopes import require_scope
from agora.core.errors import not_found
from agora.orders import selectors as order_selectors
from agora.orders.schemas import ReturnOut, return_out
from agora.payments.models import LedgerAccount, Payout
from agora.payments.returns import return_refund
from agora.payments.selectors import seller_balance
from agora.payments.services import payout_create

router = Router(tags=["seller: money"], auth=seller_auth)


class ReturnRefundIn(StrictInput):
    amount_minor: StrictInt | None = Field(
        None,
        ge=1,
        description="less than the return's value (e.g. a damaged item); all of it when left out",
    )


class BalanceOut(BaseModel):
    currency: str
    in_escrow: MoneyOut
    payable: MoneyOut
    paid_out: MoneyOut


class BalancesOut(BaseModel):
    balances: list[BalanceOut]


class PayoutIn(StrictInput):
    currency: str = Field(max_length=3, examples=["EUR"])


class PayoutOut(BaseModel):
    id: str
    amount: MoneyOut
    created_at: datetime


@router.post(
    "/seller/returns/{return_id}/refund",
    response=ReturnOut,
    summary="Refund a received return (Idempotency-Key honoured; the refund is keyed by return)",
)
def refund_return(request: HttpRequest, return_id: str, payload: ReturnRefundIn) -> ReturnOut:
    seller = request.seller  # type: ignore[attr-defined]
    ret = order_selectors.return_get_for_seller(seller=seller, public_id=return_id)
    if ret is None:
        raise not_found("return", return_id)
    return_refund(actor=request.actor, order_return=ret, amount_minor=payload.amount_minor)  # type: ignore[attr-defined]
    return return_out(order_selectors.return_get_for_seller(seller=seller, public_id=return_id))


@router.get("/seller/balance", response=BalancesOut, summary="Money in escrow, payable, paid out")
def balance(request: HttpRequest) -> BalancesOut:
    require_scope(request, "orders:read")
    seller = request.seller  # type: ignore[attr-defined]
    currencies = sorted(
        set(LedgerAccount.objects.filter(seller=seller).values_list("currency", flat=True))
    )
    out = []
    for currency in currencies:
        b = seller_balance(seller=seller, currency=currency)
        out.append(
            BalanceOut(
                currency=currency,
                in_escrow=MoneyOut.of(b.in_escrow_minor, currency),
                payable=MoneyOut.of(b.payable_minor, currency),
                paid_out=MoneyOut.of(b.paid_out_minor, currency),
            )
        )
    return BalancesOut(balances=out)


@router.post("/seller/payouts", response={201: PayoutOut}, summary="Pay out the payable balance")
def payout(request: HttpRequest, payload: PayoutIn) -> Status[PayoutOut]:
    created: Payout = payout_create(
        actor=request.actor,  # type: ignore[attr-defined]
        seller=request.seller,  # type: ignore[attr-defined]
        currency=payload.currency.upper(),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(
        201,
        PayoutOut(
            id=created.public_id,
            amount=MoneyOut.of(created.amount_minor, created.currency),
            created_at=created.created_at,
        ),
    )
