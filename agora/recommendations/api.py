"""``GET /api/v1/recommendations``: what a buyer would see, with reasons, for apps.

Who the list is for (decided by the credential, never by a bare parameter):
- a buyer's own key (``Authorization: Bearer``, scope ``orders:read``) or the signed-in session:
  that buyer, honouring their profiling choice;
- a platform app's key with ``orders:read`` and ``user=usr_…``: that buyer (the app can read
  their orders already; recommendations derive from them); without ``user``: the list for
  nobody in particular;
- no credential: the non-profiled list (guests are never profiled);
- a seller's key is refused: a seller never sees what is recommended to a given buyer.
Reasons are in the request's language (``Accept-Language``, or ``lang``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router
from ninja.security.base import AuthBase
from pydantic import BaseModel, Field

from agora.accounts.errors import API_KEY_INVALID, SCOPE_MISSING
from agora.accounts.models import ApiKey, User
from agora.accounts.services import api_key_authenticate
from agora.api.schemas import NoNulInput
from agora.core.errors import AgoraError, invalid, not_found
from agora.recommendations import reasons, serving

router = Router(tags=["recommendations"])
LANGUAGES = ("en", "zh-hans")


class Caller:
    """Who asks: ``user`` is whose list it is (None: nobody's); ``app`` marks an app key."""

    def __init__(self, user: User | None, *, app: bool = False) -> None:
        self.user = user
        self.app = app

    def __bool__(self) -> bool:
        return True


class RecommendationsAuth(AuthBase):
    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = (
        "Optional. A buyer's key or the session: that buyer's list. An app key with "
        "`orders:read` and `user=usr_…`: that buyer's list. Nothing: the non-profiled list."
    )

    def __call__(self, request: HttpRequest) -> Caller:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            user = getattr(request, "user", None)
            return Caller(user if user is not None and user.is_authenticated else None)
        key = api_key_authenticate(header.removeprefix("Bearer ").strip())
        if key.kind == ApiKey.Kind.SELLER or key.seller_id is not None:
            raise AgoraError(
                API_KEY_INVALID,
                "a seller's key cannot read a buyer's recommendations; use a buyer or app key",
            )
        if "orders:read" not in key.scopes and "orders:write" not in key.scopes:
            raise AgoraError(SCOPE_MISSING, "this API key lacks the scope 'orders:read'")
        if key.kind == ApiKey.Kind.BUYER:
            return Caller(key.user)
        return Caller(None, app=True)


class RecommendationParams(NoNulInput):
    placement: str = Field("home", description="home, product, cart or order")
    anchors: str = Field(
        "", description="comma-separated product ids: the product shown, the cart's or order's"
    )
    limit: int = Field(10, description="1-50")
    user: str | None = Field(None, description="app keys only: the buyer's public id (usr_…)")
    lang: str | None = Field(None, description="en or zh-hans; default from Accept-Language")


class RecommendationOut(BaseModel):
    product_id: str
    source: str = Field(description="repeat, cf, co_purchase, content, seasonal or popular")
    reason: str
    evidence: dict[str, Any] = Field(description="the facts the reason cites")
    score: float


class RecommendationsOut(BaseModel):
    items: list[RecommendationOut]
    profiled: bool = Field(description="whether anything about the buyer was used")
    model: str | None = Field(None, description="the trained model's version; None: none yet")


def _whose(caller: Caller, params: RecommendationParams) -> User | None:
    if params.user is None:
        return caller.user
    if not caller.app:
        raise invalid("user", "only an app key may ask for another buyer's list")
    found = User.objects.filter(public_id=params.user, is_active=True).first()
    if found is None:
        raise not_found("user", params.user)
    return found


@router.get(
    "/recommendations",
    response=RecommendationsOut,
    auth=RecommendationsAuth(),
    summary="Recommendations with their reasons",
)
def recommendations(request: HttpRequest, params: Query[RecommendationParams]) -> dict[str, Any]:
    if params.placement not in serving.PLACEMENTS:
        raise invalid("placement", f"must be one of {', '.join(serving.PLACEMENTS)}")
    if not 1 <= params.limit <= 50:
        raise invalid("limit", f"must be between 1 and 50, not {params.limit}")
    if params.lang is not None and params.lang.lower() not in LANGUAGES:
        raise invalid("lang", f"must be one of {', '.join(LANGUAGES)}, not {params.lang!r}")
    anchors = [a.strip() for a in params.anchors.split(",") if a.strip()]
    if params.placement != "home" and not anchors:
        raise invalid("anchors", f"placement {params.placement!r} needs at least one product id")
    user = _whose(request.auth, params)  # type: ignore[attr-defined]
    user_id = user.pk if user is not None else None
    served = serving.recommend(
        user_id=user_id, k=params.limit, placement=params.placement, anchors=anchors
    )
    with translation.override(params.lang.lower() if params.lang else translation.get_language()):
        texts = reasons.render_all(served)
    return {
        "items": [
            {
                "product_id": s.item,
                "source": s.source,
                "reason": text,
                "evidence": s.evidence,
                "score": s.score,
            }
            for s, text in zip(served, texts, strict=True)
        ],
        "profiled": serving.is_profiled(user_id),
        "model": serving.model_name(),
    }
