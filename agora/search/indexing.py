"""Writes the search index from the catalogue: one product at a time for events, everything for
``agora search reindex``.

Each document is rebuilt from the source tables, never patched from an event's payload, so
applying an event twice, or out of order, leaves the same document (the current state). A
product that is not published (draft, archived, deleted) has no document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Min, Sum

from agora.catalog.models import Category, Product, Variant
from agora.core import clock
from agora.inventory.selectors import available_by_variant
from agora.orders.models import Order, OrderLine
from agora.pricing.models import Price
from agora.search import ranking
from agora.search.backends import backend
from agora.search.compose import CategoryNode, ProductFacts, compose
from agora.search.models import SearchDocument, SearchGram, SearchPrice, SearchTerm
from agora.search.text import stem

BATCH = 500
CHUNK = 500  # ids per IN list (SQLite binds at most 32766 variables per statement)
VOCABULARY_KEY = "vocabulary"
# Orders whose units count as sold for popularity (placed is not paid yet; cancelled and
# refunded did not sell).
SOLD = (
    Order.Status.PAID,
    Order.Status.PARTIALLY_FULFILLED,
    Order.Status.FULFILLED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
)
_DOCUMENT_FIELDS = [f.name for f in SearchDocument._meta.concrete_fields if f.name != "product_id"]

Progress = Callable[[int, int], None]


def _chunks(values: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def category_tree() -> dict[int, CategoryNode]:
    return {
        row["id"]: CategoryNode(row["id"], row["parent_id"], row["name"], row["translations"] or {})
        for row in Category.objects.values("id", "parent_id", "name", "translations")
    }


def gather(product_ids: list[int]) -> list[ProductFacts]:
    """Facts about the published products among ``product_ids``: a constant number of queries
    per call, whatever the number of products."""
    facts: dict[int, ProductFacts] = {}
    for chunk in _chunks(product_ids):
        for row in Product.objects.filter(pk__in=chunk, status=Product.Status.PUBLISHED).values(
            "id",
            "public_id",
            "seller_id",
            "seller__display_name",
            "category_id",
            "language",
            "title",
            "description",
            "translations",
            "attributes",
            "published_at",
        ):
            facts[row["id"]] = ProductFacts(
                id=row["id"],
                public_id=row["public_id"],
                seller_id=row["seller_id"],
                seller_name=row["seller__display_name"],
                category_id=row["category_id"],
                language=row["language"],
                title=row["title"],
                description=row["description"],
                translations=row["translations"] or {},
                attributes=row["attributes"] or {},
                published_at=row["published_at"],
            )
    ids = list(facts)
    variant_product: dict[int, int] = {}
    for chunk in _chunks(ids):
        for vid, pid, sku in Variant.objects.filter(product_id__in=chunk).values_list(
            "id", "product_id", "sku"
        ):
            variant_product[vid] = pid
            facts[pid].skus.append(sku)
        for row in (
            Price.objects.filter(variant__product_id__in=chunk)
            .values("variant__product_id", "currency")
            .annotate(low=Min("amount_minor"))
        ):
            facts[row["variant__product_id"]].min_prices[row["currency"]] = row["low"]
        for row in (
            OrderLine.objects.filter(variant__product_id__in=chunk, order__status__in=SOLD)
            .values("variant__product_id")
            .annotate(units=Sum(F("quantity") - F("returned_quantity")))
        ):
            facts[row["variant__product_id"]].units_sold = int(row["units"] or 0)
    for chunk in _chunks(list(variant_product)):
        for vid, units in available_by_variant(variant_ids=chunk).items():
            facts[variant_product[vid]].available += max(units, 0)
    return [facts[pid] for pid in ids]


def _write(documents: list[dict[str, Any]]) -> None:
    now = clock.now()
    rows = [
        SearchDocument(
            indexed_at=now, **{k: v for k, v in doc.items() if k not in {"prices", "grams"}}
        )
        for doc in documents
    ]
    SearchDocument.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["product_id"],
        update_fields=_DOCUMENT_FIELDS,
        batch_size=200,
    )
    ids = [doc["product_id"] for doc in documents]
    for chunk in _chunks(ids):
        SearchPrice.objects.filter(document_id__in=chunk).delete()
        SearchGram.objects.filter(document_id__in=chunk).delete()
    SearchGram.objects.bulk_create(
        [
            SearchGram(document_id=doc["product_id"], gram=g)
            for doc in documents
            for g in doc["grams"]
        ],
        batch_size=1000,
    )
    SearchPrice.objects.bulk_create(
        [
            SearchPrice(document_id=doc["product_id"], currency=currency, min_amount_minor=amount)
            for doc in documents
            for currency, amount in doc["prices"].items()
        ],
        batch_size=500,
    )
    backend().write(documents)


def _remove(product_ids: list[int]) -> None:
    for chunk in _chunks(product_ids):
        SearchPrice.objects.filter(document_id__in=chunk).delete()
        SearchGram.objects.filter(document_id__in=chunk).delete()
        SearchDocument.objects.filter(product_id__in=chunk).delete()
    backend().remove(product_ids)


def _old_terms(product_ids: list[int]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for chunk in _chunks(product_ids):
        for terms in SearchDocument.objects.filter(product_id__in=chunk).values_list(
            "terms", flat=True
        ):
            counts.update(terms or [])
    return counts


def _apply_vocabulary(delta: Counter[str] | dict[str, int]) -> None:
    """Adds ``delta`` to the documents-per-word counts; words that reach zero go. The
    vocabulary's version moves only when a word appears or disappears."""
    changes = {term: n for term, n in delta.items() if n}
    if not changes:
        return
    table = SearchTerm._meta.db_table
    existing: set[str] = set()
    for chunk in _chunks(sorted(changes)):
        existing.update(SearchTerm.objects.filter(term__in=chunk).values_list("term", flat=True))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (term, stem, df) VALUES (%s, %s, %s) "
            f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + excluded.df",
            [(term, stem(term), n) for term, n in sorted(changes.items())],
        )
        cursor.execute(f"DELETE FROM {table} WHERE df <= 0")
        removed = cursor.rowcount
    added = any(term not in existing for term, n in changes.items() if n > 0)
    if added or removed:
        bump_vocabulary_version()


def bump_vocabulary_version() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_state (key, value) VALUES (%s, 1) "
            "ON CONFLICT (key) DO UPDATE SET value = search_state.value + 1",
            [VOCABULARY_KEY],
        )


def refresh(product_ids: Iterable[int]) -> int:
    """Rebuilds the documents of these products from the catalogue (removing those that are no
    longer published); returns how many documents exist for them afterwards."""
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    with transaction.atomic():
        old = _old_terms(ids)
        tree = category_tree()
        documents = [compose(f, tree) for f in gather(ids)]
        gone = sorted(set(ids) - {d["product_id"] for d in documents})
        new: Counter[str] = Counter()
        for doc in documents:
            new.update(doc["terms"])
        if gone:
            _remove(gone)
        if documents:
            _write(documents)
        new.subtract(old)
        _apply_vocabulary(new)
    return len(documents)


def refresh_counters(product_ids: Iterable[int]) -> int:
    """Brings the stock flag, popularity and boost of these products' documents up to date,
    leaving their text alone; returns how many documents changed.

    Stock and sales change with every order, text only when a seller edits it: in a flash sale
    every checkout publishes ``stock.changed`` and ``order.paid``, and rebuilding whole
    documents (text, vocabulary, n-grams) for each was the search index's share of the sale.
    Two aggregate queries, and a write only where a figure moved."""
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    variant_product = dict(
        Variant.objects.filter(product_id__in=ids).values_list("id", "product_id")
    )
    available: dict[int, int] = dict.fromkeys(ids, 0)
    for vid, units in available_by_variant(variant_ids=list(variant_product)).items():
        available[variant_product[vid]] += max(units, 0)
    sold: dict[int, int] = dict.fromkeys(ids, 0)
    for row in (
        OrderLine.objects.filter(variant__product_id__in=ids, order__status__in=SOLD)
        .values("variant__product_id")
        .annotate(units=Sum(F("quantity") - F("returned_quantity")))
    ):
        sold[row["variant__product_id"]] = max(int(row["units"] or 0), 0)
    changed = 0
    with transaction.atomic():
        for doc in SearchDocument.objects.select_for_update().filter(product_id__in=ids):
            in_stock = available[doc.product_id] > 0
            popularity = sold[doc.product_id]
            if (doc.in_stock, doc.popularity) == (in_stock, popularity):
                continue
            SearchDocument.objects.filter(product_id=doc.product_id).update(
                in_stock=in_stock,
                popularity=popularity,
                boost=ranking.boost(popularity, in_stock),
            )
            changed += 1
    return changed


def remove_public_ids(public_ids: Iterable[str]) -> int:
    """Drops the documents of products known only by public id (a deleted product's row is
    gone, so its integer id can only be found here)."""
    ids = list(
        SearchDocument.objects.filter(public_id__in=list(public_ids)).values_list(
            "product_id", flat=True
        )
    )
    if not ids:
        return 0
    with transaction.atomic():
        old = _old_terms(ids)
        _remove(ids)
        _apply_vocabulary({term: -n for term, n in old.items()})
    return len(ids)


def rebuild(*, progress: Progress | None = None, batch: int = BATCH) -> int:
    """Rebuilds the whole index in one transaction (searches keep seeing the old index until
    it commits); returns the number of documents."""
    with transaction.atomic():
        SearchPrice.objects.all().delete()
        SearchGram.objects.all().delete()
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        backend().clear()
        ids = list(
            Product.objects.filter(status=Product.Status.PUBLISHED)
            .order_by("id")
            .values_list("id", flat=True)
        )
        tree = category_tree()
        vocabulary: Counter[str] = Counter()
        done = 0
        if progress:
            progress(0, len(ids))
        for chunk in _chunks(ids, batch):
            documents = [compose(f, tree) for f in gather(chunk)]
            for doc in documents:
                vocabulary.update(doc["terms"])
            _write(documents)
            done += len(chunk)
            if progress:
                progress(done, len(ids))
        _apply_vocabulary(vocabulary)
        bump_vocabulary_version()
        backend().optimise()
    return SearchDocument.objects.count()


def product_ids_for_public_ids(public_ids: Iterable[str]) -> list[int]:
    return list(Product.objects.filter(public_id__in=list(public_ids)).values_list("id", flat=True))


def product_ids_of_order(order_public_id: str) -> list[int]:
    """The products an order sold (their popularity moves with it)."""
    lines = OrderLine.objects.filter(order__public_id=order_public_id, variant__isnull=False)
    return sorted(set(lines.values_list("variant__product_id", flat=True)))
