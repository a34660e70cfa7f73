"""Search reads: the storefront, the API and the benchmark call these two functions.

``search_products`` answers a query (or, with an empty query, lists everything the filters
allow, so category pages use it too) with a page of product documents built by
:mod:`agora.catalog.documents`, the total, the facets and, when a word was corrected, the
corrected query for a "did you mean" line. ``suggest`` completes what is being typed.

A query runs in up to three tries, stopping at the first that finds anything: every token
(after typo correction), then any token, then (PostgreSQL) titles merely similar to it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_supported_language_variant

from agora.catalog.documents import product_documents
from agora.catalog.models import Category
from agora.catalog.selectors import category_descendant_ids
from agora.core.errors import AgoraError, FieldError
from agora.core.money import Money, UnknownCurrency, exponent, normalize_currency
from agora.marketplace.models import Seller
from agora.search import errors
from agora.search.backends import MatchPlan, backend
from agora.search.models import SearchDocument
from agora.search.query import (
    FACETS,
    PRICE_BANDS,
    SORTS,
    Answer,
    Filters,
    Search,
    answer_in_memory,
)
from agora.search.text import Token, query_tokens, tokens
from agora.search.typos import correct_tokens, vocabulary

MAX_QUERY = 200
MAX_LIMIT = 100
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Suggestion:
    text: str
    product_id: str | None = None


@dataclass(frozen=True)
class SearchPage:
    items: list[dict[str, Any]]
    total: int
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    corrected_query: str | None = None


def _refuse(problem: Any, name: str, message: str) -> AgoraError:
    return AgoraError(problem, f"{name}: {message}", [FieldError(name, message)])


def resolve_language(language: str) -> str:
    """A supported language code for ``language`` (``zh-CN`` → ``zh-hans``), or a problem."""
    try:
        return get_supported_language_variant((language or "").strip().lower())
    except LookupError:
        raise _refuse(
            errors.INVALID_LANGUAGE, "lang", f"{language!r} is not offered; use en or zh-hans"
        ) from None


def _check_query(name: str, text: str) -> None:
    if len(text) > MAX_QUERY:
        raise _refuse(
            errors.QUERY_TOO_LONG,
            name,
            f"is {len(text)} characters long; at most {MAX_QUERY} are allowed",
        )


def _filters(
    *,
    currency: str,
    category: str | None,
    seller: str | None,
    min_price_minor: int | None,
    max_price_minor: int | None,
    in_stock: bool | None,
) -> Filters:
    try:
        code = normalize_currency(currency)
    except UnknownCurrency:
        raise _refuse(
            errors.INVALID_CURRENCY, "currency", f"{currency!r} is not an ISO 4217 code"
        ) from None
    for name, value in (
        ("min_price_minor", min_price_minor),
        ("max_price_minor", max_price_minor),
    ):
        if value is not None and value < 0:
            raise _refuse(errors.INVALID_PRICE_RANGE, name, f"is {value}; prices are not negative")
    if (
        min_price_minor is not None
        and max_price_minor is not None
        and min_price_minor > max_price_minor
    ):
        raise _refuse(
            errors.INVALID_PRICE_RANGE,
            "min_price_minor",
            f"{min_price_minor} is above max_price_minor {max_price_minor}",
        )
    category_ids = None
    if category:
        category_ids = tuple(category_descendant_ids(public_id=category))
    seller_id = None
    if seller:
        seller_id = Seller.objects.filter(public_id=seller).values_list("id", flat=True).first()
        seller_id = -1 if seller_id is None else seller_id  # an unknown seller sells nothing
    return Filters(
        currency=code,
        category_ids=category_ids,
        seller_id=seller_id,
        min_price=min_price_minor,
        max_price=max_price_minor,
        in_stock=in_stock,
    )


def _searches(tokens_: list[Token], filters: Filters) -> list[Search]:
    """The tries, strictest first."""
    if not tokens_:
        return [Search(None, None, filters)]
    engine = backend()
    phrase = " ".join(t.text for t in tokens_)
    strict = MatchPlan(tokens_, phrase)
    tries = [Search(strict, engine.match(strict), filters)]
    relaxed = MatchPlan(tokens_, phrase, relaxed=True)
    if len(strict.long) > 1:
        tries.append(Search(relaxed, engine.match(relaxed), filters))
    fuzzy = engine.fuzzy(relaxed)
    if fuzzy is not None:
        tries.append(Search(relaxed, fuzzy, filters))
    return tries


def _answer(search: Search, *, sort: str, limit: int, offset: int, digits: int) -> Answer:
    """A query's hits are few enough to filter, count and sort in memory after one match; a
    listing without words (a category page over the whole catalogue) stays in SQL."""
    if search.plan is not None:
        hits = search.hits()
        return answer_in_memory(
            hits, search.filters, sort=sort, limit=limit, offset=offset, exponent=digits
        )
    counts = {name: search.facet_counts(name, digits) for name in FACETS}
    # A facet whose own filter is unset counts every hit once (price skips the unpriced).
    unfiltered = next((n for n in FACETS if n != "price" and not search.filters.is_set(n)), None)
    total = sum(counts[unfiltered].values()) if unfiltered else search.count()
    page = search.page(sort=sort, limit=limit, offset=offset) if total else []
    return Answer([pid for pid, _ in page], total, counts, total)


def _corrected(query: str, before: list[Token], after: list[Token]) -> str:
    swaps = {b.text: a.text for b, a in zip(before, after, strict=True) if b.text != a.text}
    return " ".join(swaps.get(t, t) for t in tokens(query))


def search_products(
    *,
    query: str,
    language: str,
    category: str | None = None,
    seller: str | None = None,
    currency: str = "EUR",
    min_price_minor: int | None = None,
    max_price_minor: int | None = None,
    in_stock: bool | None = None,
    sort: str = "relevance",
    limit: int = 24,
    offset: int = 0,
) -> SearchPage:
    """A page of published products of active sellers matching ``query`` and the filters."""
    query = query or ""
    _check_query("q", query)
    language = resolve_language(language)
    if sort not in SORTS:
        raise _refuse(errors.INVALID_SORT, "sort", f"{sort!r} is not one of {', '.join(SORTS)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise _refuse(errors.INVALID_PAGE, "limit", f"is {limit}; use 1 to {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise _refuse(errors.INVALID_PAGE, "offset", f"is {offset}; use 0 to {MAX_OFFSET}")
    filters = _filters(
        currency=currency,
        category=category,
        seller=seller,
        min_price_minor=min_price_minor,
        max_price_minor=max_price_minor,
        in_stock=in_stock,
    )
    original = query_tokens(query)
    corrected, changed = correct_tokens(original)
    digits = exponent(filters.currency)
    answer: Answer | None = None
    for search in _searches(corrected, filters):
        answer = _answer(search, sort=sort, limit=limit, offset=offset, digits=digits)
        if answer.matched:  # the words found something (the filters may still leave nothing)
            break
    assert answer is not None
    return SearchPage(
        items=product_documents(answer.ids),
        total=answer.total,
        facets=_facets(answer.counts, language, filters.currency, digits),
        corrected_query=_corrected(query, original, corrected) if changed else None,
    )


def _facets(
    counts: dict[str, dict[Any, int]], language: str, currency: str, digits: int
) -> dict[str, list[Facet]]:
    from django.utils.translation import gettext, override

    facets: dict[str, list[Facet]] = {}
    # Categories: each product counts for its category and every ancestor.
    rows = {
        r["id"]: r
        for r in Category.objects.values("id", "parent_id", "public_id", "name", "translations")
    }
    rolled: dict[int, int] = {}
    for category_id, n in counts.get("category", {}).items():
        seen: set[int] = set()
        while category_id is not None and category_id in rows and category_id not in seen:
            seen.add(category_id)
            rolled[category_id] = rolled.get(category_id, 0) + n
            category_id = rows[category_id]["parent_id"]

    def label(row: dict[str, Any]) -> str:
        return ((row["translations"] or {}).get(language) or {}).get("name") or row["name"]

    facets["category"] = sorted(
        (Facet(rows[c]["public_id"], label(rows[c]), n) for c, n in rolled.items()),
        key=lambda f: (-f.count, f.label),
    )
    sellers = {
        pk: (public_id, name)
        for pk, public_id, name in Seller.objects.filter(
            pk__in=list(counts.get("seller", {}))
        ).values_list("id", "public_id", "display_name")
    }
    facets["seller"] = sorted(
        (
            Facet(sellers[s][0], sellers[s][1], n)
            for s, n in counts.get("seller", {}).items()
            if s in sellers
        ),
        key=lambda f: (-f.count, f.label),
    )
    scale = 10**digits
    bands = []
    for index, n in sorted(counts.get("price", {}).items()):
        low = PRICE_BANDS[index] * scale
        high = PRICE_BANDS[index + 1] * scale - 1 if index + 1 < len(PRICE_BANDS) else None
        low_text = Money(low, currency).format(language)
        if high is None:
            text = f"{low_text}+"
        else:
            text = f"{low_text} – {Money(high + 1, currency).format(language)}"  # noqa: RUF001
        bands.append(Facet(f"{low}-{'' if high is None else high}", text, n))
    facets["price"] = bands
    stock = {bool(k): n for k, n in counts.get("in_stock", {}).items()}
    with override(language):
        facets["in_stock"] = [
            Facet(
                "true" if flag else "false",
                gettext("In stock") if flag else gettext("Out of stock"),
                stock[flag],
            )
            for flag in (True, False)
            if stock.get(flag)
        ]
    return facets


def suggest(*, prefix: str, language: str, limit: int = 8) -> list[Suggestion]:
    """Completions of the last word being typed (most common first), then the best-matching
    product titles in ``language``: cheap enough to call on every keystroke."""
    prefix = prefix or ""
    _check_query("q", prefix)
    language = resolve_language(language)
    if not 1 <= limit <= 20:
        raise _refuse(errors.INVALID_PAGE, "limit", f"is {limit}; use 1 to 20")
    found = query_tokens(prefix)
    if not found:
        return []
    out: list[Suggestion] = []
    last = found[-1]
    if not last.cjk and last.text.isalpha():
        vocab = vocabulary()
        start = bisect.bisect_left(vocab.terms, last.text)
        words = []
        for term in vocab.terms[start:]:
            if not term.startswith(last.text):
                break
            if term != last.text:
                words.append(term)
        words.sort(key=lambda t: (-vocab.df.get(t, 0), t))
        head = " ".join(t.text for t in found[:-1])
        out += [Suggestion(f"{head} {w}".strip()) for w in words[: max(limit // 2, 1)]]
    filters = Filters(currency="EUR")
    for search in _searches(found, filters)[:1]:
        hits = search.page(sort="relevance", limit=limit - len(out), offset=0)
        titles = {
            row["product_id"]: row
            for row in SearchDocument.objects.filter(
                product_id__in=[pid for pid, _ in hits]
            ).values("product_id", "public_id", "titles", "language")
        }
        for pid, _ in hits:
            row = titles.get(pid)
            if row is None:
                continue
            texts = row["titles"] or {}
            text = texts.get(language) or texts.get(row["language"]) or next(iter(texts.values()))
            out.append(Suggestion(text, row["public_id"]))
    return out[:limit]
