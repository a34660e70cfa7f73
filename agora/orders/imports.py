"""The use case of writing historic orders that come from outside (an importer).

:func:`order_import_batch` takes one already-parsed batch (one file of an import) and writes, in
one transaction, everything the batch implies: buyers, products with their one variant, title
history, price history and current prices, orders with their lines, and returns against earlier
lines. It is keyed by external references (invoice number + line number, return invoice + line
number), so importing the same batch again writes nothing.

Each app writes its own tables: this module checks permission, takes the seller's lock, decides
which rows are new and calls the bulk services of accounts (buyers), catalog (products and
titles), pricing (price history) and orders (orders, lines, returns). Two deliberate departures
from the per-row services of those apps, both for historic data only:

- Rows are written in bulk (hundreds of thousands of lines must load in seconds), not through
  ``product_create``/``price_set``, which audit and publish per row. One audit entry per batch
  that changed something records who imported what.
- **No domain events are published.** 18 000 ``order.placed`` or 130 000 ``price.changed``
  events for sales of 2011 would only fill the outbox and wake webhooks and handlers for the
  past. Capabilities that need the history (recommendations, forecasts) read the tables.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from django.db import transaction

from agora.accounts.bulk import ImportedBuyer, buyers_import_bulk
from agora.catalog.bulk import ProductState, products_import_bulk
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.bulk import chunks
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access
from agora.orders.bulk import ImportedReturn, ImportedSale, orders_import_bulk, returns_import_bulk
from agora.orders.models import Order, OrderLine
from agora.pricing.bulk import price_history_import_bulk

__all__ = [
    "ImportBatch",
    "ImportBatchResult",
    "ImportCache",
    "ImportedBuyer",
    "ImportedReturn",
    "ImportedSale",
    "order_import_batch",
]


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


@dataclass
class ImportCache:
    """Ids the importer has already resolved (buyer email → user id, SKU → product and its
    current title), so each batch asks the database only about what it has not seen. Meant for
    one run of an importer; bounded by the number of distinct buyers and SKUs, not by the number
    of rows or batches. A batch works on a copy that is adopted only after its transaction
    succeeded, so a rolled-back batch leaves no ids of rows that do not exist."""

    seller_id: int | None = None
    users: dict[str, int] = field(default_factory=dict)
    products: dict[str, ProductState] = field(default_factory=dict)

    def fork(self, seller_id: int) -> ImportCache:
        if self.seller_id not in (None, seller_id):
            return ImportCache(seller_id=seller_id)
        return ImportCache(
            seller_id=seller_id, users=dict(self.users), products=dict(self.products)
        )

    def adopt(self, other: ImportCache) -> None:
        self.seller_id, self.users, self.products = other.seller_id, other.users, other.products


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
        buyers = buyers_import_bulk(buyers=batch.buyers, known=work.users.keys())
        work.users.update(buyers.ids)
        result.new_buyers = buyers.created

        existing_orders, new_sales = _new_sales(seller, batch)
        products = products_import_bulk(seller=seller, sightings=new_sales, known=work.products)
        work.products.update(products.states)
        result.new_products = len(products.created_variant_ids)
        result.new_title_changes = products.title_changes

        result.new_orders = orders_import_bulk(
            seller=seller,
            currency=batch.currency,
            sales=new_sales,
            existing=existing_orders,
            buyer_ids=work.users,
            products=work.products,
        )
        result.new_lines = len(new_sales)
        result.orders = len(existing_orders) + result.new_orders
        result.new_price_changes = price_history_import_bulk(
            actor=actor,
            seller=seller,
            currency=batch.currency,
            sightings=new_sales,
            variant_ids={sku: state.variant_id for sku, state in products.states.items()},
            new_variant_ids=products.created_variant_ids,
            rerun=bool(existing_orders),
        )
        result.new_return_lines, result.unmatched_returns = returns_import_bulk(
            seller=seller, returns=batch.returns, buyer_ids=work.users
        )
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


def _new_sales(seller: Seller, batch: ImportBatch) -> tuple[dict[str, int], list[ImportedSale]]:
    """The batch's orders already in the database, and the sale rows not written yet."""
    existing: dict[str, int] = {}
    for chunk in chunks(sorted(batch.invoices)):
        existing.update(
            Order.objects.filter(
                seller=seller, channel=Order.Channel.IMPORT, external_ref__in=chunk
            ).values_list("external_ref", "id")
        )
    if not existing:
        return existing, list(batch.sales)
    present: set[tuple[int, int]] = set()
    for chunk in chunks(existing.values()):
        lines = OrderLine.objects.filter(order_id__in=chunk)
        present.update(lines.values_list("order_id", "line_no"))
    return existing, [s for s in batch.sales if (existing.get(s.invoice), s.line_no) not in present]
