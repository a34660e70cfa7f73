"""Read queries of the catalogue. Each decides its own joins so no caller causes N+1 queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from agora.catalog.documents import product_documents
from agora.catalog.models import Category, CategoryCommission, Product, Variant
from agora.core.errors import invalid
from agora.core.ids import is_public_id
from agora.core.money import MoneyError, normalize_currency
from agora.core.pagination import Page, paginate
from agora.marketplace.models import Seller
from agora.marketplace.states import SellerState


def _apply_filters(queryset: QuerySet[Product], filters: dict[str, Any]) -> QuerySet[Product]:
    if category := filters.get("category"):
        ids = category_descendant_ids(public_id=category)
        queryset = queryset.filter(category_id__in=ids)
    if seller := filters.get("seller"):
        queryset = queryset.filter(seller__public_id=seller)
    if text := (filters.get("q") or "").strip():
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(variants__sku__iexact=text)
        ).distinct()
    if status := filters.get("status"):
        queryset = queryset.filter(status=status)
    currency = filters.get("currency")
    bounded = filters.get("min_price") is not None or filters.get("max_price") is not None
    if currency:
        try:
            currency = normalize_currency(currency)
        except MoneyError as exc:
            raise invalid("currency", str(exc)) from exc
    elif bounded:  # refuse rather than silently ignore the price filter
        raise invalid("currency", "is needed with min_price or max_price (e.g. currency=EUR)")
    if currency and bounded:
        price_q = Q(variants__prices__currency=currency)
        if filters.get("min_price") is not None:
            price_q &= Q(variants__prices__amount_minor__gte=filters["min_price"])
        if filters.get("max_price") is not None:
            price_q &= Q(variants__prices__amount_minor__lte=filters["max_price"])
        queryset = queryset.filter(price_q).distinct()
    elif currency:
        queryset = queryset.filter(variants__prices__currency=currency).distinct()
    if gtin := filters.get("gtin"):
        queryset = queryset.filter(variants__gtin=gtin).distinct()
    return queryset


def _public() -> QuerySet[Product]:
    return Product.objects.filter(status=Product.Status.PUBLISHED, seller__state=SellerState.ACTIVE)


def product_list_public(
    *, filters: dict[str, Any], cursor: str | None = None, limit: int = 50
) -> Page[dict[str, Any]]:
    """Published products of active sellers, newest first, as documents (see documents.py)."""
    rows = _apply_filters(_public(), filters).only("pk", "public_id")
    page = paginate(rows, cursor=cursor, limit=limit)
    page.items = product_documents([p.pk for p in page.items])
    return page


def product_get_public(*, public_id: str) -> dict[str, Any] | None:
    """A published product as a document, or None."""
    if not is_public_id(public_id, "prod"):  # not one of ours: no query (and no NUL for PG)
        return None
    pk = _public().filter(public_id=public_id).values_list("pk", flat=True).first()
    return product_documents([pk])[0] if pk is not None else None


def product_document(*, product: Product) -> dict[str, Any]:
    """One product (any status) as a document, e.g. to answer a seller after a write."""
    return product_documents([product.pk])[0]


def product_count_published() -> int:
    return _public().count()


def product_list_for_seller(
    *, seller: Seller, filters: dict[str, Any], cursor: str | None = None, limit: int = 50
) -> Page[dict[str, Any]]:
    """The seller's products in any status, newest first, as documents."""
    rows = _apply_filters(Product.objects.filter(seller=seller), filters).only("pk", "public_id")
    page = paginate(rows, cursor=cursor, limit=limit)
    page.items = product_documents([p.pk for p in page.items])
    return page


def product_get_for_seller(*, seller: Seller, public_id: str) -> Product | None:
    """The seller's own product, or None, also when it exists but belongs to someone else."""
    if not is_public_id(public_id, "prod"):
        return None
    # Callers hand it to services (which need the seller) and answer with product_documents,
    # so no variants, prices or media are prefetched here.
    return (
        Product.objects.select_related("seller").filter(seller=seller, public_id=public_id).first()
    )


def variant_get_for_seller(*, seller: Seller, public_id: str) -> Variant | None:
    if not is_public_id(public_id, "var"):
        return None
    return (
        Variant.objects.filter(seller=seller, public_id=public_id)
        .select_related("product__seller")
        .prefetch_related("prices")
        .first()
    )


def variant_get(*, public_id: str) -> Variant | None:
    """Any variant by its public id (whether it may be sold is the cart service's to say)."""
    if not is_public_id(public_id, "var"):
        return None
    return Variant.objects.filter(public_id=public_id).first()


def category_get_by_slug(*, slug: str) -> dict[str, Any] | None:
    """A category as the small dict pages and the ``tr`` filter use, or None."""
    return (
        Category.objects.filter(slug=slug)
        .values("id", "public_id", "slug", "name", "translations")
        .first()
    )


def category_children(*, parent_id: int | None) -> list[dict[str, Any]]:
    """The categories directly below ``parent_id`` (None: the top of the tree), in menu order."""
    return list(
        Category.objects.filter(parent_id=parent_id)
        .order_by("position", "name")
        .values("slug", "name", "translations")
    )


def category_list() -> list[Category]:
    return list(Category.objects.select_related("parent").order_by("position", "name"))


def category_descendant_ids(*, public_id: str) -> list[int]:
    """Ids of a category and everything below it (the tree is small; walk it in memory)."""
    rows = list(Category.objects.values_list("id", "parent_id", "public_id"))
    root = next((r[0] for r in rows if r[2] == public_id), None)
    if root is None:
        return []
    children: dict[int | None, list[int]] = {}
    for cid, parent, _ in rows:
        children.setdefault(parent, []).append(cid)
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(children.get(node, []))
    return found


def commission_bps_for(*, seller: Seller, category: Category | None) -> int:
    """The seller's commission for a category: the nearest override up the tree, else the
    seller's default."""
    if category is not None:
        overrides = dict(
            CategoryCommission.objects.filter(seller=seller).values_list(
                "category_id", "commission_bps"
            )
        )
        parents = dict(Category.objects.values_list("id", "parent_id"))
        node: int | None = category.pk
        while node is not None:
            if node in overrides:
                return overrides[node]
            node = parents.get(node)
    return seller.commission_bps
