"""Catalogue endpoints: public reads, and the seller's own products and variants."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import Field

from agora.api.auth import seller_auth
from agora.api.schemas import NoNulInput
from agora.api.scopes import require_scope
from agora.catalog import selectors, services
from agora.catalog.models import Category, Product
from agora.catalog.schemas import (
    CategoryOut,
    ProductIn,
    ProductOut,
    ProductPage,
    ProductPatch,
    VariantIn,
    VariantOut,
    VariantPatch,
    category_out,
    product_out,
    variant_out,
)
from agora.core.errors import invalid, not_found
from agora.core.ids import is_public_id
from agora.pricing.services import PricedVariantInput, product_create_priced

public = Router(tags=["catalog"])
seller = Router(tags=["seller: catalog"], auth=seller_auth)


class ProductFilters(NoNulInput):
    q: str | None = Field(None, description="words in the title, or an exact SKU")
    category: str | None = Field(None, description="category public id; includes sub-categories")
    seller: str | None = Field(None, description="seller public id")
    currency: str | None = Field(
        None, min_length=3, max_length=3, description="only products priced in it"
    )
    min_price: int | None = Field(None, ge=0, description="minor units, needs currency")
    max_price: int | None = Field(None, ge=0, description="minor units, needs currency")
    gtin: str | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=100)


class SellerProductFilters(ProductFilters):
    status: Product.Status | None = None


def _filters(f: ProductFilters) -> dict[str, Any]:
    return f.model_dump(exclude={"cursor", "limit"}, exclude_none=True)


def _page(page: Any) -> dict[str, Any]:
    return {"items": page.items, "next_cursor": page.next_cursor}


@public.get("/products", response=ProductPage, summary="List published products")
def list_products(request: HttpRequest, filters: Query[ProductFilters]) -> dict[str, Any]:
    return _page(
        selectors.product_list_public(
            filters=_filters(filters), cursor=filters.cursor, limit=filters.limit
        )
    )


@public.get("/products/{product_id}", response=ProductOut, summary="Get a published product")
def get_product(request: HttpRequest, product_id: str) -> dict[str, Any]:
    product = selectors.product_get_public(public_id=product_id)
    if product is None:
        raise not_found("product", product_id)
    return product


@public.get("/categories", response=list[CategoryOut], summary="The category tree, flat")
def list_categories(request: HttpRequest) -> list[CategoryOut]:
    return [category_out(c) for c in selectors.category_list()]  # type: ignore[misc]


# --- seller -----------------------------------------------------------------------------------


def _own_product(request: HttpRequest, product_id: str) -> Product:
    product = selectors.product_get_for_seller(seller=request.seller, public_id=product_id)  # type: ignore[attr-defined]
    if product is None:
        raise not_found("product", product_id)
    return product


def _category(public_id: str | None, field: str = "category") -> Category | None:
    if public_id is None:
        return None
    category = (
        Category.objects.filter(public_id=public_id).first()
        if is_public_id(public_id, "cat")
        else None
    )
    if category is None:
        raise invalid(field, f"no category {public_id!r}; see GET /api/v1/categories")
    return category


@seller.get("/seller/products", response=ProductPage, summary="List the seller's products")
def seller_list_products(request: HttpRequest, filters: Query[SellerProductFilters]) -> ProductPage:
    require_scope(request, "catalog:read")
    page = selectors.product_list_for_seller(
        seller=request.seller,
        filters=_filters(filters),
        cursor=filters.cursor,
        limit=filters.limit,  # type: ignore[attr-defined]
    )
    return _page(page)


def _given(translations: dict[str, dict[str, str | None]]) -> dict[str, dict[str, str]]:
    """Translations as sent, without the fields left out (``null``)."""
    return {
        lang: {k: v for k, v in fields.items() if v is not None}
        for lang, fields in translations.items()
    }


@seller.post(
    "/seller/products",
    response={201: ProductOut},
    summary="Create a product with variants and prices",
)
def seller_create_product(request: HttpRequest, payload: ProductIn) -> Status[ProductOut]:
    data = payload.model_dump()
    variants = [
        PricedVariantInput(
            sku=v["sku"],
            gtin=v["gtin"],
            title=v["title"],
            options=v["options"],
            weight_grams=v["weight_grams"],
            prices=[(p["currency"], p["amount_minor"]) for p in v["prices"]],
            translations=_given(v["translations"]),
        )
        for v in data["variants"]
    ]
    translations = _given(data["translations"])
    from django.db import transaction

    with transaction.atomic():
        product = product_create_priced(
            actor=request.actor,
            seller=request.seller,
            title=data["title"],  # type: ignore[attr-defined]
            description=data["description"],
            category=_category(data["category"]),
            slug=data["slug"],
            language=data["language"],
            translations=translations,
            attributes=data["attributes"],
            variants=variants,
        )
        if data["publish"]:
            product = services.product_publish(actor=request.actor, product=product)  # type: ignore[attr-defined]
    return Status(201, product_out(_own_product(request, product.public_id)))


@seller.get(
    "/seller/products/{product_id}", response=ProductOut, summary="Get one of the seller's products"
)
def seller_get_product(request: HttpRequest, product_id: str) -> ProductOut:
    require_scope(request, "catalog:read")
    return product_out(_own_product(request, product_id))


@seller.patch("/seller/products/{product_id}", response=ProductOut, summary="Change a product")
def seller_update_product(
    request: HttpRequest, product_id: str, payload: ProductPatch
) -> ProductOut:
    product = _own_product(request, product_id)
    changes = payload.model_dump(exclude_unset=True)
    for name in ("title", "language", "translations", "attributes", "slug"):
        if name in changes and changes[name] is None:
            raise invalid(name, "must not be null")
    if "category" in changes:
        changes["category"] = _category(changes["category"])
    if "translations" in changes:
        changes["translations"] = _given(changes["translations"])
    services.product_update(actor=request.actor, product=product, changes=changes)  # type: ignore[attr-defined]
    return product_out(_own_product(request, product_id))


@seller.delete("/seller/products/{product_id}", response={204: None}, summary="Delete a product")
def seller_delete_product(request: HttpRequest, product_id: str) -> Status[None]:
    services.product_delete(actor=request.actor, product=_own_product(request, product_id))  # type: ignore[attr-defined]
    return Status(204, None)


@seller.post(
    "/seller/products/{product_id}/publish", response=ProductOut, summary="Publish a product"
)
def seller_publish_product(request: HttpRequest, product_id: str) -> ProductOut:
    services.product_publish(actor=request.actor, product=_own_product(request, product_id))  # type: ignore[attr-defined]
    return product_out(_own_product(request, product_id))


@seller.post(
    "/seller/products/{product_id}/unpublish",
    response=ProductOut,
    summary="Take a product off sale",
)
def seller_unpublish_product(request: HttpRequest, product_id: str) -> ProductOut:
    services.product_unpublish(actor=request.actor, product=_own_product(request, product_id))  # type: ignore[attr-defined]
    return product_out(_own_product(request, product_id))


@seller.post(
    "/seller/products/{product_id}/variants", response={201: VariantOut}, summary="Add a variant"
)
def seller_add_variant(
    request: HttpRequest, product_id: str, payload: VariantIn
) -> Status[VariantOut]:
    from django.db import transaction

    from agora.pricing.services import price_set

    product = _own_product(request, product_id)
    data = payload.model_dump()
    with transaction.atomic():
        variant = services.variant_add(
            actor=request.actor,
            product=product,
            data=services.VariantInput(  # type: ignore[attr-defined]
                sku=data["sku"],
                gtin=data["gtin"],
                title=data["title"],
                options=data["options"],
                weight_grams=data["weight_grams"],
                translations=_given(data["translations"]),
            ),
        )
        for i, p in enumerate(data["prices"]):
            price_set(
                actor=request.actor,
                variant=variant,
                currency=p["currency"],  # type: ignore[attr-defined]
                amount_minor=p["amount_minor"],
                path=f"prices[{i}].amount_minor",
            )
    fresh = selectors.variant_get_for_seller(seller=request.seller, public_id=variant.public_id)  # type: ignore[attr-defined]
    return Status(201, variant_out(fresh))  # type: ignore[arg-type]


def _own_variant(request: HttpRequest, variant_id: str):  # type: ignore[no-untyped-def]
    variant = selectors.variant_get_for_seller(seller=request.seller, public_id=variant_id)  # type: ignore[attr-defined]
    if variant is None:
        raise not_found("variant", variant_id)
    return variant


@seller.patch("/seller/variants/{variant_id}", response=VariantOut, summary="Change a variant")
def seller_update_variant(
    request: HttpRequest, variant_id: str, payload: VariantPatch
) -> VariantOut:
    changes = payload.model_dump(exclude_unset=True)
    if nulls := sorted(k for k, v in changes.items() if v is None and k != "weight_grams"):
        raise invalid(nulls[0], "must not be null")
    if "translations" in changes:
        changes["translations"] = _given(changes["translations"])
    services.variant_update(
        actor=request.actor, variant=_own_variant(request, variant_id), changes=changes
    )  # type: ignore[attr-defined]
    return variant_out(_own_variant(request, variant_id))


@seller.delete("/seller/variants/{variant_id}", response={204: None}, summary="Delete a variant")
def seller_delete_variant(request: HttpRequest, variant_id: str) -> Status[None]:
    services.variant_delete(actor=request.actor, variant=_own_variant(request, variant_id))  # type: ignore[attr-defined]
    return Status(204, None)
