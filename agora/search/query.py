"""The SQL shared by both backends: the backend's match joined to the documents, the filters,
the score, the order, the page and the facet counts.

One statement per answer part (page, one per facet); the total is read off a facet whose own
filter is not set (its counts add up to the total), so a plain search costs five statements.
Facet counts are disjunctive: each facet is counted with every filter except its own, so the
other choices of a facet stay visible after picking one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from agora.marketplace.models import Seller
from agora.marketplace.states import SellerState
from agora.search import ranking
from agora.search.backends import Fragment, MatchPlan

# Price bands in major units of the currency: [0, 10), [10, 25), … [250, ∞).
PRICE_BANDS = (0, 10, 25, 50, 100, 250)
FACETS = ("category", "seller", "price", "in_stock")
SORTS = {
    "relevance": "score DESC, d.product_id DESC",
    "price_asc": "(p.min_amount_minor IS NULL), p.min_amount_minor ASC, d.product_id DESC",
    "price_desc": "(p.min_amount_minor IS NULL), p.min_amount_minor DESC, d.product_id DESC",
    "newest": "d.published_at DESC, d.product_id DESC",
    "popular": "d.popularity DESC, score DESC, d.product_id DESC",
}


@dataclass(frozen=True)
class Filters:
    currency: str
    category_ids: tuple[int, ...] | None = None  # the category and its descendants
    seller_id: int | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None

    def is_set(self, facet: str) -> bool:
        return {
            "category": self.category_ids is not None,
            "seller": self.seller_id is not None,
            "price": self.min_price is not None or self.max_price is not None,
            "in_stock": self.in_stock is not None,
        }[facet]


@dataclass(frozen=True, slots=True)
class Hit:
    product_id: int
    score: float
    category_id: int | None
    seller_id: int
    in_stock: bool
    popularity: int
    published_at: Any
    price: int | None


@dataclass(frozen=True)
class Answer:
    ids: list[int]
    total: int
    counts: dict[str, dict[Any, int]]
    matched: int  # documents the words matched, before the filters


def _passes(hit: Hit, f: Filters, skip: str | None) -> bool:
    if skip != "category" and f.category_ids is not None and hit.category_id not in f.category_ids:
        return False
    if skip != "seller" and f.seller_id is not None and hit.seller_id != f.seller_id:
        return False
    if skip != "price" and (f.min_price is not None or f.max_price is not None):
        if hit.price is None:
            return False
        if f.min_price is not None and hit.price < f.min_price:
            return False
        if f.max_price is not None and hit.price > f.max_price:
            return False
    return skip == "in_stock" or f.in_stock is None or hit.in_stock == f.in_stock


def _band(price: int, exponent: int) -> int:
    index = 0
    for i, low in enumerate(PRICE_BANDS):
        if price >= low * 10**exponent:
            index = i
    return index


_SORT_KEYS = {
    "relevance": lambda h: (-h.score, -h.product_id),
    "price_asc": lambda h: (h.price is None, h.price or 0, -h.product_id),
    "price_desc": lambda h: (h.price is None, -(h.price or 0), -h.product_id),
    "newest": lambda h: (-h.published_at.timestamp() if h.published_at else 0, -h.product_id),
    "popular": lambda h: (-h.popularity, -h.score, -h.product_id),
}


def answer_in_memory(
    hits: list[Hit], f: Filters, *, sort: str, limit: int, offset: int, exponent: int
) -> Answer:
    """Filters, disjunctive facet counts, order and page over the hits of one match: the same
    answer the SQL path gives, without running the match once per facet."""
    counts: dict[str, dict[Any, int]] = {name: {} for name in FACETS}
    chosen: list[Hit] = []
    for hit in hits:
        keys = {
            "category": hit.category_id,
            "seller": hit.seller_id,
            "price": None if hit.price is None else _band(hit.price, exponent),
            "in_stock": hit.in_stock,
        }
        all_pass = _passes(hit, f, None)
        if all_pass:
            chosen.append(hit)
        for name in FACETS:
            if keys[name] is None and name == "price":
                continue
            if all_pass or _passes(hit, f, name):
                bucket = counts[name]
                bucket[keys[name]] = bucket.get(keys[name], 0) + 1
    chosen.sort(key=_SORT_KEYS[sort])
    page = chosen[offset : offset + limit]
    return Answer([h.product_id for h in page], len(chosen), counts, len(hits))


@dataclass(frozen=True)
class Search:
    """One query against the index: the backend's match (None: every document), the plan's
    short tokens, the filters."""

    plan: MatchPlan | None
    match: Fragment | None
    filters: Filters

    def _score(self) -> Fragment:
        parts: list[str] = ["d.boost"]
        params: list[Any] = []
        if self.match is not None:
            parts.append("(m.relevance + 0.01)")
        plan = self.plan
        if plan is not None and plan.tokens:
            if plan.phrase:
                parts.append(
                    f"CASE WHEN d.title_text LIKE %s THEN {ranking.PHRASE_BONUS} ELSE 1 END"
                )
                params.append(f"%{plan.phrase}%")
            title_all = " AND ".join(["d.title_text LIKE %s"] * len(plan.tokens))
            parts.append(f"CASE WHEN {title_all} THEN {ranking.TITLE_BONUS} ELSE 1 END")
            params += [f"%{_title_form(t.text, t.stem, t.cjk)}%" for t in plan.tokens]
            if self.match is None:  # short tokens only: shorter titles are closer matches
                parts.append("(1.0 / (1.0 + length(d.title_text) / 100.0))")
        return " * ".join(parts), params

    def _from_where(self, skip: str | None = None) -> tuple[str, list[Any], str, list[Any]]:
        """(FROM … joins, its params, WHERE …, its params) with every filter but ``skip``."""
        joins = "search_document d"
        join_params: list[Any] = []
        if self.match is not None:
            joins += " JOIN m ON m.product_id = d.product_id"
        joins += f" JOIN {Seller._meta.db_table} s ON s.id = d.seller_id"
        joins += " LEFT JOIN search_price p ON p.document_id = d.product_id AND p.currency = %s"
        join_params.append(self.filters.currency)
        where = ["s.state = %s"]
        params: list[Any] = [SellerState.ACTIVE.value]
        plan = self.plan
        if plan is not None and not (plan.relaxed and plan.long):  # relaxed: long tokens only
            for token in plan.tokens:
                if token.short and token.cjk:  # 茶, 咖啡: the character/pair table
                    where.append(
                        "d.product_id IN (SELECT document_id FROM search_gram WHERE gram = %s)"
                    )
                    params.append(token.text)
                elif token.short:  # a one- or two-letter word alone: a scan is fine
                    where.append("d.short_text LIKE %s")
                    params.append(f"%{token.text}%")
        f = self.filters
        if skip == "all":
            return joins, join_params, " AND ".join(where), params
        if f.category_ids is not None and skip != "category":
            if f.category_ids:
                where.append(f"d.category_id IN ({', '.join(['%s'] * len(f.category_ids))})")
                params += list(f.category_ids)
            else:
                where.append("1 = 0")
        if f.seller_id is not None and skip != "seller":
            where.append("d.seller_id = %s")
            params.append(f.seller_id)
        if skip != "price":
            if f.min_price is not None:
                where.append("p.min_amount_minor >= %s")
                params.append(f.min_price)
            if f.max_price is not None:
                where.append("p.min_amount_minor <= %s")
                params.append(f.max_price)
        if f.in_stock is not None and skip != "in_stock":
            where.append("d.in_stock = %s")
            params.append(f.in_stock)
        return joins, join_params, " AND ".join(where), params

    def _with(self) -> Fragment:
        if self.match is None:
            return "", []
        return f"WITH m AS ({self.match[0]}) ", list(self.match[1])

    def hits(self) -> list[Hit]:
        """Every matching document with what the filters, facets and sorts need, before the
        filters: one statement, so the backend's match runs once per query."""
        head, head_params = self._with()
        score, score_params = self._score()
        joins, join_params, where, where_params = self._from_where(skip="all")
        sql = (
            f"{head}SELECT d.product_id, {score} AS score, d.category_id, d.seller_id, "
            "d.in_stock, d.popularity, d.published_at, p.min_amount_minor "
            f"FROM {joins} WHERE {where}"
        )
        params = [*head_params, *score_params, *join_params, *where_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                Hit(int(r[0]), float(r[1]), r[2], r[3], bool(r[4]), r[5], r[6], r[7])
                for r in cursor.fetchall()
            ]

    def page(self, *, sort: str, limit: int, offset: int) -> list[tuple[int, float]]:
        """(product id, score) of one page, in order."""
        head, head_params = self._with()
        score, score_params = self._score()
        joins, join_params, where, where_params = self._from_where()
        sql = (
            f"{head}SELECT d.product_id, {score} AS score FROM {joins} WHERE {where} "
            f"ORDER BY {SORTS[sort]} LIMIT %s OFFSET %s"
        )
        params = [*head_params, *score_params, *join_params, *where_params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(row[0]), float(row[1])) for row in cursor.fetchall()]

    def count(self) -> int:
        head, head_params = self._with()
        joins, join_params, where, where_params = self._from_where()
        with connection.cursor() as cursor:
            cursor.execute(
                f"{head}SELECT count(*) FROM {joins} WHERE {where}",
                [*head_params, *join_params, *where_params],
            )
            return int(cursor.fetchone()[0])

    def facet_counts(self, facet: str, exponent: int) -> dict[Any, int]:
        """Raw counts of one facet: category id, seller id, band index or in-stock flag."""
        head, head_params = self._with()
        joins, join_params, where, where_params = self._from_where(skip=facet)
        select_params: list[Any] = []
        if facet == "category":
            key = "d.category_id"
        elif facet == "seller":
            key = "d.seller_id"
        elif facet == "in_stock":
            key = "d.in_stock"
        else:
            cases = []
            for index, low in reversed(list(enumerate(PRICE_BANDS))):
                cases.append(f"WHEN p.min_amount_minor >= %s THEN {index}")
                select_params.append(low * 10**exponent)
            key = f"CASE {' '.join(cases)} END"
            where += " AND p.min_amount_minor IS NOT NULL"
        sql = f"{head}SELECT {key} AS k, count(*) FROM {joins} WHERE {where} GROUP BY 1"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*head_params, *select_params, *join_params, *where_params])
            return {row[0]: int(row[1]) for row in cursor.fetchall()}


def _title_form(text: str, stem: str, cjk: bool) -> str:
    """The part of a token a matching title holds: the stem when it is a prefix of the word
    (``candles`` → ``candl``, found in "candle"), else the word."""
    if not cjk and len(stem) >= 3 and text.startswith(stem):
        return stem
    return text
