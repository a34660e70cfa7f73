"""Use cases of orders. So far: writing historic orders that come from outside (an importer).

:func:`order_import_batch` takes one already-parsed batch (one file of an import) and writes, in
one transaction, everything the batch implies: buyers, products with their one variant, title
history, price history and current prices, orders with their lines, and returns against earlier
lines. It is keyed by external references (invoice number + line number, return invoice + line
number), so importing the same batch again writes nothing.

Two deliberate departures from the per-row services of catalog and pricing, both for historic
data only:

- Rows are written in bulk (hundreds of thousands of lines must load in seconds), not through
  ``product_create``/``price_set``, which audit and publish per row: ``bulk_create`` where ids
  or public ids are needed, plain multi-row inserts (:func:`_insert_plain`) for order lines,
  price changes and current prices. One audit entry per batch that changed something records
  who imported what.
- **No domain events are published.** 18 000 ``order.placed`` or 130 000 ``price.changed``
  events for sales of 2011 would only fill the outbox and wake webhooks and handlers for the
  past. Capabilities that need the history (recommendations, forecasts) read the tables.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connections, router, transaction
from django.db.models import (
    CharField,
    F,
    ForeignKey,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Subquery,
    Sum,
)
from django.utils.text import slugify

from agora.accounts.models import User
from agora.catalog.models import Product, ProductTextHistory, Variant
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access
from agora.orders.models import Order, OrderLine, OrderReturn, OrderReturnLine
from agora.pricing.models import Price, PriceChange

_CHUNK = 900  # values per IN (...) list: far below every database's parameter limit


# --- what an importer hands over ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedBuyer:
    email: str
    display_name: str
    first_seen: datetime


@dataclass(frozen=True, slots=True)
class ImportedSale:
    """One accepted sale row: becomes line ``line_no`` of the order ``invoice``."""

    invoice: str
    line_no: int
    sku: str
    description: str
    quantity: int
    unit_price_minor: int
    at: datetime
    buyer_email: str | None  # None: a guest sale (the order has no buyer)
    country: str


@dataclass(frozen=True, slots=True)
class ImportedReturn:
    """One accepted cancellation row: ``quantity`` (> 0) units of ``sku`` come back from the
    buyer; it is booked against an earlier line of that buyer with enough un-returned units."""

    invoice: str
    line_no: int
    sku: str
    quantity: int
    at: datetime
    buyer_email: str


@dataclass(slots=True)
class ImportBatch:
    source: str  # e.g. the file name, for the audit log
    currency: str
    invoices: set[str]  # every invoice number of the source, to count its orders
    buyers: dict[str, ImportedBuyer] = field(default_factory=dict)  # by email
    sales: list[ImportedSale] = field(default_factory=list)  # in source order
    returns: list[ImportedReturn] = field(default_factory=list)  # in source order


@dataclass(slots=True)
class ImportBatchResult:
    orders: int = 0  # orders of the batch's invoices now in the database
    new_orders: int = 0
    new_lines: int = 0
    new_buyers: int = 0
    new_products: int = 0
    new_title_changes: int = 0
    new_price_changes: int = 0
    new_return_lines: int = 0
    unmatched_returns: list[ImportedReturn] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _ProductState:
    variant_id: int
    product_id: int
    title: str
    since: datetime  # when the current title took effect


@dataclass
class ImportCache:
    """Ids the importer has already resolved (buyer email → user id, SKU → product and its
    current title), so each batch asks the database only about what it has not seen. Meant for
    one run of an importer; bounded by the number of distinct buyers and SKUs, not by the number
    of rows or batches. A batch works on a copy that is adopted only after its transaction
    succeeded, so a rolled-back batch leaves no ids of rows that do not exist."""

    seller_id: int | None = None
    users: dict[str, int] = field(default_factory=dict)
    products: dict[str, _ProductState] = field(default_factory=dict)

    def fork(self, seller_id: int) -> ImportCache:
        if self.seller_id not in (None, seller_id):
            return ImportCache(seller_id=seller_id)
        return ImportCache(
            seller_id=seller_id, users=dict(self.users), products=dict(self.products)
        )

    def adopt(self, other: ImportCache) -> None:
        self.seller_id, self.users, self.products = other.seller_id, other.users, other.products


def _insert_plain(
    model: type[Model],
    names: list[str],
    rows: list[tuple[Any, ...]],
    *,
    upsert: tuple[list[str], list[str]] | None = None,
) -> None:
    """Inserts ``rows`` (values in the order of the field ``names``) in a few statements; with
    ``upsert=(unique fields, fields to update)`` a row that exists is updated instead
    (``ON CONFLICT … DO UPDATE``, the same SQL on SQLite and PostgreSQL).

    For the tables an import fills by the hundred thousand (order lines, price changes, current
    prices), building a model instance per row made ``bulk_create`` cost four times the
    database's own work. Only for models without ``pre_save`` logic (no public id, no
    ``auto_now``) and when the caller needs no ids back; values pass through the fields'
    ``get_db_prep_save`` where the type needs it (datetimes), so every backend gets what the
    ORM would send.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(model._meta.get_field(name).column)  # type: ignore[union-attr]

    fields = [model._meta.get_field(name) for name in names]
    prepare = [
        i for i, f in enumerate(fields) if not isinstance(f, (IntegerField, CharField, ForeignKey))
    ]
    if prepare:
        rows = [list(row) for row in rows]  # type: ignore[misc]
        for row in rows:
            for i in prepare:
                row[i] = fields[i].get_db_prep_save(row[i], connection)  # type: ignore[index]
    columns = ", ".join(column(name) for name in names)
    one_row = "(" + ", ".join(["%s"] * len(names)) + ")"
    suffix = ""
    if upsert is not None:
        unique, update = upsert
        assignments = ", ".join(f"{column(n)} = excluded.{column(n)}" for n in update)
        suffix = (
            f" ON CONFLICT ({', '.join(column(n) for n in unique)}) DO UPDATE SET {assignments}"
        )

    def insert(count: int) -> str:
        values = ", ".join([one_row] * count)
        return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}{suffix}"

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite runs one prepared single-row statement fastest, in process.
            for chunk in _chunks(rows, 5000):
                cursor.executemany(insert(1), chunk)
            return
        # A server parses every statement it is sent: many rows per statement (under the
        # 65535 bind parameters PostgreSQL allows), as bulk_create does.
        per_statement = max(1, 8000 // len(names))
        for chunk in _chunks(rows, per_statement):
            cursor.execute(insert(len(chunk)), [value for row in chunk for value in row])


def _chunks[T](items: Iterable[T], size: int = _CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- the use case ---------------------------------------------------------------------------


def order_import_batch(
    *, actor: Actor, seller: Seller, batch: ImportBatch, cache: ImportCache | None = None
) -> ImportBatchResult:
    """Writes one batch of historic sales and returns, all or nothing; see the module docstring.

    Only rows that are new (their invoice + line is not in the database yet) change titles and
    prices, so a re-run writes nothing at all. Returns that match no earlier line are handed
    back in ``unmatched_returns`` for the importer to report; they write nothing.
    """
    require_seller_access(actor, seller, "orders:write")
    cache = cache if cache is not None else ImportCache()
    work = cache.fork(seller.pk)
    result = ImportBatchResult()
    with transaction.atomic():
        # Serialises two imports into the same seller (PostgreSQL; SQLite's IMMEDIATE
        # transactions already queue writers), so neither fails on the other's invoices.
        Seller.objects.select_for_update().filter(pk=seller.pk).first()
        result.new_buyers = _write_buyers(batch, work)
        existing_orders, new_sales = _new_sales(seller, batch)
        created, result.new_title_changes = _write_products(seller, new_sales, work)
        result.new_products = len(created)
        result.new_orders = _write_orders(seller, batch, new_sales, existing_orders, work)
        result.new_lines = len(new_sales)
        result.orders = len(existing_orders) + result.new_orders
        result.new_price_changes = _write_prices(
            actor,
            seller,
            batch.currency,
            new_sales,
            work,
            created=created,
            rerun=bool(existing_orders),
        )
        result.new_return_lines, result.unmatched_returns = _write_returns(seller, batch, work)
        if result.new_lines or result.new_return_lines or result.new_buyers:
            counts = {
                f.name: getattr(result, f.name)
                for f in dataclasses.fields(result)
                if isinstance(getattr(result, f.name), int)
            }
            audit_record(
                actor=actor,
                action="orders.imported",
                target=seller,
                seller_id=seller.pk,
                changes={"source": batch.source, **counts},
            )
    cache.adopt(work)
    return result


def _write_buyers(batch: ImportBatch, work: ImportCache) -> int:
    """Users for buyers not seen before, with an unusable password: historic customers can
    claim their account later through a password reset, never with a guessable default."""
    missing = [email for email in batch.buyers if email not in work.users]
    for chunk in _chunks(missing):
        work.users.update(User.objects.filter(email__in=chunk).values_list("email", "id"))
    to_create = [
        User(
            email=email,
            password=make_password(None),
            display_name=batch.buyers[email].display_name,
            date_joined=batch.buyers[email].first_seen,
        )
        for email in missing
        if email not in work.users
    ]
    User.objects.bulk_create(to_create)
    work.users.update((user.email, user.pk) for user in to_create)
    return len(to_create)


def _new_sales(seller: Seller, batch: ImportBatch) -> tuple[dict[str, int], list[ImportedSale]]:
    """The batch's orders already in the database, and the sale rows not written yet."""
    existing: dict[str, int] = {}
    for chunk in _chunks(sorted(batch.invoices)):
        existing.update(
            Order.objects.filter(
                seller=seller, channel=Order.Channel.IMPORT, external_ref__in=chunk
            ).values_list("external_ref", "id")
        )
    if not existing:
        return existing, list(batch.sales)
    present: set[tuple[int, int]] = set()
    for chunk in _chunks(existing.values()):
        lines = OrderLine.objects.filter(order_id__in=chunk)
        present.update(lines.values_list("order_id", "line_no"))
    return existing, [s for s in batch.sales if (existing.get(s.invoice), s.line_no) not in present]


def _chronological(sales: list[ImportedSale]) -> list[ImportedSale]:
    """By time, rows of the same moment in source order (``sorted`` is stable)."""
    return sorted(sales, key=lambda s: s.at)


def _write_products(
    seller: Seller, sales: list[ImportedSale], work: ImportCache
) -> tuple[set[int], int]:
    """A one-variant product per new SKU; the latest description (by time) becomes the title,
    each title it replaces goes to ``ProductTextHistory`` with the span it was in force.
    Returns the ids of the variants it created and the number of title changes."""
    if not sales:
        return set(), 0
    ordered = _chronological(sales)
    unknown = {s.sku for s in ordered} - work.products.keys()
    for chunk in _chunks(sorted(unknown)):
        rows = list(
            Variant.objects.filter(seller=seller, sku__in=chunk).values_list(
                "id", "product_id", "sku", "product__title", "product__created_at"
            )
        )
        last_change = dict(
            ProductTextHistory.objects.filter(product_id__in=[r[1] for r in rows], field="title")
            .values("product_id")
            .annotate(latest=Max("replaced_at"))
            .values_list("product_id", "latest")
        )
        for variant_id, product_id, sku, title, created_at in rows:
            since = max(created_at, last_change.get(product_id, created_at))
            work.products[sku] = _ProductState(variant_id, product_id, title, since)

    # New products start with their first description; the walk below moves them on.
    fresh: dict[str, _ProductState] = {}
    first_at: dict[str, datetime] = {}
    for s in ordered:
        if s.sku in work.products:
            continue
        first_at.setdefault(s.sku, s.at)
        if s.sku not in fresh or (not fresh[s.sku].title and s.description):
            fresh[s.sku] = _ProductState(0, 0, s.description, first_at[s.sku])
    for sku, state in fresh.items():
        if not state.title:
            fresh[sku] = dataclasses.replace(state, title=sku)

    known = {s.sku for s in ordered} - fresh.keys()
    states = {**{sku: work.products[sku] for sku in known}, **fresh}
    history: list[tuple[str, str, datetime, datetime]] = []  # sku, old title, from, replaced at
    known_titles: dict[str, set[str]] = {}
    for s in ordered:
        state = states[s.sku]
        if not s.description or s.description == state.title:
            continue
        if s.at >= state.since:
            history.append((s.sku, state.title, state.since, s.at))
            states[s.sku] = dataclasses.replace(state, title=s.description, since=s.at)
        else:  # an older description arriving late (files imported out of order)
            seen = known_titles.get(s.sku)
            if seen is None:
                older = ProductTextHistory.objects.filter(
                    product_id=state.product_id, field="title"
                )
                seen = known_titles[s.sku] = set(older.values_list("value", flat=True))
            if s.description not in seen:
                seen.add(s.description)
                history.append((s.sku, s.description, s.at, state.since))

    products = [
        Product(
            seller=seller,
            slug=_slug(sku),
            title=states[sku].title[:300],
            language="en",
            status=Product.Status.PUBLISHED,
            published_at=first_at[sku],
            created_at=first_at[sku],
            updated_at=states[sku].since,
        )
        for sku in fresh
    ]
    Product.objects.bulk_create(products)
    variants = [
        Variant(product=p, seller=seller, sku=sku, position=0, created_at=p.created_at)
        for sku, p in zip(fresh, products, strict=True)
    ]
    Variant.objects.bulk_create(variants)
    for sku, variant in zip(fresh, variants, strict=True):
        states[sku] = dataclasses.replace(
            states[sku], variant_id=variant.pk, product_id=variant.product_id
        )

    renamed = [
        Product(pk=state.product_id, title=state.title[:300], updated_at=state.since)
        for sku, state in states.items()
        if sku not in fresh and state != work.products[sku]
    ]
    Product.objects.bulk_update(renamed, ["title", "updated_at"], batch_size=200)
    ProductTextHistory.objects.bulk_create(
        ProductTextHistory(
            product_id=states[sku].product_id,
            field="title",
            value=value,
            valid_from=start,
            replaced_at=end,
        )
        for sku, value, start, end in history
    )
    work.products.update(states)
    return {v.pk for v in variants}, len(history)


def _slug(sku: str) -> str:
    return slugify(f"sku-{sku}")[:120]


def _write_orders(
    seller: Seller, batch: ImportBatch, sales: list[ImportedSale], existing: dict[str, int],
    work: ImportCache,
) -> int:  # fmt: skip
    """Orders for new invoices (status completed: they are history), then every new line."""
    by_invoice: dict[str, list[ImportedSale]] = defaultdict(list)
    for s in sales:
        by_invoice[s.invoice].append(s)
    orders = []
    for invoice, rows in by_invoice.items():
        if invoice in existing:
            continue
        first = rows[0]
        amount = sum(r.quantity * r.unit_price_minor for r in rows)
        buyer_id = work.users[first.buyer_email] if first.buyer_email else None
        orders.append(
            Order(
                seller=seller,
                buyer_id=buyer_id,
                channel=Order.Channel.IMPORT,
                external_ref=invoice,
                status=Order.Status.COMPLETED,
                currency=batch.currency,
                subtotal_minor=amount,
                total_minor=amount,
                ship_country=first.country,
                placed_at=min(r.at for r in rows),
            )
        )
    Order.objects.bulk_create(orders)
    order_ids = {**existing, **{o.external_ref: o.pk for o in orders}}
    _insert_plain(
        OrderLine,
        [
            "order",
            "line_no",
            "variant",
            "sku",
            "title",
            "quantity",
            "unit_price_minor",
            "total_minor",
            "returned_quantity",
        ],
        [
            (
                order_ids[s.invoice],
                s.line_no,
                work.products[s.sku].variant_id,
                s.sku,
                (s.description or work.products[s.sku].title)[:300],
                s.quantity,
                s.unit_price_minor,
                s.quantity * s.unit_price_minor,
                0,
            )
            for s in sales
        ],
    )
    grown = [order_ids[i] for i in by_invoice if i in existing]
    if grown:  # lines added to orders of an earlier run: their totals follow
        totals = (
            OrderLine.objects.filter(order_id__in=grown)
            .values("order_id")
            .annotate(amount=Sum("total_minor"))
            .values_list("order_id", "amount")
        )
        Order.objects.bulk_update(
            [Order(pk=pk, subtotal_minor=amount, total_minor=amount) for pk, amount in totals],
            ["subtotal_minor", "total_minor"],
        )
    return len(orders)


def _write_prices(
    actor: Actor,
    seller: Seller,
    currency: str,
    sales: list[ImportedSale],
    work: ImportCache,
    *,
    created: set[int],
    rerun: bool,
) -> int:
    """Appends a ``PriceChange`` (effective at the sale) whenever a variant sells at another
    price than the one before it, and keeps ``Price`` at the latest one.

    The price before the batch is read from the history (except for variants ``created`` by
    this batch, which have none), so batches may arrive in any order. When the batch adds lines
    to orders written before (``rerun``), a change already in the history (same variant, moment
    and amount) is not written twice.
    """
    if not sales:
        return 0
    ordered = _chronological(sales)
    start, end = ordered[0].at, ordered[-1].at
    variant_ids = sorted({work.products[s.sku].variant_id for s in ordered})
    before: dict[int, int | None] = dict.fromkeys(created)
    already: set[tuple[int, datetime, int | None]] = set()
    history = PriceChange.objects.filter(currency=currency)
    for chunk in _chunks([v for v in variant_ids if v not in created]):
        latest = history.filter(variant_id=OuterRef("pk"), effective_at__lt=start).order_by(
            "-effective_at", "-id"
        )
        before.update(
            Variant.objects.filter(id__in=chunk)
            .annotate(amount=Subquery(latest.values("amount_minor")[:1]))
            .values_list("id", "amount")
        )
        if rerun:
            already.update(
                history.filter(variant_id__in=chunk, effective_at__range=(start, end)).values_list(
                    "variant_id", "effective_at", "amount_minor"
                )
            )
    changes: list[tuple[int, str, int, datetime, str, str]] = []
    last: dict[int, tuple[datetime, int]] = {}
    current = dict(before)
    label = actor.label[:200]
    for s in ordered:
        variant_id = work.products[s.sku].variant_id
        if current.get(variant_id) == s.unit_price_minor:
            continue
        current[variant_id] = s.unit_price_minor
        if (variant_id, s.at, s.unit_price_minor) in already:
            continue
        changes.append((variant_id, currency, s.unit_price_minor, s.at, "import", label))
        last[variant_id] = (s.at, s.unit_price_minor)
    _insert_plain(
        PriceChange,
        ["variant", "currency", "amount_minor", "effective_at", "source", "actor_label"],
        changes,
    )

    updated_at: dict[int, datetime] = {}
    for chunk in _chunks(sorted(last)):
        updated_at.update(
            Price.objects.filter(variant_id__in=chunk, currency=currency).values_list(
                "variant_id", "updated_at"
            )
        )
    # One upsert for new and moved prices; a price set later than this batch's last change
    # (batches out of order) stays as it is.
    _insert_plain(
        Price,
        ["variant", "seller", "currency", "amount_minor", "updated_at"],
        [
            (variant_id, seller.pk, currency, amount, at)
            for variant_id, (at, amount) in last.items()
            if variant_id not in updated_at or updated_at[variant_id] <= at
        ],
        upsert=(["variant", "currency"], ["amount_minor", "updated_at"]),
    )
    return len(changes)


def _write_returns(
    seller: Seller, batch: ImportBatch, work: ImportCache
) -> tuple[int, list[ImportedReturn]]:
    """Books each new return row against the most recent earlier line (placed at or before the
    return) of the same buyer and SKU that still has enough un-returned units; one
    ``OrderReturn`` per return invoice and original order. An order whose every unit came back
    becomes ``refunded``."""
    if not batch.returns:
        return 0, []
    refs = {f"{r.invoice}:{r.line_no}": r for r in batch.returns}
    done: set[str] = set()
    for chunk in _chunks(refs):
        done.update(
            OrderReturnLine.objects.filter(
                external_ref__in=chunk, order_return__order__seller=seller
            ).values_list("external_ref", flat=True)
        )
    todo = sorted((r for ref, r in refs.items() if ref not in done), key=lambda r: r.at)
    if not todo:
        return 0, []

    buyer_ids = sorted({work.users[r.buyer_email] for r in todo})
    skus = sorted({r.sku for r in todo})
    latest = max(r.at for r in todo)
    candidates: dict[tuple[int, str], list[tuple[datetime, int, int]]] = defaultdict(list)
    remaining: dict[int, int] = {}
    for buyers in _chunks(buyer_ids, 400):
        for sku_chunk in _chunks(skus, 400):
            rows = OrderLine.objects.filter(
                order__seller=seller,
                order__channel=Order.Channel.IMPORT,
                order__buyer_id__in=buyers,
                sku__in=sku_chunk,
                order__placed_at__lte=latest,
            ).values_list(
                "id",
                "order_id",
                "order__buyer_id",
                "sku",
                "order__placed_at",
                "quantity",
                "returned_quantity",
            )
            for line_id, order_id, buyer_id, sku, placed_at, quantity, returned in rows:
                candidates[(buyer_id, sku)].append((placed_at, line_id, order_id))
                remaining[line_id] = quantity - returned
    for lines in candidates.values():
        lines.sort(reverse=True)  # most recent first

    matched: list[tuple[ImportedReturn, int, int]] = []  # row, line id, order id
    unmatched: list[ImportedReturn] = []
    for r in todo:
        lines = candidates.get((work.users[r.buyer_email], r.sku), [])
        pick = next(
            (
                (line_id, order_id)
                for placed_at, line_id, order_id in lines
                if placed_at <= r.at and remaining[line_id] >= r.quantity
            ),
            None,
        )
        if pick is None:
            unmatched.append(r)
            continue
        remaining[pick[0]] -= r.quantity
        matched.append((r, *pick))
    if not matched:
        return 0, unmatched

    headers: dict[tuple[str, int], int] = {}
    for chunk in _chunks(sorted({r.invoice for r, _, _ in matched})):
        headers.update(
            ((ref, order_id), pk)
            for ref, order_id, pk in OrderReturn.objects.filter(
                external_ref__in=chunk, order__seller=seller
            ).values_list("external_ref", "order_id", "id")
        )
    new_headers: dict[tuple[str, int], OrderReturn] = {}
    for r, _, order_id in matched:
        if (r.invoice, order_id) not in headers and (r.invoice, order_id) not in new_headers:
            new_headers[(r.invoice, order_id)] = OrderReturn(
                order_id=order_id,
                status=OrderReturn.Status.REFUNDED,
                external_ref=r.invoice,
                reason=f"cancellation invoice {r.invoice}"[:200],
                created_at=r.at,
            )
    OrderReturn.objects.bulk_create(list(new_headers.values()))
    headers.update((key, header.pk) for key, header in new_headers.items())
    OrderReturnLine.objects.bulk_create(
        OrderReturnLine(
            order_return_id=headers[(r.invoice, order_id)],
            line_id=line_id,
            quantity=r.quantity,
            external_ref=f"{r.invoice}:{r.line_no}",
        )
        for r, line_id, order_id in matched
    )
    returned: dict[int, int] = defaultdict(int)
    for r, line_id, _ in matched:
        returned[line_id] += r.quantity
    booked = list(OrderLine.objects.filter(id__in=list(returned)).only("id", "returned_quantity"))
    for line in booked:
        line.returned_quantity += returned[line.pk]
    OrderLine.objects.bulk_update(booked, ["returned_quantity"], batch_size=200)

    touched = sorted({order_id for _, _, order_id in matched})
    open_units = (
        OrderLine.objects.filter(order_id__in=touched)
        .values("order_id")
        .annotate(open=Sum(F("quantity") - F("returned_quantity")))
        .values_list("order_id", "open")
    )
    closed = [order_id for order_id, units in open_units if units == 0]
    Order.objects.filter(id__in=closed).update(status=Order.Status.REFUNDED)
    return len(matched), unmatched
