"""Private statistics over the API (seller key, ``orders:read``): the noisy sales of a month by
the buyers' ship-to country and region. The first request about a month spends ε from the
month's budget; asking again returns the stored figures and spends nothing, so the GET is safe
to repeat. A request that would pass the budget answers 409 ``privacy-budget-spent``."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router
from pydantic import BaseModel

from agora.api.auth import seller_auth
from agora.api.schemas import NoNulInput
from agora.api.scopes import require_scope
from agora.core import clock
from agora.privacy.dp import services

router = Router(tags=["seller: insights"], auth=seller_auth)


class InsightsQuery(NoNulInput):
    month: str | None = Field(
        None, description="YYYY-MM; the running month when omitted", examples=["2026-03"]
    )
    epsilon: str | None = Field(
        None,
        description="ε of this release (one of the offered values; the default when omitted)",
        examples=["0.5"],
    )


class CellOut(BaseModel):
    cell: str = Field(description="ISO country code or region code ('other': anything else)")
    orders: int = Field(description="noisy count of orders, never the true one; 0 when negative")
    units: int = Field(description="noisy count of units; 0 when negative")


class NoiseOut(BaseModel):
    sensitivity: int = Field(description="most one buyer can add to the table (K or U)")
    epsilon: float
    scale: float = Field(description="scale of the discrete Laplace noise")
    accuracy95: float = Field(description="the noise stays within ± this with 95% probability")


class SalesByRegionOut(BaseModel):
    month: str
    released_at: datetime
    fresh: bool = Field(description="true when this request spent ε; false: the stored release")
    epsilon: float = Field(description="ε this release spent (once)")
    epsilon_budget: float
    epsilon_spent: float = Field(description="ε spent on this month, this release included")
    epsilon_remaining: float
    orders_noise: NoiseOut
    units_noise: NoiseOut
    countries: list[CellOut]
    regions: list[CellOut] = Field(description="the countries' noisy figures summed")


def _noise(result: dict, part: str) -> NoiseOut:
    return NoiseOut(
        sensitivity=result["sensitivity"][part],
        epsilon=result["epsilon"][part],
        scale=result["scale"][part],
        accuracy95=result["accuracy95"][part],
    )


@router.get(
    "/seller/insights/sales-by-region",
    response=SalesByRegionOut,
    summary="My sales of a month by buyer country and region, with differential privacy",
)
def sales_by_region(request: HttpRequest, query: Query[InsightsQuery]) -> SalesByRegionOut:
    require_scope(request, "orders:read")
    month = query.month or clock.now().strftime("%Y-%m")
    release = services.release(
        actor=request.actor,  # type: ignore[attr-defined]
        seller=request.seller,  # type: ignore[attr-defined]
        query="sales-by-region",
        month=month,
        epsilon=query.epsilon,
    )
    result = release.result
    return SalesByRegionOut(
        month=month,
        released_at=release.entry.created_at,
        fresh=release.fresh,
        epsilon=float(release.entry.epsilon),
        epsilon_budget=float(release.limit),
        epsilon_spent=float(release.spent),
        epsilon_remaining=float(release.remaining),
        orders_noise=_noise(result, "orders"),
        units_noise=_noise(result, "units"),
        countries=[CellOut(**row) for row in services.rows_of(result)],
        regions=[CellOut(**row) for row in services.regions_of(result)],
    )
