"""Reservations: reserve all or nothing, convert into sales, release, expire; events and ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agora.accounts.services import actor_for_api_key, api_key_issue
from agora.catalog.models import Variant
from agora.catalog.services import VariantInput, product_create
from agora.core import clock, schedule
from agora.core.actors import system
from agora.core.errors import NOT_FOUND, VALIDATION, AgoraError
from agora.core.models import OutboxEvent
from agora.inventory import errors
from agora.inventory.models import Reservation, StockLevel, StockLocation, StockMovement
from agora.inventory.selectors import (
    available_by_location,
    available_by_variant,
    has_expired_reservations,
    reservations_for_reference,
)
from agora.inventory.services import (
    reservation_release,
    reservations_convert,
    reservations_expire,
    stock_adjust,
    stock_policy_set,
    stock_receive,
    stock_reserve,
)
from agora.inventory.tasks import expire_reservations
from tests.inventory.books import assert_books_balance, located

SYSTEM = system("tests")
BERLIN = ("DE", 52.52, 13.405)
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _variant(seller, sku: str) -> Variant:  # type: ignore[no-untyped-def]
    product = product_create(
        actor=SYSTEM, seller=seller, title=f"Item {sku}", variants=[VariantInput(sku=sku)]
    )
    return product.variants.get()


@pytest.fixture
def stock(seller):  # type: ignore[no-untyped-def]
    """Two variants in Potsdam (near Berlin), Munich and Lyon."""
    potsdam = located(seller, "Potsdam store", 52.3906, 13.0645)
    munich = located(seller, "Munich warehouse", 48.1372, 11.5756)
    lyon = located(seller, "Lyon store", 45.764, 4.8357, "FR")
    mug, tea = _variant(seller, "MUG"), _variant(seller, "TEA")
    for location, units in ((potsdam, 2), (munich, 10), (lyon, 3)):
        stock_receive(actor=SYSTEM, location=location, variant=mug, quantity=units)
    stock_receive(actor=SYSTEM, location=munich, variant=tea, quantity=1)
    return {"mug": mug, "tea": tea, "potsdam": potsdam, "munich": munich, "lyon": lyon}


def _level(variant, location) -> StockLevel:  # type: ignore[no-untyped-def]
    return StockLevel.objects.get(variant=variant, location=location)


def test_reserve_picks_the_nearest_location_that_can_ship_the_whole_line(stock):
    with clock.frozen_at(T0):
        held = stock_reserve(
            actor=SYSTEM,
            reference="chk_1",
            items=[(stock["mug"].pk, 3), (stock["tea"].pk, 1)],
            ship_to=BERLIN,
            ttl=timedelta(minutes=10),
        )
    assert [(r.variant_id, r.location_id, r.quantity) for r in held] == [
        (stock["mug"].pk, stock["munich"].pk, 3),
        (stock["tea"].pk, stock["munich"].pk, 1),
    ]
    first = held[0]
    assert first.public_id.startswith("rsv_") and first.state == "active"
    assert first.rule == "nearest" and first.expires_at == T0 + timedelta(minutes=10)
    assert first.reason == "nearest location with enough stock: Munich warehouse, 504 km"
    assert (
        _level(stock["mug"], stock["munich"]).reserved,
        _level(stock["mug"], stock["munich"]).on_hand,
    ) == (3, 10)
    assert available_by_variant(variant_ids=[stock["mug"].pk]) == {stock["mug"].pk: 12}
    assert available_by_location(variant_ids=[stock["tea"].pk]) == {
        stock["tea"].pk: {stock["munich"].pk: 0}
    }
    kinds = [
        e.payload["kind"] for e in OutboxEvent.objects.filter(name="stock.changed").order_by("pk")
    ]
    assert kinds[-2:] == ["reserved", "reserved"]
    assert_books_balance()


def test_reserve_splits_only_when_no_location_can_and_skips_closed_ones(stock):
    StockLocation.objects.filter(pk=stock["potsdam"].pk).update(is_available=False)
    held = stock_reserve(
        actor=SYSTEM, reference="chk_2", items=[(stock["mug"].pk, 12)], ship_to=BERLIN
    )
    assert [(r.location_id, r.quantity, r.rule) for r in held] == [
        (stock["munich"].pk, 10, "split"),
        (stock["lyon"].pk, 2, "split"),
    ]
    assert held[0].reason == (
        "split: no single location had 12; 10 from Munich warehouse, 504 km, "
        "2 from Lyon store, 975 km; skipped Potsdam store: unavailable"
    )
    assert_books_balance()


def test_reserve_is_all_or_nothing_and_names_what_is_short(stock):
    with pytest.raises(AgoraError) as exc:
        stock_reserve(
            actor=SYSTEM,
            reference="chk_3",
            items=[(stock["mug"].pk, 2), (stock["tea"].pk, 3)],
            ship_to=BERLIN,
        )
    assert exc.value.problem is errors.OUT_OF_STOCK
    assert "'TEA'" in exc.value.detail and "3 wanted, 1 available" in exc.value.detail
    assert exc.value.extra["shortages"] == [
        {"variant_id": stock["tea"].public_id, "sku": "TEA", "requested": 3, "available": 1}
    ]
    assert [e.field for e in exc.value.errors] == ["items[1].quantity"]
    assert not Reservation.objects.exists()
    assert not StockLevel.objects.filter(reserved__gt=0).exists()


def test_the_precheck_answers_like_the_reservation_without_locking_or_writing(stock, seller):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.inventory.reservations import stock_precheck

    items = [(stock["mug"].pk, 2), (stock["tea"].pk, 3)]
    with CaptureQueriesContext(connection) as queries, pytest.raises(AgoraError) as exc:
        stock_precheck(items=items)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert not any("FOR UPDATE" in q["sql"].upper() for q in queries.captured_queries)
    with pytest.raises(AgoraError) as reserved:
        stock_reserve(actor=SYSTEM, reference="chk_p", items=items, ship_to=BERLIN)
    assert (exc.value.problem, exc.value.detail, exc.value.extra) == (
        reserved.value.problem,
        reserved.value.detail,
        reserved.value.extra,
    )
    stock_precheck(items=[(stock["mug"].pk, 15)])  # 2 + 10 + 3: all of it, still fine
    with pytest.raises(AgoraError, match="16 wanted, 15 available"):
        stock_precheck(items=[(stock["mug"].pk, 16)])
    StockLocation.objects.filter(pk=stock["lyon"].pk).update(is_available=False)
    with pytest.raises(AgoraError, match="15 wanted, 12 available"):  # closed sites don't count
        stock_precheck(items=[(stock["mug"].pk, 15)])


def test_reserve_again_returns_identical_or_replaces(stock):
    items = [(stock["mug"].pk, 1), (stock["mug"].pk, 1)]  # repeated variants add up
    first = stock_reserve(actor=SYSTEM, reference="chk_4", items=items, ship_to=BERLIN)
    again = stock_reserve(actor=SYSTEM, reference="chk_4", items=[(stock["mug"].pk, 2)])
    assert [r.pk for r in again] == [r.pk for r in first]
    replaced = stock_reserve(
        actor=SYSTEM, reference="chk_4", items=[(stock["tea"].pk, 1)], ship_to=BERLIN
    )
    assert [r.variant_id for r in replaced] == [stock["tea"].pk]
    states = dict(Reservation.objects.values_list("variant_id", "state"))
    assert states == {stock["mug"].pk: "released", stock["tea"].pk: "active"}
    # a refused replacement keeps what was held
    with pytest.raises(AgoraError):
        stock_reserve(actor=SYSTEM, reference="chk_4", items=[(stock["tea"].pk, 2)])
    assert Reservation.objects.get(state="active").variant_id == stock["tea"].pk
    assert_books_balance()


def test_convert_turns_reservations_into_sales(stock, seller):
    stock_reserve(actor=SYSTEM, reference="chk_5", items=[(stock["mug"].pk, 4)], ship_to=BERLIN)
    converted = reservations_convert(
        actor=SYSTEM, reference="chk_5", order_references={seller.pk: "ord_x"}
    )
    assert [(r.state, r.order_reference) for r in converted] == [("converted", "ord_x")]
    level = _level(stock["mug"], stock["munich"])
    assert (level.on_hand, level.reserved) == (6, 0)
    sale = StockMovement.objects.get(kind="sale")
    assert (sale.quantity, sale.reference) == (-4, "ord_x")
    assert sale.note == f"reservation {converted[0].public_id}"
    event = OutboxEvent.objects.filter(name="stock.changed").last()
    assert (event.payload["kind"], event.payload["delta"]) == ("sale", -4)
    # again with the same order: the same answer; with another: refused
    again = reservations_convert(
        actor=SYSTEM, reference="chk_5", order_references={seller.pk: "ord_x"}
    )
    assert [r.pk for r in again] == [r.pk for r in converted]
    with pytest.raises(AgoraError) as exc:
        reservations_convert(actor=SYSTEM, reference="chk_5", order_references={seller.pk: "ord_y"})
    assert exc.value.problem is errors.RESERVATION_CLOSED
    with pytest.raises(AgoraError) as exc:
        stock_reserve(actor=SYSTEM, reference="chk_5", items=[(stock["mug"].pk, 1)])
    assert exc.value.problem is errors.RESERVATION_CLOSED
    assert_books_balance()


def test_convert_needs_an_order_per_seller(stock, seller):
    stock_reserve(actor=SYSTEM, reference="chk_6", items=[(stock["tea"].pk, 1)])
    with pytest.raises(AgoraError) as exc:
        reservations_convert(actor=SYSTEM, reference="chk_6", order_references={})
    assert exc.value.problem is VALIDATION and seller.public_id in exc.value.detail
    assert Reservation.objects.get().state == "active"
    with pytest.raises(AgoraError) as exc:
        reservations_convert(actor=SYSTEM, reference="nope", order_references={})
    assert exc.value.problem is NOT_FOUND


def test_release_is_idempotent_and_gives_stock_back(stock, seller):
    stock_reserve(actor=SYSTEM, reference="chk_7", items=[(stock["tea"].pk, 1)])
    released = reservation_release(actor=SYSTEM, reference="chk_7")
    assert [r.state for r in released] == ["released"]
    assert reservation_release(actor=SYSTEM, reference="chk_7") == []
    assert _level(stock["tea"], stock["munich"]).reserved == 0
    with pytest.raises(AgoraError) as exc:
        reservations_convert(actor=SYSTEM, reference="chk_7", order_references={seller.pk: "ord_z"})
    assert exc.value.problem is errors.RESERVATION_CLOSED
    assert "released" in exc.value.detail
    assert_books_balance()


def test_expiry_by_the_scheduled_task(stock):
    job = {j.name: j for j in schedule.jobs()}["inventory.expire_reservations"]
    assert job.task is expire_reservations
    with clock.frozen_at(T0):
        stock_reserve(
            actor=SYSTEM, reference="chk_8", items=[(stock["tea"].pk, 1)], ttl=timedelta(minutes=5)
        )
        stock_reserve(
            actor=SYSTEM, reference="chk_9", items=[(stock["mug"].pk, 1)], ttl=timedelta(hours=1)
        )
        assert not has_expired_reservations() and reservations_expire() == 0
        clock.advance(timedelta(minutes=5))
        assert job.when is not None and job.when()
        assert expire_reservations.call() == 1
    states = dict(Reservation.objects.values_list("reference", "state"))
    assert states == {"chk_8": "expired", "chk_9": "active"}
    assert [r.state for r in reservations_for_reference(reference="chk_8")] == ["expired"]
    assert_books_balance()


def test_expire_works_in_batches(stock):
    with clock.frozen_at(T0):
        for n in range(5):
            stock_reserve(
                actor=SYSTEM, reference=f"b{n}", items=[(stock["mug"].pk, 1)], ttl=timedelta(1)
            )
        clock.advance(timedelta(days=2))
        assert reservations_expire(batch=2) == 5
    assert not StockLevel.objects.filter(reserved__gt=0).exists()


def test_stock_low_is_published_once_when_available_crosses_below_the_threshold(stock):
    stock_policy_set(actor=SYSTEM, variant=stock["mug"], low_stock_threshold=10)
    stock_reserve(actor=SYSTEM, reference="l1", items=[(stock["mug"].pk, 5)])  # 15 -> 10
    assert not OutboxEvent.objects.filter(name="stock.low").exists()
    stock_reserve(actor=SYSTEM, reference="l2", items=[(stock["mug"].pk, 1)])  # 10 -> 9
    stock_reserve(actor=SYSTEM, reference="l3", items=[(stock["mug"].pk, 1)])  # 9 -> 8: still low
    lows = list(OutboxEvent.objects.filter(name="stock.low").order_by("pk"))
    assert [(e.payload["sku"], e.payload["available"], e.payload["threshold"]) for e in lows] == [
        ("MUG", 9, 10)
    ]
    reservation_release(actor=SYSTEM, reference="l1")  # back to 13
    stock_adjust(
        actor=SYSTEM, location=stock["munich"], variant=stock["mug"], quantity=-4, reason="broken"
    )  # 13 -> 9 crosses again, through an adjustment
    assert OutboxEvent.objects.filter(name="stock.low").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [(1, 0)]}, "items[0].quantity"),
        ({"items": [(1, True)]}, "items[0].quantity"),
        ({"items": [("x", 1)]}, "items[0].variant_id"),
        ({"items": [(1, 10**9)]}, "items[0].quantity"),
        ({"items": [5]}, "items[0]"),
        ({"reference": " "}, "reference"),
        ({"ttl": timedelta(0)}, "ttl"),
        ({"ship_to": ("DE", 95, 0)}, "ship_to"),
        ({"ship_to": "Berlin"}, "ship_to"),
    ],
)
def test_reserve_refuses_bad_input(stock, kwargs, field):
    arguments = {"reference": "bad", "items": [(stock["mug"].pk, 1)]} | kwargs
    with pytest.raises(AgoraError) as exc:
        stock_reserve(actor=SYSTEM, **arguments)
    assert exc.value.problem is VALIDATION
    assert [e.field for e in exc.value.errors] == [field]
    assert not Reservation.objects.exists()


def test_a_sellers_key_holds_only_its_own_stock(stock, seller, other_seller):
    theirs, _ = api_key_issue(
        actor=SYSTEM, name="k", scopes=["inventory:write"], seller_id=other_seller.pk
    )
    with pytest.raises(AgoraError) as exc:
        stock_reserve(
            actor=actor_for_api_key(theirs), reference="pos", items=[(stock["mug"].pk, 1)]
        )
    assert exc.value.problem is NOT_FOUND
    own, _ = api_key_issue(actor=SYSTEM, name="o", scopes=["inventory:write"], seller_id=seller.pk)
    assert stock_reserve(
        actor=actor_for_api_key(own), reference="pos", items=[(stock["mug"].pk, 1)]
    )
    with pytest.raises(AgoraError):
        reservation_release(actor=actor_for_api_key(theirs), reference="pos")
    assert Reservation.objects.get().state == "active"
