"""Public search endpoints: ``GET /search`` and ``GET /search/suggest`` (no key needed)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import BaseModel, Field

from agora.api.schemas import NoNulInput
from agora.catalog.schemas import ProductOut
from agora.search.selectors import search_products, suggest

router = Router(tags=["search"])


class SearchParams(NoNulInput):
    q: str = Field("", description="words to find; empty lists everything the filters allow")
    lang: str = Field("en", description="en or zh-hans: the language of labels and suggestions")
    category: str | None = Field(None, description="category public id; includes sub-categories")
    seller: str | None = Field(None, description="seller public id")
    currency: str = Field("EUR", description="currency of the price filter, sort and bands")
    min_price_minor: int | None = Field(None, description="lowest price, minor units")
    max_price_minor: int | None = Field(None, description="highest price, minor units")
    in_stock: bool | None = Field(None, description="only products that can be bought now")
    sort: str = Field("relevance", description="relevance, price_asc, price_desc, newest, popular")
    limit: int = Field(24, description="1-100")
    offset: int = Field(0, description="0-10000")


class SuggestParams(NoNulInput):
    q: str = Field("", description="what has been typed so far")
    lang: str = "en"
    limit: int = Field(8, description="1-20")


class FacetOut(BaseModel):
    value: str
    label: str
    count: int


class SearchOut(BaseModel):
    items: list[ProductOut]
    total: int
    facets: dict[str, list[FacetOut]]
    corrected_query: str | None = Field(None, description="set when a typo was corrected")


class SuggestionOut(BaseModel):
    text: str
    product_id: str | None


@router.get("/search", response=SearchOut, summary="Search published products")
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    data = params.model_dump()
    page = search_products(query=data.pop("q"), language=data.pop("lang"), **data)
    return asdict(page)


@router.get("/search/suggest", response=list[SuggestionOut], summary="Suggestions while typing")
def search_suggest(request: HttpRequest, params: Query[SuggestParams]) -> list[dict[str, Any]]:
    found = suggest(prefix=params.q, language=params.lang, limit=params.limit)
    return [asdict(s) for s in found]
