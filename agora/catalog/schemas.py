"""API shapes of the catalogue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field
from pydantic import BaseModel, StrictBool, StrictInt, StrictStr

from agora.api.schemas import MoneyOut, StrictInput
from agora.catalog.documents import product_documents, variant_documents
from agora.catalog.models import Product, Variant
from agora.catalog.services import MAX_WEIGHT_GRAMS


class PriceIn(StrictInput):
    currency: StrictStr = Field(min_length=3, max_length=3, examples=["EUR"])
    amount_minor: StrictInt = Field(ge=0, examples=[1299], description="minor units: 1299 is 12.99")


class VariantTranslationIn(StrictInput):
    title: StrictStr | None = None


class VariantIn(StrictInput):
    sku: StrictStr = Field(min_length=1, max_length=64)
    gtin: StrictStr = Field(
        "", max_length=14, description="GTIN-8/12/13/14 with a valid check digit"
    )
    title: StrictStr = Field("", max_length=200)
    translations: dict[str, VariantTranslationIn] = Field(
        default_factory=dict, examples=[{"zh-hans": {"title": "四件套"}}]
    )
    options: dict[str, StrictStr] = Field(default_factory=dict, examples=[{"size": "M"}])
    weight_grams: StrictInt | None = Field(None, ge=0, le=MAX_WEIGHT_GRAMS)
    prices: list[PriceIn] = Field(default_factory=list)


class VariantPatch(StrictInput):
    sku: StrictStr | None = Field(None, min_length=1, max_length=64)
    gtin: StrictStr | None = Field(None, max_length=14)
    title: StrictStr | None = Field(None, max_length=200)
    translations: dict[str, VariantTranslationIn] | None = None
    options: dict[str, StrictStr] | None = None
    weight_grams: StrictInt | None = Field(None, ge=0, le=MAX_WEIGHT_GRAMS)


class TranslationIn(StrictInput):
    title: StrictStr | None = None
    description: StrictStr | None = None


class ProductIn(StrictInput):
    title: StrictStr = Field(min_length=1, max_length=300)
    description: StrictStr = ""
    category: StrictStr | None = Field(None, description="category public id (cat_…)")
    slug: StrictStr = Field("", max_length=120)
    language: StrictStr = Field("en", description="language of title and description")
    translations: dict[str, TranslationIn] = Field(
        default_factory=dict, examples=[{"zh-hans": {"title": "茶杯"}}]
    )
    attributes: dict[str, Any] = Field(default_factory=dict)
    variants: list[VariantIn] = Field(min_length=1, max_length=100)
    publish: StrictBool = Field(
        False, description="publish right away (needs a priced variant and an active seller)"
    )


class ProductPatch(StrictInput):
    title: StrictStr | None = Field(None, min_length=1, max_length=300)
    description: StrictStr | None = None
    category: StrictStr | None = None
    slug: StrictStr | None = Field(None, max_length=120)
    language: StrictStr | None = None
    translations: dict[str, TranslationIn] | None = None
    attributes: dict[str, Any] | None = None


# Output shapes are plain pydantic models: Ninja's Schema adds a Django-object resolver on
# every nested field, which costs more than the SQL on a page of products; the API hands these
# plain dicts (catalog/documents.py).


class SellerRef(BaseModel):
    id: str
    name: str


class CategoryOut(BaseModel):
    id: str
    slug: str
    name: str
    parent: str | None
    translations: dict[str, dict[str, str]]


class MediaOut(BaseModel):
    id: str
    kind: str
    url: str
    alt: str


class VariantOut(BaseModel):
    id: str
    sku: str
    gtin: str
    title: str
    translations: dict[str, dict[str, str]]
    options: dict[str, str]
    weight_grams: int | None
    prices: list[MoneyOut]


class ProductOut(BaseModel):
    id: str
    seller: SellerRef
    category: CategoryOut | None
    slug: str
    title: str
    description: str
    language: str
    translations: dict[str, dict[str, str]]
    attributes: dict[str, Any]
    status: str
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    variants: list[VariantOut]
    media: list[MediaOut]


class ProductPage(BaseModel):
    items: list[ProductOut]
    next_cursor: str | None


def category_out(category: Any) -> dict[str, Any] | None:
    if category is None:
        return None
    return {
        "id": category.public_id,
        "slug": category.slug,
        "name": category.name,
        "parent": category.parent.public_id if category.parent_id else None,
        "translations": category.translations or {},
    }


def variant_out(variant: Variant) -> dict[str, Any]:
    document = variant_documents(variant_ids=[variant.pk])[variant.pk]
    document.pop("_product_id")
    return document


def product_out(product: Product) -> dict[str, Any]:
    return product_documents([product.pk])[0]
