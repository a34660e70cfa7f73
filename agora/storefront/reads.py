"""What the buyer pages show, assembled from the selectors of the apps below as plain dicts.

Product documents come from :mod:`agora.catalog.documents`; this module adds what only a shop
window needs: the price in the visitor's currency, the picture, the stock state, the seller's tax
mode, the EU Omnibus prior price and the popular and recommended lists. Each function costs a
fixed number of queries whatever the number of products.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext, ngettext

from agora.catalog.documents import money_document, product_documents
from agora.catalog.models import Attribute, Category, Product, ProductMedia, Variant
from agora.catalog.selectors import product_get_public
from agora.checkout.selectors import prices_include_tax
from agora.core import clock
from agora.core.extension_points import (
    product_badges,
    product_footprint,
    product_reviews,
    recommendations,
)
from agora.core.templatetags.agora_format import translated
from agora.inventory.selectors import available_by_variant
from agora.marketplace.states import SellerState
from agora.orders.models import OrderLine
from agora.pricing.quote import quote_many

# Few enough units left that the page says so (and a buyer may hurry).
LOW_STOCK = 5
POPULAR_WINDOW_DAYS = 30


def _published_ids(ids: list[int]) -> list[int]:
    live = set(
        Product.objects.filter(
            pk__in=ids, status=Product.Status.PUBLISHED, seller__state=SellerState.ACTIVE
        ).values_list("pk", flat=True)
    )
    return [pk for pk in ids if pk in live]


def price_in(doc: dict[str, Any], currency: str) -> dict[str, Any] | None:
    """The lowest price of the product's variants in ``currency`` ("from" price), or None."""
    amounts = [
        p["amount_minor"]
        for v in doc.get("variants", [])
        for p in v.get("prices", [])
        if p["currency"] == currency
    ]
    return money_document(min(amounts), currency) if amounts else None


def _varies(doc: dict[str, Any], currency: str) -> bool:
    """Whether the variants cost different amounts (the card then says "from")."""
    amounts = {
        p["amount_minor"]
        for v in doc.get("variants", [])
        for p in v.get("prices", [])
        if p["currency"] == currency
    }
    return len(amounts) > 1


def _first(doc: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((m for m in doc.get("media", []) if m["kind"] == kind), None)


def cards(
    docs: list[dict[str, Any]], *, currency: str, reasons: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Product documents as the small cards of listings: price in ``currency`` (the lowest of
    the variants), the first picture, whether a 3D view exists, and the reason it is shown."""
    reasons = reasons or {}
    return [
        {
            "product": doc,
            "price": price_in(doc, currency),
            "from_price": _varies(doc, currency),
            "image": _first(doc, "image"),
            "has_model": _first(doc, "model") is not None,
            "reason": reasons.get(doc["id"], ""),
        }
        for doc in docs
    ]


def newest_product_ids(*, limit: int, exclude: set[int] | None = None) -> list[int]:
    rows = Product.objects.filter(
        status=Product.Status.PUBLISHED, seller__state=SellerState.ACTIVE
    ).order_by("-published_at", "-id")
    if exclude:
        rows = rows.exclude(pk__in=exclude)
    return list(rows.values_list("pk", flat=True)[:limit])


def popular_products(*, limit: int) -> list[tuple[int, int]]:
    """Products by units ordered in the last 30 days, topped up with the newest when too few
    have sold: the same list for everyone, the non-profiled choice the DSA asks us to offer.
    Pairs of (product id, units sold in the window); the newest that fill the row have 0, so
    the page can say truthfully why each one is there."""
    since = clock.now() - timedelta(days=POPULAR_WINDOW_DAYS)
    sold = (
        OrderLine.objects.filter(
            order__placed_at__gte=since,
            variant__product__status=Product.Status.PUBLISHED,
            variant__product__seller__state=SellerState.ACTIVE,
        )
        .values("variant__product_id")
        .annotate(units=Sum("quantity"))
        .order_by("-units", "variant__product_id")
    )
    pairs = [(row["variant__product_id"], int(row["units"])) for row in sold[:limit]]
    if len(pairs) < limit:
        newest = newest_product_ids(limit=limit - len(pairs), exclude={pk for pk, _ in pairs})
        pairs += [(pk, 0) for pk in newest]
    return pairs


def popular_reason(units: int) -> str:
    """Why a product is in the non-profiled row: how much it sold, or that it is new."""
    if units <= 0:
        return gettext("New in the store")
    return ngettext(
        "%(units)s sold in the last 30 days", "%(units)s sold in the last 30 days", units
    ) % {"units": units}


@dataclass(frozen=True)
class Recommended:
    """The home page's recommended row. ``personalised``: a recommender chose the cards (each
    with its own reason); otherwise they are the most bought items, and ``newest`` says how many
    of them are only the newest products filling the row (all of them when nothing has sold)."""

    cards: list[dict[str, Any]]
    personalised: bool
    newest: int = 0

    @property
    def sold(self) -> int:
        """How many of the cards are there because buyers bought them."""
        return 0 if self.personalised else len(self.cards) - self.newest


def popular_cards(*, currency: str, limit: int) -> Recommended:
    """The most bought products of the last 30 days, each with the units sold, then the newest
    (said so), for everyone alike."""
    pairs = popular_products(limit=limit)
    units = {pk: n for pk, n in pairs}
    public_ids = dict(Product.objects.filter(pk__in=list(units)).values_list("public_id", "pk"))
    docs = product_documents([pk for pk, _ in pairs])
    reasons = {doc["id"]: popular_reason(units[public_ids[doc["id"]]]) for doc in docs}
    newest = sum(1 for doc in docs if units[public_ids[doc["id"]]] <= 0)
    return Recommended(cards(docs, currency=currency, reasons=reasons), False, newest)


def recommended_cards(
    *,
    user_id: int | None,
    currency: str,
    limit: int,
    placement: str = "home",
    anchors: list[str] | None = None,
    fallback: bool = True,
) -> Recommended:
    """Cards from the first registered ``storefront.recommendations`` that answers, each with
    the reason it gave; else the popular items (:func:`popular_cards`), or none without
    ``fallback``. ``placement`` and ``anchors`` (product public ids) say where the list goes:
    home, a product page, the cart or after an order."""
    for implementation in recommendations.implementations():
        if placement == "home":
            pairs = list(implementation(user_id, limit) or [])[:limit]
        else:
            found = implementation(user_id, limit, placement=placement, anchors=anchors or [])
            pairs = list(found or [])[:limit]
        if not pairs:
            continue
        wanted = [public_id for public_id, _ in pairs]
        pks = dict(Product.objects.filter(public_id__in=wanted).values_list("public_id", "pk"))
        ordered = _published_ids([pks[p] for p in wanted if p in pks])
        if ordered:
            reasons = {public_id: str(reason) for public_id, reason in pairs}
            docs = product_documents(ordered)
            return Recommended(cards(docs, currency=currency, reasons=reasons), True)
    if not fallback:
        return Recommended([], False)
    return popular_cards(currency=currency, limit=limit)


def products_bought_in(*, order_public_ids: list[str]) -> list[str]:
    """The public ids of the products on these orders (the post-purchase list's anchors)."""
    rows = OrderLine.objects.filter(order__public_id__in=order_public_ids).values_list(
        "variant__product__public_id", flat=True
    )
    return list(dict.fromkeys(pid for pid in rows if pid))


def products_in_cart(*, cart_id: int) -> list[str]:
    """The public ids of the products in a cart (the cart's list's anchors)."""
    rows = Variant.objects.filter(pk__in=_cart_variant_ids(cart_id)).values_list(
        "product__public_id", flat=True
    )
    return list(dict.fromkeys(rows))


def _cart_variant_ids(cart_id: int) -> list[int]:
    from agora.checkout.models import CartLine

    return list(CartLine.objects.filter(cart_id=cart_id).values_list("variant_id", flat=True))


def units_available(*, variant_public_ids: list[str]) -> dict[str, int]:
    """Units each variant can still be sold, by the variant's public id (two queries)."""
    pks = dict(
        Variant.objects.filter(public_id__in=variant_public_ids).values_list("public_id", "pk")
    )
    left = available_by_variant(variant_ids=list(pks.values()))
    return {public_id: left.get(pk, 0) for public_id, pk in pks.items()}


def _titles(model: type[Product] | type[Variant], public_ids: set[str]) -> dict[str, Any]:
    rows = model.objects.filter(public_id__in=public_ids)
    return {row["public_id"]: row for row in rows.values("public_id", "title", "translations")}


def product_titles(*, public_ids: set[str]) -> dict[str, dict[str, Any]]:
    """Each product's title and its translations (for the ``tr`` filter), by public id."""
    return _titles(Product, public_ids)


def variant_titles(*, public_ids: set[str]) -> dict[str, dict[str, Any]]:
    """Each variant's title and its translations (for the ``tr`` filter), by public id."""
    return _titles(Variant, public_ids)


def stock_state(available: int) -> str:
    """``in`` / ``low`` / ``out``: what a buyer needs to know, not the exact count."""
    if available <= 0:
        return "out"
    return "low" if available <= LOW_STOCK else "in"


def category_path(category_public_id: str | None) -> list[dict[str, Any]]:
    """The category and its ancestors, root first, for breadcrumbs (the tree is small)."""
    if not category_public_id:
        return []
    rows = {
        row["id"]: row
        for row in Category.objects.values(
            "id", "public_id", "parent_id", "slug", "name", "translations"
        )
    }
    by_public = {row["public_id"]: row for row in rows.values()}
    node = by_public.get(category_public_id)
    path: list[dict[str, Any]] = []
    while node is not None and len(path) < 20:
        path.append(node)
        node = rows.get(node["parent_id"])
    return list(reversed(path))


def product_page(*, public_id: str, currency: str) -> dict[str, Any] | None:
    """Everything the product page shows, or None when the product is not on sale."""
    doc = product_get_public(public_id=public_id)
    if doc is None:
        return None
    variant_rows = {
        row["public_id"]: row
        for row in Variant.objects.filter(product__public_id=public_id).values(
            "id", "public_id", "seller_id"
        )
    }
    available = available_by_variant(variant_ids=[r["id"] for r in variant_rows.values()])
    seller_id = next(iter(variant_rows.values()))["seller_id"] if variant_rows else None
    includes_tax = prices_include_tax([seller_id])[seller_id] if seller_id else True
    # Prices and the Omnibus prior price from pricing's one quoting function (issue 8): the
    # same for every visitor, so it is not even given the request. The document has just read
    # the Price rows; passing them spares quote_many the same query.
    listed = {
        variant_rows[v["id"]]["id"]: p["amount_minor"]
        for v in doc["variants"]
        for p in v["prices"]
        if p["currency"] == currency
    }
    quotes = quote_many(listed, channel="storefront", currency=currency, listed=listed)
    variants = []
    for v in doc["variants"]:
        row = variant_rows[v["id"]]
        quoted = quotes.get(row["id"])
        price = money_document(quoted.amount_minor, currency) if quoted else None
        prior = (
            money_document(quoted.prior_minor, currency)
            if quoted and quoted.prior_minor is not None
            else None
        )
        units = available.get(row["id"], 0)
        variants.append(
            {
                **v,
                "price": price,
                "prior_price": prior,
                "available": units,
                "stock": stock_state(units),
                "label": translated(v, "title")
                or ", ".join(f"{k}: {val}" for k, val in v["options"].items())
                or v["sku"],
            }
        )
    media_translations = dict(
        ProductMedia.objects.filter(product__public_id=public_id).values_list(
            "public_id", "translations"
        )
    )
    media = [{**m, "translations": media_translations.get(m["id"]) or {}} for m in doc["media"]]
    selected = next((v for v in variants if v["price"] and v["available"] > 0), None) or next(
        (v for v in variants if v["price"]), variants[0] if variants else None
    )
    return {
        "product": doc,
        "variants": variants,
        "selected": selected,
        "sold_in_currency": any(v["price"] for v in variants),
        "sold_in": sorted({p["currency"] for v in doc["variants"] for p in v["prices"]}),
        "images": [m for m in media if m["kind"] == "image"],
        "model": next((m for m in media if m["kind"] == "model"), None),
        "prices_include_tax": includes_tax,
        "breadcrumbs": category_path(doc["category"]["id"] if doc["category"] else None),
        "specs": specs(doc["attributes"]),
    }


def specs(attributes: dict[str, Any]) -> list[dict[str, Any]]:
    """The product's attribute values with each attribute's (translatable) name and unit, in
    the product's order; values of attributes no longer defined are shown under their code."""
    known = {
        row["code"]: row
        for row in Attribute.objects.filter(code__in=list(attributes)).values(
            "code", "name", "translations", "unit", "value_type"
        )
    }
    rows = []
    for code, value in attributes.items():
        attribute = known.get(
            code, {"code": code, "name": code, "translations": {}, "unit": "", "value_type": "text"}
        )
        rows.append({"attribute": attribute, "value": value})
    return rows


def reviews_for(*, product_public_id: str, language: str) -> dict[str, Any]:
    """Reviews from the first registered ``storefront.product_reviews``; the honest empty
    answer when no capability provides them yet."""
    for implementation in product_reviews.implementations():
        answer = implementation(product_public_id, language)
        if answer is not None:
            return {
                "count": int(answer.get("count", 0)),
                "average": answer.get("average"),
                "reviews": list(answer.get("reviews", [])),
            }
    return {"count": 0, "average": None, "reviews": []}


def badges_for(*, product_public_id: str) -> list[dict[str, Any]]:
    """Every registered ``catalog.product_badges`` answer, in registration order; a badge with a
    ``url`` links to the evidence behind it. Empty when no capability vouches for anything."""
    badges: list[dict[str, Any]] = []
    for implementation in product_badges.implementations():
        badges.extend(implementation(product_public_id) or [])
    return badges


def footprint_for(*, product_public_id: str) -> dict[str, Any] | None:
    """The first ``catalog.product_footprint`` answer (the footprint with its basis), or None."""
    for implementation in product_footprint.implementations():
        answer = implementation(product_public_id)
        if answer is not None:
            return answer
    return None
