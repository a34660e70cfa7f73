"""Browsing: category pages, the product page, search results and as-you-type suggestions.

Listings come from the search capability (``agora.search.selectors``): it owns relevance,
facets, sorting and spelling correction; these views parse the filter form, ask it, and render.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from agora.catalog.selectors import category_children, category_get_by_slug
from agora.core.errors import AgoraError, FieldError
from agora.core.money import exponent
from agora.recommendations.signals import product_viewed
from agora.search.selectors import search_products, suggest
from agora.storefront import reads
from agora.storefront.filters import PER_PAGE, SORTS, BrowseFilterForm
from agora.storefront.preferences import display_currency

SUGGESTION_LIMIT = 8
MAX_PREFIX = 100


def _language() -> str:
    return (get_language() or "en").lower()


def _listing(
    request: HttpRequest, *, category: dict[str, Any] | None, default_sort: str
) -> dict[str, Any]:
    """Runs the filter form through search and shapes one page of results for the templates."""
    currency = display_currency(request)
    form = BrowseFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # errors are shown beside the fields; valid filters still apply
    criteria = form.criteria(currency=currency)
    sort = criteria["sort"] or default_sort
    page = criteria["page"]
    try:
        result = search_products(
            query=criteria["q"],
            language=_language(),
            currency=currency,
            category=category["public_id"] if category else criteria["category"],
            seller=criteria["seller"],
            min_price_minor=criteria["min_price"],
            max_price_minor=criteria["max_price"],
            in_stock=True if criteria["in_stock"] else None,
            sort=sort,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )
    except AgoraError as exc:
        # Search refused part of the input (the form checks most of it first): say so beside
        # the field it names and show the unfiltered first page.
        for error in exc.errors or [FieldError("q", exc.detail)]:
            field = FIELD_NAMES.get(error.field, "q")
            form.add_error(field if field in form.fields else None, error.message)
        page = 1
        result = search_products(
            query="",
            language=_language(),
            currency=currency,
            category=category["public_id"] if category else None,
            sort=default_sort,
            limit=PER_PAGE,
        )
    pages = max(1, -(-result.total // PER_PAGE))
    return {
        "form": form,
        "currency": currency,
        "sort": sort,
        "sorts": SORTS,
        "cards": reads.cards(list(result.items), currency=currency),
        "total": result.total,
        "facets": _facet_links(request, result.facets, currency),
        "corrected_query": result.corrected_query,
        "query": criteria["q"],
        "page": page,
        "pages": pages,
        "page_links": _page_links(request, page, pages),
    }


# Names search uses in its field errors → the form's fields.
FIELD_NAMES = {
    "q": "q",
    "min_price": "min_price",
    "max_price": "max_price",
    "seller": "seller",
    "category": "category",
    "sort": "sort",
    "offset": "page",
    "limit": "page",
}


def _facet_links(
    request: HttpRequest, facets: dict[str, list[Any]], currency: str
) -> dict[str, list[dict[str, Any]]]:
    """Each facet value with the link that applies it (keeping the other filters, back to page
    1) and whether it is the one applied now. Price bands become min/max in major units."""
    digits = exponent(currency)
    shaped: dict[str, list[dict[str, Any]]] = {}
    for name in ("category", "seller", "price"):
        entries = []
        for facet in facets.get(name, []):
            params = request.GET.copy()
            params.pop("page", None)
            if name == "price":
                low, _, high = facet.value.partition("-")
                low_major = str(Decimal(int(low)).scaleb(-digits))
                high_major = str(Decimal(int(high)).scaleb(-digits)) if high else ""
                params["min_price"], params["max_price"] = low_major, high_major
                if not high_major:
                    params.pop("max_price")
                active = (
                    request.GET.get("min_price") == low_major
                    and request.GET.get("max_price", "") == high_major
                )
            else:
                params[name] = facet.value
                active = request.GET.get(name) == facet.value
            entries.append(
                {
                    "label": facet.label,
                    "count": facet.count,
                    "value": facet.value,
                    "url": "?" + params.urlencode(),
                    "active": active,
                }
            )
        shaped[name] = entries
    return shaped


def _page_links(request: HttpRequest, current: int, pages: int) -> list[dict[str, Any]]:
    """Links to the first, last and nearby pages, keeping every other filter."""
    wanted = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    params = request.GET.copy()
    links, previous = [], 0
    for number in wanted:
        if number - previous > 1:
            links.append({"gap": True})
        params["page"] = str(number)
        links.append(
            {"number": number, "url": "?" + params.urlencode(), "current": number == current}
        )
        previous = number
    return links


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    row = category_get_by_slug(slug=slug)
    if row is None:
        raise Http404("no such category")
    children = category_children(parent_id=row["id"])
    context = _listing(request, category=row, default_sort="newest")
    context.update(
        category=row, children=children, breadcrumbs=reads.category_path(row["public_id"])
    )
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "storefront/browse/listing.html#results", context)
    return render(request, "storefront/browse/category.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    context = _listing(request, category=None, default_sort="relevance")
    if context["corrected_query"] and context["corrected_query"] != context["query"]:
        params = request.GET.copy()
        params["q"] = context["corrected_query"]
        params.pop("page", None)
        context["corrected_url"] = "?" + params.urlencode()
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "storefront/browse/listing.html#results", context)
    return render(request, "storefront/browse/search.html", context)


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """The htmx partial under the search box: words that complete what is typed (to search for)
    and matching products (to open directly)."""
    prefix = (request.GET.get("q") or "").strip()[:MAX_PREFIX]
    found = suggest(prefix=prefix, language=_language(), limit=SUGGESTION_LIMIT) if prefix else []
    search_url = reverse("storefront:search")
    links = [
        {
            "text": item.text,
            "product": bool(item.product_id),
            "url": (
                reverse("storefront:product", args=[item.product_id])
                if item.product_id
                else f"{search_url}?{urlencode({'q': item.text})}"
            ),
        }
        for item in found
    ]
    return render(
        request, "storefront/browse/search.html#suggestions", {"prefix": prefix, "links": links}
    )


BOUGHT_TOGETHER_COUNT = 4


@require_GET
def product(request: HttpRequest, public_id: str) -> HttpResponse:
    currency = display_currency(request)
    page = reads.product_page(public_id=public_id, currency=currency)
    if page is None:
        raise Http404("no such product on sale")
    page["currency"] = currency
    page["reviews"] = reads.reviews_for(product_public_id=public_id, language=_language())
    page["badges"] = reads.badges_for(product_public_id=public_id)
    page["footprint"] = reads.footprint_for(product_public_id=public_id)
    user_id = request.user.pk if request.user.is_authenticated else None
    product_viewed(user_id=user_id, product_public_id=public_id)
    page["bought_together"] = reads.recommended_cards(
        user_id=user_id,
        currency=currency,
        limit=BOUGHT_TOGETHER_COUNT,
        placement="product",
        anchors=[public_id],
        fallback=False,
    )
    return render(request, "storefront/browse/product.html", page)
