"""Categories: platform-wide, managed by operators; names may repeat under other parents."""

from __future__ import annotations

import pytest

from agora.accounts.services import actor_for_user, user_create
from agora.catalog.models import Category
from agora.catalog.services import category_create
from agora.catalog.validation import translated
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry
from tests.conftest import SYSTEM, make_category


@pytest.mark.django_db
def test_same_name_under_two_parents() -> None:
    women, men = make_category("Women"), make_category("Men")
    a = make_category("Accessories", women)
    b = make_category("Accessories", men)
    assert a.slug == "accessories" and b.slug == "accessories-2"
    assert {a.parent_id, b.parent_id} == {women.pk, men.pk}
    assert AuditEntry.objects.filter(action="category.created").count() == 4


@pytest.mark.django_db
def test_a_chosen_slug_that_is_taken_is_a_conflict() -> None:
    make_category("Books")
    with pytest.raises(AgoraError) as caught:
        category_create(actor=SYSTEM, name="Other books", slug="books")
    assert caught.value.problem.slug == "conflict"
    assert [e.field for e in caught.value.errors] == ["slug"]
    assert Category.objects.count() == 1


@pytest.mark.django_db
def test_names_without_latin_letters_get_a_slug() -> None:
    tea = category_create(actor=SYSTEM, name="茶具", translations={"zh-hans": {"name": "茶具"}})
    other = category_create(actor=SYSTEM, name="茶叶")
    assert tea.slug and other.slug and tea.slug != other.slug
    assert translated(tea, "name", "zh-Hans") == "茶具"
    assert translated(other, "name", "zh-hans") == "茶叶"  # falls back to the column


@pytest.mark.django_db
def test_only_operators_create_categories() -> None:
    user = user_create(email="seller@example.com", password="a long passphrase 42")
    with pytest.raises(AgoraError) as caught:
        category_create(actor=actor_for_user(user), name="Mine")
    assert caught.value.problem.slug == "forbidden"
    user.is_staff = True
    user.save()
    assert category_create(actor=actor_for_user(user), name="Mine").slug == "mine"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "n" * 121}, "name"),
        ({"name": "X", "translations": {"fr": {"name": "x"}}}, "translations.fr"),
    ],
)
def test_bad_category_input(kw: dict, field: str) -> None:
    with pytest.raises(AgoraError) as caught:
        category_create(actor=SYSTEM, **kw)
    assert [e.field for e in caught.value.errors] == [field]
    assert not Category.objects.exists()
