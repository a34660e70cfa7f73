"""The index follows the catalogue through events, once per event id."""

from __future__ import annotations

from django.core.management import call_command

from agora.catalog.services import product_delete, product_publish, product_unpublish
from agora.core.events import handlers_for
from agora.core.models import OutboxEvent
from agora.inventory.services import stock_adjust
from agora.orders.services import OrderLineDraft, order_mark_paid
from agora.pricing.services import price_set
from agora.search.models import AppliedEvent, SearchDocument, SearchTerm
from agora.search.selectors import search_products
from tests.conftest import SYSTEM
from tests.orders.factories import place
from tests.search.conftest import Catalog, add_product, index, update


def find(query: str, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    page = search_products(query=query, language="en", **kwargs)
    return [item["id"] for item in page.items]


def test_publish_makes_a_product_findable(catalog: Catalog) -> None:
    product = add_product(catalog.alpha, "Hinoki Bath Stool", publish=False)
    index()
    assert find("hinoki") == []
    product_publish(actor=SYSTEM, product=product)
    assert find("hinoki") == []  # not before the event is delivered
    index()
    assert find("hinoki") == [product.public_id]
    assert find("hinoky")[0] == product.public_id  # its words joined the vocabulary


def test_unpublish_and_delete_remove_it(catalog: Catalog) -> None:
    lantern, teapot = catalog.p["lantern"], catalog.p["teapot"]
    product_unpublish(actor=SYSTEM, product=lantern)
    index()
    assert find("lantern") == []
    assert not SearchDocument.objects.filter(public_id=lantern.public_id).exists()
    product_delete(actor=SYSTEM, product=teapot)
    index()
    assert find("teapot") == []
    assert not SearchDocument.objects.filter(public_id=teapot.public_id).exists()
    # Words only the removed products held left the vocabulary (no correction towards them).
    assert not SearchTerm.objects.filter(term__in=["walnut", "teapot"]).exists()
    assert SearchTerm.objects.get(term="blossoms").df == 1  # the chamomile still has it


def test_update_changes_what_matches(catalog: Catalog) -> None:
    heart = catalog.p["heart"]
    update(heart, title="Red Hanging Star Ornament")
    index()
    assert find("star ornament") == [heart.public_id]
    document = SearchDocument.objects.get(public_id=heart.public_id)
    assert document.title_text == "red hanging star ornament"  # the SKU still says heart
    assert document.titles == {"en": "Red Hanging Star Ornament"}


def test_price_change_moves_the_product_between_price_filters(catalog: Catalog) -> None:
    candle = catalog.p["candle"]
    assert candle.public_id in find("", max_price_minor=1000)
    price_set(actor=SYSTEM, variant=candle.variants.get(), currency="EUR", amount_minor=5200)
    index()
    assert candle.public_id not in find("", max_price_minor=1000)
    assert find("", min_price_minor=5000) == [candle.public_id]
    assert find("", sort="price_desc")[0] == candle.public_id


def test_stock_change_moves_the_in_stock_filter(catalog: Catalog) -> None:
    teapot = catalog.p["teapot"]
    assert teapot.public_id in find("", in_stock=True, limit=50)
    stock_adjust(
        actor=SYSTEM,
        location=catalog.warehouse,
        variant=teapot.variants.get(),
        quantity=-2,
        reason="broken in the shop",
    )
    index()
    assert teapot.public_id not in find("", in_stock=True, limit=50)
    assert teapot.public_id in find("", in_stock=False, limit=50)


def test_paid_orders_make_a_product_popular(catalog: Catalog) -> None:
    candle = catalog.p["candle"]
    before = find("", sort="popular")
    assert before[0] != candle.public_id
    order = place(
        catalog.alpha,
        drafts=[
            OrderLineDraft(
                sku=candle.variants.get().sku,
                title=candle.title,
                quantity=7,
                unit_price_minor=900,
                variant=candle.variants.get(),
            )
        ],
    )
    index()
    assert SearchDocument.objects.get(public_id=candle.public_id).popularity == 0  # not paid
    order_mark_paid(order=order, payment_ref="pay_test_1")
    index()
    assert SearchDocument.objects.get(public_id=candle.public_id).popularity == 7
    assert find("", sort="popular")[0] == candle.public_id


def test_a_redelivered_event_is_applied_once(catalog: Catalog) -> None:
    lantern = catalog.p["lantern"]
    row = OutboxEvent.objects.filter(name="product.published").order_by("-id").first()
    assert row is not None and row.payload["product_id"] == lantern.public_id
    handler = next(h for h in handlers_for("product.published") if h.name.startswith("search."))
    assert AppliedEvent.objects.filter(event_id=row.public_id).count() == 1
    SearchDocument.objects.filter(public_id=lantern.public_id).update(popularity=99)
    from agora.core.events import event_from_row

    handler.func(event_from_row(row.name, row.payload), row.public_id)  # delivered again
    assert SearchDocument.objects.get(public_id=lantern.public_id).popularity == 99  # skipped
    handler.func(event_from_row(row.name, row.payload), "evt_new_id")
    assert SearchDocument.objects.get(public_id=lantern.public_id).popularity == 0  # rebuilt


def test_reindex_command_rebuilds_everything(catalog: Catalog, capsys) -> None:  # type: ignore[no-untyped-def]
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    assert find("lantern") == []
    call_command("search", "reindex", verbosity=1)
    out, err = capsys.readouterr()
    assert "indexed 7 published products" in out
    assert "indexed products: 7 of 7" in err
    assert find("lantern") == [catalog.p["lantern"].public_id]
    assert find("龙井") == [catalog.p["longjing"].public_id]
    assert find("lantren") == [catalog.p["lantern"].public_id]  # vocabulary rebuilt too


def test_stock_and_sales_touch_only_the_counters(catalog: Catalog) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.search.indexing import refresh_counters

    teapot = catalog.p["teapot"]
    with CaptureQueriesContext(connection) as unchanged:
        assert refresh_counters([teapot.pk]) == 0
    writes = [q["sql"] for q in unchanged.captured_queries if not q["sql"].startswith("SELECT")]
    assert not any(w.split()[0] in ("INSERT", "UPDATE", "DELETE") for w in writes), writes
    stock_adjust(
        actor=SYSTEM,
        location=catalog.warehouse,
        variant=teapot.variants.get(),
        quantity=-2,
        reason="broken in the shop",
    )
    with CaptureQueriesContext(connection) as changed:
        assert refresh_counters([teapot.pk]) == 1
    tables = {
        q["sql"].split()[1 if q["sql"].startswith("UPDATE") else 2].strip('"')
        for q in changed.captured_queries
        if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    }
    assert tables == {"search_document"}, tables
    assert SearchDocument.objects.get(public_id=teapot.public_id).in_stock is False
