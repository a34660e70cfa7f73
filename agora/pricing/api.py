"""Price endpoints for sellers: set, withdraw, and read the history of a variant's prices."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field, StrictInt

from agora.api.auth import seller_auth
from agora.api.schemas import MoneyOut, StrictInput
from agora.api.scopes import require_scope
from agora.catalog.selectors import variant_get_for_seller
from agora.core.errors import not_found
from agora.pricing import selectors, services

router = Router(tags=["seller: prices"], auth=seller_auth)


class PriceSetIn(StrictInput):
    amount_minor: StrictInt = Field(ge=0, description="minor units: 1299 is 12.99 EUR")


class PriceChangeOut(Schema):
    currency: str
    amount_minor: int | None
    effective_at: datetime
    source: str


class PriceHistoryOut(Schema):
    variant: str
    items: list[PriceChangeOut]
    lowest_prior_30_days: dict[str, MoneyOut]


def _variant(request: HttpRequest, variant_id: str):  # type: ignore[no-untyped-def]
    variant = variant_get_for_seller(seller=request.seller, public_id=variant_id)  # type: ignore[attr-defined]
    if variant is None:
        raise not_found("variant", variant_id)
    return variant


@router.put(
    "/seller/variants/{variant_id}/prices/{currency}", response=MoneyOut, summary="Set a price"
)
def set_price(
    request: HttpRequest, variant_id: str, currency: str, payload: PriceSetIn
) -> MoneyOut:
    price = services.price_set(
        actor=request.actor,
        variant=_variant(request, variant_id),  # type: ignore[attr-defined]
        currency=currency,
        amount_minor=payload.amount_minor,
    )
    return MoneyOut.of(price.amount_minor, price.currency)


@router.delete(
    "/seller/variants/{variant_id}/prices/{currency}",
    response={204: None},
    summary="Withdraw a price",
)
def remove_price(request: HttpRequest, variant_id: str, currency: str) -> Status[None]:
    services.price_remove(
        actor=request.actor, variant=_variant(request, variant_id), currency=currency
    )  # type: ignore[attr-defined]
    return Status(204, None)


@router.get(
    "/seller/variants/{variant_id}/price-history", response=PriceHistoryOut, summary="Price history"
)
def price_history(request: HttpRequest, variant_id: str) -> PriceHistoryOut:
    require_scope(request, "pricing:read")
    variant = _variant(request, variant_id)
    rows = selectors.price_history(variant=variant)
    lowest = {}
    for currency in sorted({r.currency for r in rows}):
        amount = selectors.lowest_prior_price(variant=variant, currency=currency)
        if amount is not None:
            lowest[currency] = MoneyOut.of(amount, currency)
    return PriceHistoryOut(
        variant=variant.public_id,
        items=[
            PriceChangeOut(
                currency=r.currency,
                amount_minor=r.amount_minor,
                effective_at=r.effective_at,
                source=r.source,
            )
            for r in rows
        ],
        lowest_prior_30_days=lowest,
    )
