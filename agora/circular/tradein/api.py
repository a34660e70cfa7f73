"""Trade-in REST endpoints: the public list of models and questions, and the signed-in buyer's
quotes and trade-ins (session with CSRF, or a buyer API key: ``buyer_session_auth``). Thin:
parse, call one service or selector, shape the answer; errors are problem+json."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Status
from pydantic import BaseModel

from agora.accounts.services import actor_for_user
from agora.api.schemas import MoneyOut, StrictInput
from agora.checkout.auth import buyer_session_auth
from agora.circular.models import TradeIn, TradeInModel
from agora.circular.tradein import errors, pricing, selectors, services
from agora.core.errors import UNAUTHENTICATED, AgoraError, invalid
from agora.core.money import MoneyError, normalize_currency
from agora.payments.selectors import store_credit_balance

router = Router(tags=["trade-in"])
buyer_router = Router(tags=["buyer: trade-in"], auth=buyer_session_auth)


class AnswerOut(BaseModel):
    value: str
    label: str
    multiplier: str  # exact decimal as a string, e.g. "0.80"


class QuestionOut(BaseModel):
    key: str
    text: str
    answers: list[AnswerOut]


class ModelOut(BaseModel):
    id: str
    name: str
    category: str
    brand: str
    gtin: str
    base_value: MoneyOut


class CatalogueOut(BaseModel):
    models: list[ModelOut]
    questions: list[QuestionOut]
    minimum_offer_minor: int


class TradeInOut(BaseModel):
    id: str
    status: str
    model: ModelOut
    answers: dict[str, str]
    offer: MoneyOut
    offer_expires_at: str
    label_code: str
    revised_offer: MoneyOut | None
    revised_expires_at: str | None
    reason: str
    credited: MoneyOut | None
    credit_transaction_id: str
    created_at: str


class QuoteIn(StrictInput):
    model: str = Field(max_length=40, examples=["tim_…"])
    answers: dict[str, str] = Field(
        examples=[
            {
                "powers_on": "yes",
                "screen_or_frame_damage": "minor",
                "battery_or_wear": "good",
                "accessories_complete": "yes",
            }
        ]
    )


class ShippedIn(StrictInput):
    note: str = Field("", max_length=200, examples=["DHL 00340434161234567890"])


class CreditOut(BaseModel):
    balance: MoneyOut


def model_out(m: TradeInModel) -> ModelOut:
    return ModelOut(
        id=m.public_id,
        name=m.name,
        category=m.category,
        brand=m.brand,
        gtin=m.gtin,
        base_value=MoneyOut.of(m.base_value_minor, m.currency),
    )


def tradein_out(t: TradeIn) -> TradeInOut:
    def money(amount: int | None) -> MoneyOut | None:
        return None if amount is None else MoneyOut.of(amount, t.currency)

    return TradeInOut(
        id=t.public_id,
        status=t.status,
        model=model_out(t.model),
        answers=t.answers,
        offer=MoneyOut.of(t.offer_minor, t.currency),
        offer_expires_at=t.offer_expires_at.isoformat(),
        label_code=t.label_code,
        revised_offer=money(t.revised_offer_minor),
        revised_expires_at=t.revised_expires_at.isoformat() if t.revised_expires_at else None,
        reason=t.reason,
        credited=money(t.credited_minor),
        credit_transaction_id=t.credit_transaction_id,
        created_at=t.created_at.isoformat(),
    )


@router.get("/trade-in/models", response=CatalogueOut, summary="What we take in trade")
def catalogue(request: HttpRequest) -> CatalogueOut:
    return CatalogueOut(
        models=[model_out(m) for m in selectors.models_active()],
        questions=[
            QuestionOut(
                key=q.key,
                text=str(q.text),
                answers=[
                    AnswerOut(value=k, label=str(label), multiplier=str(factor))
                    for k, (label, factor) in q.answers.items()
                ],
            )
            for q in pricing.QUESTIONS
        ],
        minimum_offer_minor=pricing.MINIMUM_OFFER_MINOR,
    )


def _buyer(request: HttpRequest) -> Any:
    user = request.auth.user  # type: ignore[attr-defined]
    if user is None:
        raise AgoraError(UNAUTHENTICATED, "sign in to trade in: trade-ins belong to an account")
    return user


def _mine(request: HttpRequest, tradein_id: str) -> tuple[Any, TradeIn]:
    buyer = _buyer(request)
    return buyer, selectors.tradein_for_buyer(buyer=buyer, public_id=tradein_id)


@buyer_router.post(
    "/trade-ins", response={201: TradeInOut}, summary="Ask for a quote (an offer valid N days)"
)
def quote(request: HttpRequest, payload: QuoteIn) -> Status[TradeInOut]:
    buyer = _buyer(request)
    model = selectors.model_get(public_id=payload.model)
    if model is None:
        raise AgoraError(
            errors.TRADEIN_MODEL_UNAVAILABLE, f"trade-in model {payload.model!r} is not one we take"
        )
    made = services.tradein_quote(
        actor=actor_for_user(buyer), buyer=buyer, model=model, answers=payload.answers
    )
    return Status(201, tradein_out(made))


@buyer_router.get("/trade-ins", response=list[TradeInOut], summary="My trade-ins (newest first)")
def my_tradeins(request: HttpRequest) -> list[TradeInOut]:
    return [tradein_out(t) for t in selectors.tradeins_for_buyer(buyer=_buyer(request))[:100]]


@buyer_router.get("/trade-ins/{tradein_id}", response=TradeInOut, summary="My trade-in")
def my_tradein(request: HttpRequest, tradein_id: str) -> TradeInOut:
    return tradein_out(_mine(request, tradein_id)[1])


def _step(request: HttpRequest, tradein_id: str, service: Any, **kwargs: Any) -> TradeInOut:
    buyer, tradein = _mine(request, tradein_id)
    return tradein_out(service(actor=actor_for_user(buyer), tradein=tradein, **kwargs))


@buyer_router.post(
    "/trade-ins/{tradein_id}/accept", response=TradeInOut, summary="Accept the offer"
)
def accept(request: HttpRequest, tradein_id: str) -> TradeInOut:
    return _step(request, tradein_id, services.tradein_accept)


@buyer_router.post(
    "/trade-ins/{tradein_id}/cancel", response=TradeInOut, summary="Cancel before shipping"
)
def cancel(request: HttpRequest, tradein_id: str) -> TradeInOut:
    return _step(request, tradein_id, services.tradein_cancel)


@buyer_router.post(
    "/trade-ins/{tradein_id}/shipped", response=TradeInOut, summary="I have shipped it"
)
def shipped(request: HttpRequest, tradein_id: str, payload: ShippedIn) -> TradeInOut:
    return _step(request, tradein_id, services.tradein_ship, note=payload.note)


@buyer_router.post(
    "/trade-ins/{tradein_id}/revised/accept",
    response=TradeInOut,
    summary="Accept the revised offer (store credit at once)",
)
def revised_accept(request: HttpRequest, tradein_id: str) -> TradeInOut:
    return _step(request, tradein_id, services.tradein_accept_revised)


@buyer_router.post(
    "/trade-ins/{tradein_id}/revised/refuse",
    response=TradeInOut,
    summary="Refuse the revised offer (the item is sent back)",
)
def revised_refuse(request: HttpRequest, tradein_id: str) -> TradeInOut:
    return _step(request, tradein_id, services.tradein_refuse_revised)


@buyer_router.get("/me/store-credit", response=CreditOut, summary="My store credit balance")
def my_credit(request: HttpRequest, currency: str = "EUR") -> CreditOut:
    try:
        currency = normalize_currency(currency)
    except MoneyError as exc:
        raise invalid("currency", str(exc)) from None
    balance = store_credit_balance(buyer=_buyer(request), currency=currency)
    return CreditOut(balance=MoneyOut.of(balance, currency))


router.add_router("", buyer_router)
