"""Small kernel pieces: the audit log, cursors, actors and problem documents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agora.catalog.models import Category
from agora.core import clock
from agora.core.actors import Actor, system
from agora.core.audit import audit_record, diff
from agora.core.errors import (
    NOT_FOUND,
    VALIDATION,
    AgoraError,
    FieldError,
    invalid,
    problem_type,
    registered_problem_types,
)
from agora.core.ids import new_public_id
from agora.core.pagination import MAX_LIMIT, decode_cursor, encode_cursor, paginate


@pytest.mark.django_db
def test_audit_record_keeps_who_what_when() -> None:
    category = Category.objects.create(name="Lamps", slug="lamps")
    actor = Actor(
        kind="api_key", label="api key key_x (ci)", api_key_id=7, seller_id=3, scopes=frozenset()
    )
    moment = datetime(2026, 6, 1, tzinfo=UTC)
    with clock.frozen_at(moment):
        entry = audit_record(
            actor=actor, action="category.renamed", target=category, changes={"name": ["A", "B"]}
        )
    entry.refresh_from_db()
    assert (entry.at, entry.actor_kind, entry.actor_label, entry.actor_api_key_id) == (
        moment,
        "api_key",
        "api key key_x (ci)",
        7,
    )
    assert (entry.seller_id, entry.target_type, entry.target_id) == (
        3,
        "catalog.category",
        category.public_id,
    )
    assert entry.changes == {"name": ["A", "B"]}
    explicit = audit_record(actor=system("job"), action="x", target=category, seller_id=9)
    assert explicit.seller_id == 9 and explicit.actor_label == "job"


@pytest.mark.django_db
def test_diff_lists_only_real_changes() -> None:
    parent = Category.objects.create(name="Parent", slug="parent")
    category = Category.objects.create(name="Lamps", slug="lamps", position=2)
    changed = diff(category, {"name": "Lamps", "position": 3, "parent": parent, "translations": {}})
    assert changed == {"position": [2, 3], "parent": [None, parent.public_id]}
    assert diff(category, {"name": "Lamps"}) == {}


def test_actor_scopes() -> None:
    key = Actor(kind="api_key", label="k", scopes=frozenset({"catalog:write", "orders:read"}))
    assert key.can("catalog:write") and key.can("catalog:read") and key.can("orders:read")
    assert not key.can("orders:write") and not key.can("pricing:read")
    assert system("x").can("anything:write")


def test_cursor_round_trip_and_refusals() -> None:
    pid = new_public_id("prod")
    assert decode_cursor(encode_cursor(pid)) == pid
    assert "=" not in encode_cursor(pid)
    for bad in ("", "x", "%%%", encode_cursor("not-an-id"), encode_cursor("prod_1")):
        with pytest.raises(AgoraError) as caught:
            decode_cursor(bad)
        assert caught.value.errors[0].field == "cursor"


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1])
def test_paginate_refuses_bad_limits(limit: int) -> None:
    with pytest.raises(AgoraError) as caught:
        paginate(Category.objects.all(), cursor=None, limit=limit)
    assert caught.value.errors[0].field == "limit"


@pytest.mark.django_db
def test_paginate_oldest_first() -> None:
    rows = [Category.objects.create(name=f"C{i}", slug=f"c{i}") for i in range(5)]
    page = paginate(Category.objects.all(), cursor=None, limit=2, newest_first=False)
    assert [r.pk for r in page.items] == [rows[0].pk, rows[1].pk]
    page = paginate(Category.objects.all(), cursor=page.next_cursor, limit=2, newest_first=False)
    assert [r.pk for r in page.items] == [rows[2].pk, rows[3].pk]
    page = paginate(Category.objects.all(), cursor=page.next_cursor, limit=2, newest_first=False)
    assert [r.pk for r in page.items] == [rows[4].pk] and page.next_cursor is None


def test_problem_document_shape() -> None:
    error = AgoraError(VALIDATION, "title: bad", [FieldError("title", "bad")], {"hint": "x"})
    assert error.as_problem(instance="/api/v1/x") == {
        "type": "/problems/validation-error",
        "title": VALIDATION.title,
        "status": 422,
        "detail": "title: bad",
        "instance": "/api/v1/x",
        "errors": [{"field": "title", "message": "bad"}],
        "hint": "x",
    }
    assert str(invalid("limit", "too big")) == "limit: too big"
    assert "errors" not in AgoraError(NOT_FOUND, "gone").as_problem()


def test_problem_types_are_declared_once() -> None:
    assert (
        problem_type(NOT_FOUND.slug, NOT_FOUND.title, NOT_FOUND.status, NOT_FOUND.description)
        is NOT_FOUND
    )
    with pytest.raises(ValueError):
        problem_type(NOT_FOUND.slug, "Something else", 404, "another meaning")
    assert registered_problem_types()["not-found"] is NOT_FOUND
