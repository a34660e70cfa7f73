"""Public ids (prefixed, sortable by creation, unique, no row numbers) and the test clock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from ulid import ULID

from agora.catalog.models import Category
from agora.core import clock
from agora.core.ids import PublicIdField, is_public_id, new_public_id


def test_public_id_has_its_prefix_and_shape() -> None:
    value = new_public_id("prod")
    prefix, _, body = value.partition("_")
    assert prefix == "prod"
    assert len(body) == 26
    assert body == body.lower()
    assert is_public_id(value)
    assert is_public_id(value, "prod")
    assert not is_public_id(value, "ord")


@pytest.mark.parametrize(
    "bad",
    ["", "prod", "prod_", "PROD_01jd3k6n2w9y8x7v5t4s3r2q1p", "prod_123", "x_" + "0" * 26, None],
)
def test_is_public_id_refuses_junk(bad: str | None) -> None:
    assert not is_public_id(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("prefix", ["", "P", "x", "toolongprefix", "pr-d", "1ab"])
def test_bad_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(ValueError):
        new_public_id(prefix)
    with pytest.raises(ValueError):
        PublicIdField(prefix=prefix)


def test_ids_sort_in_the_order_they_were_made() -> None:
    """Even many in the same millisecond: cursor pages and logs rely on the order."""
    ids = [new_public_id("evt") for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_ids_made_later_sort_later_and_carry_the_time() -> None:
    before = datetime.now(UTC)
    first = new_public_id("ord")
    second = new_public_id("ord")
    assert first < second
    moment = ULID.from_str(first.partition("_")[2].upper()).datetime
    assert abs(moment - before) < timedelta(seconds=5)


def test_ids_are_unique_across_threads() -> None:
    found: list[list[str]] = []

    def make() -> None:
        found.append([new_public_id("evt") for _ in range(2000)])

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [i for chunk in found for i in chunk]
    assert len(flat) == 16000
    assert len(set(flat)) == len(flat)
    for chunk in found:  # each thread's own ids are still in creation order
        assert chunk == sorted(chunk)


@pytest.mark.django_db
def test_rows_get_a_public_id_that_is_not_the_row_number() -> None:
    rows = [Category.objects.create(name=f"C{i}", slug=f"c{i}") for i in range(30)]
    for row in rows:
        assert is_public_id(row.public_id, "cat")
        tail = row.public_id.partition("_")[2]
        # the random part is 80 bits from the generator, not the primary key
        assert not tail.endswith(str(row.pk).rjust(3, "0"))
        assert int(ULID.from_str(tail.upper())) != row.pk
    # the 80-bit part is random, not a count (a count would say how many rows the table holds)
    randoms = [
        int(ULID.from_str(r.public_id.partition("_")[2].upper())) & ((1 << 80) - 1) for r in rows
    ]
    assert all(r > 1 << 40 for r in randoms)
    assert Category.objects.filter(public_id__in=[r.public_id for r in rows]).count() == 30


@pytest.mark.django_db
def test_bulk_create_fills_public_ids() -> None:
    rows = Category.objects.bulk_create([Category(name=f"B{i}", slug=f"b{i}") for i in range(5)])
    stored = list(Category.objects.filter(slug__startswith="b").values_list("public_id", flat=True))
    assert len(stored) == 5 and all(is_public_id(p, "cat") for p in stored)
    assert {r.public_id for r in rows} == set(stored)


# --- clock ---------------------------------------------------------------------------------

MOMENT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_now_is_aware_utc() -> None:
    now = clock.now()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)


def test_frozen_at_holds_and_advance_moves() -> None:
    with clock.frozen_at(MOMENT):
        assert clock.now() == MOMENT
        assert clock.now() == MOMENT
        assert clock.advance(timedelta(minutes=5)) == MOMENT + timedelta(minutes=5)
        assert clock.now() == MOMENT + timedelta(minutes=5)
    assert clock.now() != MOMENT + timedelta(minutes=5)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_frozen_at_nests_and_restores() -> None:
    with clock.frozen_at(MOMENT):
        with clock.frozen_at(MOMENT + timedelta(days=1)):
            assert clock.now() == MOMENT + timedelta(days=1)
        assert clock.now() == MOMENT


def test_frozen_at_restores_after_an_exception() -> None:
    with pytest.raises(ZeroDivisionError), clock.frozen_at(MOMENT):
        1 / 0  # noqa: B018
    assert clock.now() != MOMENT


def test_frozen_at_converts_to_utc_and_refuses_naive() -> None:
    from zoneinfo import ZoneInfo

    berlin = datetime(2026, 3, 1, 13, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    with clock.frozen_at(berlin):
        assert clock.now() == MOMENT
        assert clock.now().utcoffset() == timedelta(0)
    with pytest.raises(ValueError), clock.frozen_at(datetime(2026, 3, 1)):
        pass


def test_advance_needs_a_frozen_clock() -> None:
    with pytest.raises(RuntimeError):
        clock.advance(timedelta(seconds=1))
