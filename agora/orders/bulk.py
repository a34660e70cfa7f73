"""Bulk writes of orders, for historic loads (imports) only: orders with their lines, and
returns booked against earlier lines.

Called by :func:`agora.orders.imports.order_import_batch` inside its transaction, after the
buyers, products and prices the rows refer to exist. Nothing here audits or publishes: the
caller records one audit entry per batch, and 18 000 ``order.placed`` events for sales of 2011
would only fill the outbox and wake webhooks and handlers for the past.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Sum

from agora.catalog.bulk import ProductState
from agora.core.bulk import chunks, insert_plain, require_atomic
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderLine, OrderReturn, OrderReturnLine


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


_LINE_FIELDS = [
    "order",
    "line_no",
    "variant",
    "sku",
    "title",
    "quantity",
    "unit_price_minor",
    "total_minor",
    "returned_quantity",
]


def orders_import_bulk(
    *,
    seller: Seller,
    currency: str,
    sales: Sequence[ImportedSale],
    existing: Mapping[str, int],
    buyer_ids: Mapping[str, int],
    products: Mapping[str, ProductState],
) -> int:
    """Writes an order per invoice of ``sales`` not in ``existing`` (invoice → order id; status
    completed: they are history), then every sale as a line; orders of ``existing`` that gain
    lines get their totals recomputed. ``sales`` must be new lines only. Returns the number of
    orders created."""
    require_atomic("orders_import_bulk")
    by_invoice: dict[str, list[ImportedSale]] = defaultdict(list)
    for s in sales:
        by_invoice[s.invoice].append(s)
    orders = []
    for invoice, rows in by_invoice.items():
        if invoice in existing:
            continue
        first = rows[0]
        amount = sum(r.quantity * r.unit_price_minor for r in rows)
        orders.append(
            Order(
                seller=seller,
                buyer_id=buyer_ids[first.buyer_email] if first.buyer_email else None,
                channel=Order.Channel.IMPORT,
                external_ref=invoice,
                status=Order.Status.COMPLETED,
                currency=currency,
                subtotal_minor=amount,
                total_minor=amount,
                ship_country=first.country,
                placed_at=min(r.at for r in rows),
            )
        )
    Order.objects.bulk_create(orders)
    order_ids = {**existing, **{o.external_ref: o.pk for o in orders}}
    lines = [
        (
            order_ids[s.invoice],
            s.line_no,
            products[s.sku].variant_id,
            s.sku,
            (s.description or products[s.sku].title)[:300],
            s.quantity,
            s.unit_price_minor,
            s.quantity * s.unit_price_minor,
            0,
        )
        for s in sales
    ]
    insert_plain(OrderLine, _LINE_FIELDS, lines)
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


def returns_import_bulk(
    *, seller: Seller, returns: Sequence[ImportedReturn], buyer_ids: Mapping[str, int]
) -> tuple[int, list[ImportedReturn]]:
    """Books each return row not booked before against the most recent earlier line (placed at
    or before the return) of the same buyer and SKU that still has enough un-returned units;
    one ``OrderReturn`` per return invoice and original order. An order whose every unit came
    back becomes ``refunded``. Returns the number of return lines written and the rows that
    matched no line (they write nothing)."""
    require_atomic("returns_import_bulk")
    if not returns:
        return 0, []
    refs = {f"{r.invoice}:{r.line_no}": r for r in returns}
    done: set[str] = set()
    for chunk in chunks(refs):
        done.update(
            OrderReturnLine.objects.filter(
                external_ref__in=chunk, order_return__order__seller=seller
            ).values_list("external_ref", flat=True)
        )
    todo = sorted((r for ref, r in refs.items() if ref not in done), key=lambda r: r.at)
    if not todo:
        return 0, []
    matched, unmatched = _match(seller, todo, buyer_ids)
    if matched:
        _book(seller, matched)
    return len(matched), unmatched


type _Match = tuple[ImportedReturn, int, int]  # the row, line id, order id


def _match(
    seller: Seller, todo: list[ImportedReturn], buyer_ids: Mapping[str, int]
) -> tuple[list[_Match], list[ImportedReturn]]:
    """Pairs each return (in time order) with its line, spending the lines' open units."""
    buyers = sorted({buyer_ids[r.buyer_email] for r in todo})
    skus = sorted({r.sku for r in todo})
    latest = max(r.at for r in todo)
    candidates: dict[tuple[int, str], list[tuple[datetime, int, int]]] = defaultdict(list)
    remaining: dict[int, int] = {}
    for buyer_chunk in chunks(buyers, 400):
        for sku_chunk in chunks(skus, 400):
            rows = OrderLine.objects.filter(
                order__seller=seller,
                order__channel=Order.Channel.IMPORT,
                order__buyer_id__in=buyer_chunk,
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

    matched: list[_Match] = []
    unmatched: list[ImportedReturn] = []
    for r in todo:
        lines = candidates.get((buyer_ids[r.buyer_email], r.sku), [])
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
    return matched, unmatched


def _book(seller: Seller, matched: list[_Match]) -> None:
    """Writes the return headers and lines, the lines' returned units and refunded orders."""
    headers: dict[tuple[str, int], int] = {}
    for chunk in chunks(sorted({r.invoice for r, _, _ in matched})):
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
