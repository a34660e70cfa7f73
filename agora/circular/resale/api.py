"""Resale over the seller API (issue 7 C2): the seller's resale requests (its own used goods;
for the platform resale seller also the items buyers send in), offering its own used goods,
and inspecting, rejecting and listing them. Seller key: ``catalog:read`` to read,
``catalog:write`` to change (checked by the services). Errors are problem documents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Status
from pydantic import BaseModel

from agora.api.auth import seller_auth
from agora.api.schemas import MoneyOut, NoNulInput, StrictInput
from agora.api.scopes import require_scope
from agora.circular.models import ResaleRequest
from agora.circular.resale import selectors, services
from agora.circular.resale.services import MAX_PRICE_MINOR

seller_router = Router(tags=["seller: resale"], auth=seller_auth)


# --- schemas ----------------------------------------------------------------------------------
class ResaleCheckOut(BaseModel):
    result: str
    note: str


class ResaleOut(BaseModel):
    id: str
    origin: str = Field(description="buyer: sent in by a buyer; seller: the seller's own goods")
    status: str = Field(description="requested -> inspected -> listed -> sold, or rejected")
    title: str
    original_product: str
    purchased_on: date | None
    price_paid: MoneyOut
    gtin: str
    serial: str
    digital_link: str = Field(description="the passport's GS1 Digital Link, when known")
    grade: str
    checklist: dict[str, ResaleCheckOut]
    photos: list[str]
    suggested_price: MoneyOut | None
    price: MoneyOut | None
    warranty_months: int | None
    inspected_by: str
    inspected_at: datetime | None
    product: str | None = Field(description="the listed product's id, once listed")
    variant: str | None
    listed_at: datetime | None
    sold_at: datetime | None
    created_at: datetime


class ResalePage(BaseModel):
    items: list[ResaleOut]
    next_cursor: str | None


def _money(amount: int | None, currency: str) -> MoneyOut | None:
    return None if amount is None else MoneyOut.of(amount, currency)


def resale_out(r: ResaleRequest) -> ResaleOut:
    c = r.currency
    return ResaleOut(
        id=r.public_id,
        origin=r.origin,
        status=r.status,
        title=r.title,
        original_product=r.original_product_id,
        purchased_on=r.purchased_on,
        price_paid=MoneyOut.of(r.price_paid_minor, c),
        gtin=r.gtin,
        serial=r.serial,
        digital_link=r.digital_link,
        grade=r.grade,
        checklist={k: ResaleCheckOut(**v) for k, v in (r.checklist or {}).items()},
        photos=list(r.photos or []),
        suggested_price=_money(r.suggested_price_minor, c),
        price=_money(r.price_minor, c),
        warranty_months=r.warranty_months,
        inspected_by=r.inspected_by,
        inspected_at=r.inspected_at,
        product=r.product.public_id if r.product_id else None,
        variant=r.variant.public_id if r.variant_id else None,
        listed_at=r.listed_at,
        sold_at=r.sold_at,
        created_at=r.created_at,
    )


class ResaleFilters(NoNulInput):
    status: ResaleRequest.Status | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=100)


class ResaleIn(StrictInput):
    """The seller's own used goods; it inspects and lists them itself."""

    title: str = Field(max_length=300, examples=["Demo espresso machine"])
    currency: str = Field(max_length=3, examples=["EUR"])
    original_price_minor: int = Field(
        gt=0, le=MAX_PRICE_MINOR, examples=[40000], description="what it cost new, in minor units"
    )
    purchased_on: date | None = Field(None, examples=["2025-07-01"])
    gtin: str = Field("", max_length=14, examples=["4006381333931"])
    original_product_id: str = Field("", max_length=40, examples=[""])


class ResaleCheckIn(StrictInput):
    result: Literal["pass", "fail"]
    note: str = Field("", max_length=500)


class ResaleInspectIn(StrictInput):
    grade: str = Field(max_length=1, examples=["B"], description="A, B or C")
    checklist: dict[str, ResaleCheckIn] = Field(
        examples=[{"function": {"result": "pass", "note": ""}, "cosmetic": {"result": "fail"}}],
        description="item -> result; at least one item",
    )
    photos: list[str] = Field(
        default_factory=list, max_length=20, examples=[["https://img.example.org/unit-1.jpg"]]
    )
    price_minor: int | None = Field(
        None,
        examples=[None],
        description="overrides the suggestion (minor units, never above the price paid)",
    )


class ResaleRejectIn(StrictInput):
    reason: str = Field(max_length=500, examples=["Screen cracked; not worth repairing"])


def _mine(request: HttpRequest, resale_id: str) -> ResaleRequest:
    return selectors.request_for_seller(seller=request.seller, public_id=resale_id)  # type: ignore[attr-defined]


# --- endpoints --------------------------------------------------------------------------------
@seller_router.get(
    "/seller/resale/requests", response=ResalePage, summary="My resale requests, newest first"
)
def resale_requests(request: HttpRequest, filters: Query[ResaleFilters]) -> ResalePage:
    require_scope(request, "catalog:read")
    page = selectors.requests_page(
        seller=request.seller,  # type: ignore[attr-defined]
        status=filters.status,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return ResalePage(items=[resale_out(r) for r in page.items], next_cursor=page.next_cursor)


@seller_router.post(
    "/seller/resale/requests", response={201: ResaleOut}, summary="Offer my own used goods"
)
def resale_create(request: HttpRequest, payload: ResaleIn) -> Status[ResaleOut]:
    made = services.resale_request_by_seller(
        actor=request.actor,  # type: ignore[attr-defined]
        seller=request.seller,  # type: ignore[attr-defined]
        **payload.model_dump(),
    )
    return Status(201, resale_out(made))


@seller_router.get(
    "/seller/resale/requests/{resale_id}", response=ResaleOut, summary="A resale request"
)
def resale_get(request: HttpRequest, resale_id: str) -> ResaleOut:
    require_scope(request, "catalog:read")
    return resale_out(_mine(request, resale_id))


@seller_router.post(
    "/seller/resale/requests/{resale_id}/inspect",
    response=ResaleOut,
    summary="Grade A/B/C with a checklist and photos; suggests the price and the warranty",
)
def resale_inspect(request: HttpRequest, resale_id: str, payload: ResaleInspectIn) -> ResaleOut:
    item = _mine(request, resale_id)
    checklist: dict[str, Any] = {k: v.model_dump() for k, v in payload.checklist.items()}
    item = services.resale_inspect(
        actor=request.actor,  # type: ignore[attr-defined]
        request=item,
        grade=payload.grade,
        checklist=checklist,
        photos=payload.photos,
        price_minor=payload.price_minor,
    )
    return resale_out(item)


@seller_router.post(
    "/seller/resale/requests/{resale_id}/reject",
    response=ResaleOut,
    summary="Reject at inspection (not listed; it goes back to its owner)",
)
def resale_reject(request: HttpRequest, resale_id: str, payload: ResaleRejectIn) -> ResaleOut:
    item = _mine(request, resale_id)
    item = services.resale_reject(actor=request.actor, request=item, reason=payload.reason)  # type: ignore[attr-defined]
    return resale_out(item)


@seller_router.post(
    "/seller/resale/requests/{resale_id}/list",
    response=ResaleOut,
    summary="List an inspected unit for sale (a published product with one unit in stock)",
)
def resale_list(request: HttpRequest, resale_id: str) -> ResaleOut:
    item = _mine(request, resale_id)
    return resale_out(services.resale_list(actor=request.actor, request=item))  # type: ignore[attr-defined]


router = Router(tags=["resale"])
router.add_router("", seller_router)
