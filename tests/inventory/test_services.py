"""Inventory use cases: locations, receipts and adjustments, with their ledger, audit and event."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agora.accounts.errors import SCOPE_MISSING
from agora.accounts.services import actor_for_api_key, actor_for_user, api_key_issue, user_create
from agora.catalog.models import Variant
from agora.catalog.services import VariantInput, product_create
from agora.core.actors import system
from agora.core.errors import FORBIDDEN, NOT_FOUND, VALIDATION, AgoraError
from agora.core.events import event_from_row
from agora.core.models import AuditEntry, OutboxEvent
from agora.inventory import errors
from agora.inventory.events import StockChanged
from agora.inventory.models import StockLevel, StockLocation, StockMovement
from agora.inventory.services import location_create, stock_adjust, stock_receive
from agora.marketplace.models import SellerStaff
from agora.marketplace.services import seller_apply, seller_staff_add, seller_transition

SYSTEM = system("tests")


def _variant(seller, sku: str = "CUP-1") -> Variant:  # type: ignore[no-untyped-def]
    product = product_create(
        actor=SYSTEM, seller=seller, title=f"Cup {sku}", variants=[VariantInput(sku=sku)]
    )
    return product.variants.get()


def _location(seller, name: str = "Main warehouse", **kwargs) -> StockLocation:  # type: ignore[no-untyped-def]
    fields = {"kind": "warehouse", "country": "DE", "city": "Hamburg"} | kwargs
    return location_create(actor=SYSTEM, seller=seller, name=name, **fields)


def _problem(exc: pytest.ExceptionInfo[AgoraError]) -> str:
    return exc.value.problem.slug


# --- locations ----------------------------------------------------------------------------------


def test_location_create_normalises_and_audits(seller):
    location = location_create(
        actor=SYSTEM,
        seller=seller,
        name="  Speicherstadt warehouse ",
        kind="warehouse",
        country="de",
        city="Hamburg",
        address="Am Sandtorkai 12",
        postcode="20457",
        latitude="53.5438",
        longitude=9.99361234,
    )
    location.refresh_from_db()
    assert location.name == "Speicherstadt warehouse"
    assert location.country == "DE"
    assert location.latitude == Decimal("53.543800")
    assert location.longitude == Decimal("9.993612")
    assert location.public_id.startswith("loc_")
    entry = AuditEntry.objects.get(action="location.created")
    assert entry.target_id == location.public_id and entry.seller_id == seller.pk


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("country", {"country": "XX"}),
        ("country", {"country": "DEU"}),
        ("kind", {"kind": "garage"}),
        ("latitude", {"latitude": "91", "longitude": "0"}),
        ("longitude", {"latitude": "0", "longitude": "-180.5"}),
        ("latitude", {"latitude": "north", "longitude": "0"}),
        ("longitude", {"latitude": "10"}),
        ("name", {"name": "   "}),
    ],
)
def test_location_create_refuses_bad_input(seller, field, kwargs):
    with pytest.raises(AgoraError) as exc:
        _location(seller, **({"name": "Depot"} | kwargs))
    assert exc.value.problem is VALIDATION
    assert [e.field for e in exc.value.errors] == [field]
    assert not StockLocation.objects.exists()


def test_location_names_are_unique_per_seller(seller, other_seller):
    _location(seller, "Depot")
    _location(other_seller, "Depot")  # another seller may use the same name
    with pytest.raises(AgoraError) as exc:
        _location(seller, "Depot")
    assert exc.value.problem is errors.LOCATION_NAME_TAKEN


# --- receipts and adjustments ------------------------------------------------------------------


def test_receive_creates_level_movement_audit_and_event(seller):
    variant, location = _variant(seller), _location(seller)
    level = stock_receive(
        actor=SYSTEM, location=location, variant=variant, quantity=12, reason="PO 42"
    )
    level = stock_receive(actor=SYSTEM, location=location, variant=variant, quantity=3)
    level.refresh_from_db()
    assert (level.on_hand, level.reserved, level.available) == (15, 0, 15)
    assert level.seller_id == seller.pk
    movements = list(StockMovement.objects.order_by("id").values_list("kind", "quantity", "note"))
    assert movements == [("receipt", 12, "PO 42"), ("receipt", 3, "")]
    audits = AuditEntry.objects.filter(action="stock.received").order_by("id")
    assert [a.changes["on_hand"] for a in audits] == [[0, 12], [12, 15]]
    rows = OutboxEvent.objects.filter(name="stock.changed").order_by("id")
    assert rows.count() == 2
    event = event_from_row(rows.last().name, rows.last().payload)
    assert event == StockChanged(
        product_id=variant.product.public_id,
        variant_id=variant.public_id,
        location_id=location.public_id,
        seller_id=seller.public_id,
        on_hand=15,
        reserved=0,
        available=15,
        delta=3,
        kind="receipt",
    )


def test_adjust_down_and_refuse_going_negative(seller):
    variant, location = _variant(seller, "TEA-250G"), _location(seller, "Alster store")
    stock_receive(actor=SYSTEM, location=location, variant=variant, quantity=5)
    level = stock_adjust(
        actor=SYSTEM, location=location, variant=variant, quantity=-2, reason="damaged"
    )
    assert level.on_hand == 3
    with pytest.raises(AgoraError) as exc:
        stock_adjust(actor=SYSTEM, location=location, variant=variant, quantity=-4, reason="count")
    assert exc.value.problem is errors.STOCK_INSUFFICIENT
    assert "TEA-250G" in exc.value.detail and "Alster store" in exc.value.detail
    assert "3 on hand" in exc.value.detail
    # nothing half-written: the level, ledger, audit and outbox are as before the refusal
    assert StockLevel.objects.get().on_hand == 3
    assert StockMovement.objects.count() == 2
    assert OutboxEvent.objects.filter(name="stock.changed").count() == 2


def test_adjust_cannot_go_below_reserved(seller):
    variant, location = _variant(seller), _location(seller)
    stock_receive(actor=SYSTEM, location=location, variant=variant, quantity=5)
    StockLevel.objects.update(reserved=4)  # reservations arrive with a later issue
    with pytest.raises(AgoraError) as exc:
        stock_adjust(actor=SYSTEM, location=location, variant=variant, quantity=-2, reason="count")
    assert exc.value.problem is errors.STOCK_INSUFFICIENT
    assert "4 reserved" in exc.value.detail
    level = stock_adjust(actor=SYSTEM, location=location, variant=variant, quantity=-1, reason="x")
    assert (level.on_hand, level.available) == (4, 0)


@pytest.mark.parametrize("quantity", [0, -1, True, 2.0, "3", 10**9 + 1])
def test_receive_needs_a_positive_whole_quantity(seller, quantity):
    variant, location = _variant(seller), _location(seller)
    with pytest.raises(AgoraError) as exc:
        stock_receive(actor=SYSTEM, location=location, variant=variant, quantity=quantity)
    assert exc.value.problem is VALIDATION
    assert exc.value.errors[0].field == "quantity"


def test_adjust_needs_a_reason_and_a_change(seller):
    variant, location = _variant(seller), _location(seller)
    with pytest.raises(AgoraError) as exc:
        stock_adjust(actor=SYSTEM, location=location, variant=variant, quantity=3, reason=" ")
    assert exc.value.errors[0].field == "reason"
    with pytest.raises(AgoraError) as exc:
        stock_adjust(actor=SYSTEM, location=location, variant=variant, quantity=0, reason="count")
    assert exc.value.errors[0].field == "quantity"


def test_variant_of_another_seller_is_not_found(seller, other_seller):
    theirs, location = _variant(other_seller, "THEIRS"), _location(seller)
    with pytest.raises(AgoraError) as exc:
        stock_receive(actor=SYSTEM, location=location, variant=theirs, quantity=1)
    assert exc.value.problem is NOT_FOUND
    assert not StockLevel.objects.exists()


# --- who may move stock -------------------------------------------------------------------------


def test_api_keys_act_only_for_their_seller_with_the_scope(seller, other_seller):
    variant, location = _variant(seller), _location(seller)
    own, _ = api_key_issue(actor=SYSTEM, name="k", scopes=["inventory:write"], seller_id=seller.pk)
    stock_receive(actor=actor_for_api_key(own), location=location, variant=variant, quantity=2)
    read_only, _ = api_key_issue(
        actor=SYSTEM, name="r", scopes=["inventory:read"], seller_id=seller.pk
    )
    with pytest.raises(AgoraError) as exc:
        stock_receive(
            actor=actor_for_api_key(read_only), location=location, variant=variant, quantity=1
        )
    assert exc.value.problem is SCOPE_MISSING
    foreign, _ = api_key_issue(
        actor=SYSTEM, name="f", scopes=["inventory:write"], seller_id=other_seller.pk
    )
    with pytest.raises(AgoraError) as exc:
        location_create(
            actor=actor_for_api_key(foreign), seller=seller, name="x", kind="store", country="DE"
        )
    assert exc.value.problem is FORBIDDEN
    assert StockLevel.objects.get().on_hand == 2


def test_staff_roles(seller):
    variant, location = _variant(seller), _location(seller)
    packer = user_create(email="packer@example.test", password=None)
    stranger = user_create(email="stranger@example.test", password=None)
    seller_staff_add(actor=SYSTEM, seller=seller, user=packer, role=SellerStaff.Role.FULFILMENT)
    stock_receive(actor=actor_for_user(packer), location=location, variant=variant, quantity=1)
    with pytest.raises(AgoraError) as exc:
        stock_receive(
            actor=actor_for_user(stranger), location=location, variant=variant, quantity=1
        )
    assert exc.value.problem is FORBIDDEN
    entry = AuditEntry.objects.get(action="stock.received")
    assert entry.actor_user_id == packer.pk


# --- invariants ---------------------------------------------------------------------------------


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(st.integers(min_value=-20, max_value=20).filter(bool), max_size=15))
def test_on_hand_is_the_sum_of_movements_and_never_negative(seller, changes):
    variant = Variant.objects.filter(seller=seller).first() or _variant(seller)
    location = _location(seller, f"Bin {StockLocation.objects.count()}")
    expected = 0
    for change in changes:
        try:
            stock_adjust(
                actor=SYSTEM, location=location, variant=variant, quantity=change, reason="prop"
            )
        except AgoraError as exc:
            assert exc.problem is errors.STOCK_INSUFFICIENT
            assert expected + change < 0
        else:
            expected += change
        assert expected >= 0
    ledger = StockMovement.objects.filter(location=location).values_list("quantity", flat=True)
    assert sum(ledger) == expected
    level = StockLevel.objects.filter(location=location).first()
    assert (level.on_hand if level else 0) == expected


def _seller_with_stock(slug: str, units: int) -> tuple[StockLocation, Variant]:
    seller = seller_apply(
        actor=SYSTEM,
        display_name=slug,
        legal_name=slug,
        country="DE",
        payout_currency="EUR",
        slug=slug,
    )
    seller = seller_transition(actor=SYSTEM, seller=seller, to="verified")
    seller = seller_transition(actor=SYSTEM, seller=seller, to="active")
    variant, location = _variant(seller, "LAST-FEW"), _location(seller)
    stock_receive(actor=SYSTEM, location=location, variant=variant, quantity=units)
    return location, variant


@pytest.mark.django_db(transaction=True)
def test_concurrent_takes_never_oversell():
    """Threads, each on its own connection, race to take one unit each of 4; the row lock lets
    exactly 4 through and the rest get a clear refusal (SQLite file or PostgreSQL)."""
    location, variant = _seller_with_stock("racer", 4)
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def take() -> None:
        try:
            barrier.wait()
            stock_adjust(
                actor=SYSTEM, location=location, variant=variant, quantity=-1, reason="race"
            )
            outcomes.append("ok")
        except AgoraError as exc:
            outcomes.append(exc.problem.slug)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 4 + ["stock-insufficient"] * 2
    assert StockLevel.objects.get(variant=variant).on_hand == 0
    assert StockMovement.objects.filter(variant=variant).count() == 5
