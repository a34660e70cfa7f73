"""order_import_batch: historic orders written in bulk, keyed by external references."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agora.catalog.models import Product, ProductTextHistory, Variant
from agora.core.actors import Actor, system
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry, OutboxEvent
from agora.orders.imports import (
    ImportBatch,
    ImportCache,
    ImportedBuyer,
    ImportedReturn,
    ImportedSale,
    order_import_batch,
)
from agora.orders.models import Order, OrderLine, OrderReturnLine
from agora.orders.selectors import order_by_external_ref
from agora.pricing.models import Price, PriceChange
from tests.conftest import make_seller

ACTOR = system("tests")
ANN = "ann@example.invalid"


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2011, 1, day, hour, tzinfo=UTC)


def sale(invoice: str, line_no: int, sku: str, price: int, when: datetime, **kw) -> ImportedSale:
    values = {"description": f"Item {sku}", "quantity": 2, "buyer_email": ANN, "country": "UK"}
    values.update(kw)
    return ImportedSale(
        invoice=invoice, line_no=line_no, sku=sku, unit_price_minor=price, at=when, **values
    )


def batch(sales=(), returns=(), source="test") -> ImportBatch:
    return ImportBatch(
        source=source,
        currency="GBP",
        invoices={s.invoice for s in sales} | {r.invoice for r in returns},
        buyers={ANN: ImportedBuyer(ANN, "Ann", at(1))},
        sales=list(sales),
        returns=list(returns),
    )


@pytest.fixture
def shop(db):
    return make_seller("shop", country="GB", currency="GBP")


def test_a_batch_writes_orders_lines_products_and_prices_once(shop):
    b = batch(
        [sale("1", 1, "A", 100, at(3)), sale("1", 2, "B", 250, at(3)), sale("2", 1, "A", 90, at(4))]
    )
    result = order_import_batch(actor=ACTOR, seller=shop, batch=b)
    assert (result.orders, result.new_orders, result.new_lines) == (2, 2, 3)
    assert (result.new_buyers, result.new_products, result.new_price_changes) == (1, 2, 3)
    order = order_by_external_ref(seller=shop, external_ref="1")
    assert order is not None and order.buyer.email == ANN
    assert [(x.line_no, x.sku, x.total_minor) for x in order.lines.all()] == [
        (1, "A", 200),
        (2, "B", 500),
    ]
    assert order.total_minor == 700
    assert Price.objects.get(variant__sku="A").amount_minor == 90
    assert AuditEntry.objects.filter(action="orders.imported").count() == 1
    # No events from the import (the seller fixture's onboarding events aside).
    assert not OutboxEvent.objects.exclude(name__startswith="seller.").exists()

    again = order_import_batch(actor=ACTOR, seller=shop, batch=b)
    assert (again.orders, again.new_orders, again.new_lines, again.new_price_changes) == (
        2,
        0,
        0,
        0,
    )
    assert AuditEntry.objects.filter(action="orders.imported").count() == 1


def test_a_new_line_of_a_known_invoice_is_added_and_the_total_follows(shop):
    order_import_batch(actor=ACTOR, seller=shop, batch=batch([sale("1", 1, "A", 100, at(3))]))
    grown = batch([sale("1", 1, "A", 100, at(3)), sale("1", 3, "C", 50, at(3))])
    result = order_import_batch(actor=ACTOR, seller=shop, batch=grown)
    assert (result.new_orders, result.new_lines) == (0, 1)
    order = Order.objects.get(external_ref="1")
    assert list(order.lines.values_list("line_no", flat=True)) == [1, 3]
    assert order.total_minor == order.subtotal_minor == 300


def test_batches_out_of_order_keep_the_latest_price_and_title(shop):
    cache = ImportCache()
    late = batch([sale("2", 1, "A", 120, at(10), description="Mug, new name")])
    early = batch([sale("1", 1, "A", 100, at(3), description="Mug")])
    order_import_batch(actor=ACTOR, seller=shop, batch=late, cache=cache)
    order_import_batch(actor=ACTOR, seller=shop, batch=early, cache=cache)
    variant = Variant.objects.get(sku="A")
    assert Price.objects.get(variant=variant).amount_minor == 120
    history = PriceChange.objects.filter(variant=variant).order_by("effective_at")
    assert [(c.amount_minor, c.effective_at) for c in history] == [(100, at(3)), (120, at(10))]
    assert Product.objects.get().title == "Mug, new name"
    assert list(ProductTextHistory.objects.values_list("value", flat=True)) == ["Mug"]


def test_a_return_takes_the_most_recent_earlier_line_with_enough_units(shop):
    sales = [
        sale("1", 1, "A", 100, at(3), quantity=5),
        sale("2", 1, "A", 100, at(5), quantity=1),
        sale("3", 1, "A", 100, at(9), quantity=5),
    ]
    returns = [
        ImportedReturn("C4", 1, "A", 2, at(6), ANN),  # 2: not invoice 2 (1 unit), not 3 (later)
        ImportedReturn("C4", 2, "A", 4, at(6), ANN),  # 4: invoice 1 has 3 left -> no original
        ImportedReturn("C5", 1, "A", 1, at(6), "bob@example.invalid"),  # another buyer
    ]
    b = batch(sales, returns)
    b.buyers["bob@example.invalid"] = ImportedBuyer("bob@example.invalid", "Bob", at(1))
    result = order_import_batch(actor=ACTOR, seller=shop, batch=b)
    assert result.new_return_lines == 1
    assert [(r.invoice, r.line_no) for r in result.unmatched_returns] == [("C4", 2), ("C5", 1)]
    line = OrderReturnLine.objects.get()
    assert (line.line.order.external_ref, line.quantity, line.external_ref) == ("1", 2, "C4:1")
    assert OrderLine.objects.get(order__external_ref="1").returned_quantity == 2
    assert order_import_batch(actor=ACTOR, seller=shop, batch=b).new_return_lines == 0


def test_only_someone_acting_for_the_seller_may_import(shop):
    other = make_seller("other")
    key_of_other = Actor(
        kind="api_key",
        label="key",
        api_key_id=1,
        seller_id=other.pk,
        scopes=frozenset({"orders:write"}),
    )
    with pytest.raises(AgoraError):
        order_import_batch(
            actor=key_of_other, seller=shop, batch=batch([sale("1", 1, "A", 1, at(3))])
        )
    assert not Order.objects.exists()
