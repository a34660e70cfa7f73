"""Reviews, reports and the transparency report over the API. Reading reviews and the
transparency report needs no key; writing a review or a report uses the buyer's session with
CSRF, like the cart (a guest may report, only a verified buyer may review)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Status
from pydantic import BaseModel

from agora.api.schemas import StrictInput
from agora.checkout.auth import buyer_session_auth
from agora.core.errors import invalid
from agora.trust.models import Notice, TargetKind
from agora.trust.reporters import reporter_ref
from agora.trust.selectors import (
    Period,
    author_name,
    default_period,
    product_reviews_summary,
    transparency,
)
from agora.trust.services import notice_submit, review_post

router = Router(tags=["trust"])


class ReviewOut(BaseModel):
    id: str
    author: str
    rating: int
    title: str
    body: str = Field(description="plain text as written; escape it when showing it as HTML")
    created_at: datetime


class ReviewsOut(BaseModel):
    count: int
    average: Decimal | None
    reviews: list[ReviewOut]


class ReviewIn(StrictInput):
    rating: int = Field(ge=1, le=5, examples=[5])
    title: str = Field(min_length=1, max_length=120, examples=["Keeps tea hot"])
    body: str = Field(min_length=1, max_length=5000, examples=["Bought two; both arrived fine."])


class ReportIn(StrictInput):
    target_kind: TargetKind = Field(examples=["product"])
    target_id: str = Field(max_length=40, examples=["prod_01J0000000000000000000000"])
    reason: Notice.Reason = Field(examples=["counterfeit"])
    explanation: str = Field(min_length=1, max_length=5000, examples=["The logo is fake."])


class ReportOut(BaseModel):
    id: str
    status: str
    created: bool = Field(description="false when this reporter's open report was returned")
    outcome: str | None = Field(description="the decision's action once decided")


class TransparencyOut(BaseModel):
    period_start: datetime
    period_end: datetime
    notices_total: int
    notices_by_reason: dict[str, int]
    decisions_total: int
    decisions_by_action: dict[str, int]
    decisions_reversed: int
    decisions_automated: int
    appeals_total: int
    appeals_by_outcome: dict[str, int]
    appeals_by_party: dict[str, int] = Field(
        description="appeals by the affected party and by notifiers (against 'no action')"
    )
    median_hours_to_decision: float | None


@router.get("/products/{product_id}/reviews", response=ReviewsOut, summary="A product's reviews")
def reviews_get(request: HttpRequest, product_id: str) -> dict:
    found = product_reviews_summary(product_id, request.LANGUAGE_CODE)
    return found or {"count": 0, "average": None, "reviews": []}


@router.put(
    "/products/{product_id}/review",
    response=ReviewOut,
    auth=buyer_session_auth,
    summary="Write or edit my review (verified buyers only)",
)
def review_put(request: HttpRequest, product_id: str, payload: ReviewIn) -> dict:
    review = review_post(
        user=request.user,
        product_public_id=product_id,
        rating=payload.rating,
        title=payload.title,
        body=payload.body,
    )
    return {
        "id": review.public_id,
        "author": author_name(review.author),
        "rating": review.rating,
        "title": review.title,
        "body": review.body,
        "created_at": review.created_at,
    }


@router.post(
    "/reports",
    response={200: ReportOut, 201: ReportOut},
    auth=buyer_session_auth,
    summary="Report a review, product or seller (notice and action)",
)
def report_post(request: HttpRequest, payload: ReportIn) -> Status:
    notice, created = notice_submit(
        reporter=request.user,
        reporter_ref=reporter_ref(request),
        target_kind=payload.target_kind.value,
        target_id=payload.target_id,
        reason=payload.reason.value,
        explanation=payload.explanation,
    )
    return Status(
        201 if created else 200,
        ReportOut(
            id=notice.public_id,
            status=notice.status,
            created=created,
            outcome=notice.decision.action if notice.decision_id else None,
        ),
    )


@router.get(
    "/transparency",
    response=TransparencyOut,
    summary="Transparency report: notices, decisions and appeals (EU DSA Art. 15/24)",
)
def transparency_get(
    request: HttpRequest, start: datetime | None = None, end: datetime | None = None
) -> dict:
    period = default_period()
    chosen = Period(start or (end or period.end) - (period.end - period.start), end or period.end)
    if chosen.start.tzinfo is None or chosen.end.tzinfo is None:
        raise invalid("start", "give times with a time zone, e.g. 2026-01-01T00:00:00Z")
    if chosen.start >= chosen.end:
        raise invalid("start", "must be before end")
    return transparency(chosen)
