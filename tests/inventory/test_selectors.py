"""Inventory read queries: tenant-scoped, and without N+1 queries."""

from __future__ import annotations

from agora.catalog.services import VariantInput, product_create
from agora.core.actors import system
from agora.inventory.models import StockLocation
from agora.inventory.selectors import (
    available_by_variant,
    location_get_for_seller,
    location_list,
    stock_for_seller,
    stock_for_variant,
)
from agora.inventory.services import location_create, stock_receive

SYSTEM = system("tests")


def _stocked(seller, prefix: str):  # type: ignore[no-untyped-def]
    product = product_create(
        actor=SYSTEM,
        seller=seller,
        title=f"{prefix} mug",
        variants=[VariantInput(sku=f"{prefix}-S"), VariantInput(sku=f"{prefix}-L")],
    )
    small, large = product.variants.order_by("position")
    warehouse = location_create(
        actor=SYSTEM, seller=seller, name="Warehouse", kind="warehouse", country="FR"
    )
    store = location_create(actor=SYSTEM, seller=seller, name="Shop", kind="store", country="FR")
    stock_receive(actor=SYSTEM, location=warehouse, variant=small, quantity=10)
    stock_receive(actor=SYSTEM, location=store, variant=small, quantity=2)
    stock_receive(actor=SYSTEM, location=warehouse, variant=large, quantity=7)
    return small, large, warehouse, store


def test_stock_for_variant_lists_each_location(seller):
    small, *_ = _stocked(seller, "A")
    levels = stock_for_variant(variant=small)
    assert [(lv.location.name, lv.on_hand) for lv in levels] == [("Warehouse", 10), ("Shop", 2)]


def test_stock_for_seller_is_tenant_scoped_and_joined(
    seller, other_seller, django_assert_num_queries
):
    _stocked(seller, "A")
    _stocked(other_seller, "B")
    with django_assert_num_queries(1):
        rows = [
            (lv.variant.sku, lv.variant.product.title, lv.location.name, lv.on_hand)
            for lv in stock_for_seller(seller=seller)
        ]
    assert rows == [
        ("A-S", "A mug", "Warehouse", 10),
        ("A-S", "A mug", "Shop", 2),
        ("A-L", "A mug", "Warehouse", 7),
    ]
    shop = StockLocation.objects.get(seller=seller, name="Shop")
    assert [lv.on_hand for lv in stock_for_seller(seller=seller, location=shop)] == [2]


def test_locations_are_tenant_scoped(seller, other_seller):
    _, _, warehouse, _ = _stocked(seller, "A")
    assert [loc.name for loc in location_list(seller=seller)] == ["Warehouse", "Shop"]
    assert location_get_for_seller(seller=seller, public_id=warehouse.public_id) == warehouse
    assert location_get_for_seller(seller=other_seller, public_id=warehouse.public_id) is None


def test_available_counts_only_open_locations(seller):
    small, large, _, store = _stocked(seller, "A")
    assert available_by_variant(variant_ids=[small.pk, large.pk]) == {small.pk: 12, large.pk: 7}
    StockLocation.objects.filter(pk=store.pk).update(is_available=False)
    assert available_by_variant(variant_ids=[small.pk, large.pk, 999999]) == {
        small.pk: 10,
        large.pk: 7,
    }
