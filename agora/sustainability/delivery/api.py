"""Delivery modes over the API: the factor table anyone can read (every figure with its source),
and a seller's say over which modes a shipping method's parcels take (seller key, the shipping
scopes: ``orders:read`` to read, ``orders:write`` to set)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router
from pydantic import BaseModel

from agora.api.auth import seller_auth
from agora.api.schemas import StrictInput
from agora.api.scopes import require_scope
from agora.checkout import shipping
from agora.checkout.models import ShippingMethod
from agora.core.errors import not_found
from agora.sustainability.delivery.calc import LegPlan
from agora.sustainability.delivery.selectors import method_legs
from agora.sustainability.delivery.services import SCOPE_WRITE, method_legs_set
from agora.sustainability.factors import load_factors

router = Router(tags=["sustainability"])
seller_router = Router(tags=["seller: sustainability"], auth=seller_auth)
SCOPE_READ = "orders:read"


class ModeOut(BaseModel):
    mode: str
    label: str
    kg_co2e_per_tonne_km: str = Field(description="well-to-wheel (TTW + WTT), as a decimal")
    scope: str
    source: str


class LegOut(BaseModel):
    mode: str
    share: str = Field(description="share of the door-to-door distance, as a decimal")
    distance_km: str | None


class MethodLegsOut(BaseModel):
    method: str
    name: str
    inferred: bool = Field(description="true: guessed from the method's name, not set by you")
    legs: list[LegOut]


class LegIn(StrictInput):
    mode: str = Field(max_length=40, examples=["rail_freight"])
    share: Decimal = Field(Decimal(1), gt=0, le=1, max_digits=6, examples=["0.9"])
    distance_km: Decimal | None = Field(None, gt=0, max_digits=9, decimal_places=3)


class MethodLegsIn(StrictInput):
    legs: list[LegIn] = Field(
        min_length=1,
        max_length=6,
        examples=[
            [{"mode": "rail_freight", "share": "0.9"}, {"mode": "van_diesel", "share": "0.1"}]
        ],
    )


@router.get(
    "/delivery-modes",
    response=list[ModeOut],
    summary="Transport modes and their emission factors, with sources",
)
def delivery_modes(request: HttpRequest) -> list[ModeOut]:
    return [
        ModeOut(
            mode=f.mode,
            label=f.label,
            kg_co2e_per_tonne_km=str(f.value),
            scope=f.scope,
            source=f.source,
        )
        for f in load_factors().values()
    ]


def _method(request: HttpRequest, method_id: str) -> ShippingMethod:
    method = shipping.method_get_for_seller(seller=request.seller, public_id=method_id)  # type: ignore[attr-defined]
    if method is None:
        raise not_found("shipping method", method_id)
    return method


def _out(method: ShippingMethod) -> MethodLegsOut:
    legs = method_legs([(method.public_id, method.name, method.carrier_code)])[method.public_id]
    return MethodLegsOut(
        method=method.public_id,
        name=method.name,
        inferred=legs.inferred,
        legs=[
            LegOut(
                mode=leg.mode,
                share=str(leg.share),
                distance_km=str(leg.distance_km) if leg.distance_km is not None else None,
            )
            for leg in legs.legs
        ],
    )


@seller_router.get(
    "/seller/shipping/methods/{method_id}/legs",
    response=MethodLegsOut,
    summary="Which modes the method's parcels take (for their carbon footprint)",
)
def legs_get(request: HttpRequest, method_id: str) -> MethodLegsOut:
    require_scope(request, SCOPE_READ)
    return _out(_method(request, method_id))


@seller_router.put(
    "/seller/shipping/methods/{method_id}/legs",
    response=MethodLegsOut,
    summary="Set the modes the method's parcels take",
)
def legs_put(request: HttpRequest, method_id: str, payload: MethodLegsIn) -> MethodLegsOut:
    require_scope(request, SCOPE_WRITE)
    method = _method(request, method_id)
    method_legs_set(
        actor=request.actor,  # type: ignore[attr-defined]
        method=method,
        legs=[LegPlan(leg.mode, leg.share, leg.distance_km) for leg in payload.legs],
    )
    return _out(method)
