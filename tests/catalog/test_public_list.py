"""The public catalogue: only published products of active sellers; filters; cursor pages."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.catalog.models import Category, Product
from agora.catalog.selectors import category_descendant_ids, product_count_published
from agora.catalog.services import product_unpublish
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_transition
from tests.conftest import SYSTEM, assert_problem, make_category, make_product, make_seller

PATH = "/api/v1/products"


def ids(query: str = "") -> list[str]:
    response = Client().get(f"{PATH}{query}")
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()["items"]]


def walk(query: str, limit: int) -> list[list[str]]:
    """Every page of a listing, following next_cursor to the end."""
    pages: list[list[str]] = []
    cursor = None
    sep = "&" if query else ""
    while True:
        url = f"{PATH}?{query}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = Client().get(url).json()
        pages.append([p["id"] for p in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "pagination does not end"


@pytest.fixture
def tree(db) -> dict[str, Category]:  # type: ignore[no-untyped-def]
    home = make_category("Home")
    kitchen = make_category("Kitchen", home)
    cups = make_category("Cups", kitchen)
    garden = make_category("Garden")
    return {"home": home, "kitchen": kitchen, "cups": cups, "garden": garden}


@pytest.mark.django_db
def test_only_published_products_of_active_sellers_are_public(
    seller: Seller, other_seller: Seller
) -> None:
    live = make_product(seller, "Live", publish=True)
    draft = make_product(seller, "Draft")
    archived = make_product(seller, "Archived", publish=True)
    product_unpublish(actor=SYSTEM, product=archived, archive=True)
    suspended_live = make_product(other_seller, "Suspended seller's", publish=True)
    seller_transition(actor=SYSTEM, seller=other_seller, to="suspended", reason="test")

    assert ids() == [live.public_id]
    assert product_count_published() == 1
    for hidden in (draft, archived, suspended_live):
        assert_problem(Client().get(f"{PATH}/{hidden.public_id}"), 404, "not-found")
    detail = Client().get(f"{PATH}/{live.public_id}")
    assert detail.status_code == 200 and detail.json()["title"] == "Live"

    seller_transition(actor=SYSTEM, seller=other_seller, to="active")  # reinstated: visible again
    assert set(ids()) == {live.public_id, suspended_live.public_id}


@pytest.mark.django_db
def test_filter_by_words_and_sku(seller: Seller) -> None:
    mug = make_product(seller, "Blue enamel mug", sku="MUG-BLUE", publish=True)
    plate = make_product(seller, "Enamel plate", sku="PLATE-1", publish=True)
    make_product(seller, "Wooden spoon", sku="SPOON", publish=True)
    assert ids("?q=enamel") == [plate.public_id, mug.public_id]
    assert ids("?q=ENAMEL%20MUG") == [mug.public_id]
    assert ids("?q=mug-blue") == [mug.public_id]
    assert ids("?q=PLATE") == [plate.public_id]
    assert ids("?q=nothing-like-it") == []


@pytest.mark.django_db
def test_filter_by_category_includes_sub_categories(
    seller: Seller, tree: dict[str, Category]
) -> None:
    in_home = make_product(seller, "Rug", category=tree["home"], publish=True)
    in_kitchen = make_product(seller, "Pan", category=tree["kitchen"], publish=True)
    in_cups = make_product(seller, "Cup", category=tree["cups"], publish=True)
    in_garden = make_product(seller, "Rake", category=tree["garden"], publish=True)
    make_product(seller, "Uncategorised", publish=True)
    assert set(ids(f"?category={tree['home'].public_id}")) == {
        in_home.public_id,
        in_kitchen.public_id,
        in_cups.public_id,
    }
    assert set(ids(f"?category={tree['kitchen'].public_id}")) == {
        in_kitchen.public_id,
        in_cups.public_id,
    }
    assert ids(f"?category={tree['cups'].public_id}") == [in_cups.public_id]
    assert ids(f"?category={tree['garden'].public_id}") == [in_garden.public_id]
    assert ids("?category=cat_01jd3k6n2w9y8x7v5t4s3r2q1p") == []
    assert set(category_descendant_ids(public_id=tree["home"].public_id)) == {
        tree["home"].pk,
        tree["kitchen"].pk,
        tree["cups"].pk,
    }


@pytest.mark.django_db
def test_filter_by_seller(seller: Seller, other_seller: Seller) -> None:
    a = make_product(seller, "A", publish=True)
    b = make_product(other_seller, "B", publish=True)
    assert ids(f"?seller={seller.public_id}") == [a.public_id]
    assert ids(f"?seller={other_seller.public_id}") == [b.public_id]
    assert ids("?seller=sel_01jd3k6n2w9y8x7v5t4s3r2q1p") == []


@pytest.mark.django_db
def test_filter_by_currency_and_price(seller: Seller) -> None:
    cheap = make_product(seller, "Cheap", prices={"EUR": 500}, publish=True)
    mid = make_product(seller, "Mid", prices={"EUR": 1500, "GBP": 1300}, publish=True)
    dear = make_product(seller, "Dear", prices={"EUR": 5000}, publish=True)
    yen = make_product(seller, "Yen only", prices={"JPY": 800}, publish=True)
    assert set(ids("?currency=EUR")) == {cheap.public_id, mid.public_id, dear.public_id}
    assert ids("?currency=gbp") == [mid.public_id]
    assert ids("?currency=JPY&max_price=800") == [yen.public_id]
    assert set(ids("?currency=EUR&min_price=1000")) == {mid.public_id, dear.public_id}
    assert set(ids("?currency=EUR&max_price=1500")) == {cheap.public_id, mid.public_id}
    assert ids("?currency=EUR&min_price=1000&max_price=2000") == [mid.public_id]
    assert ids("?currency=EUR&min_price=1501&max_price=4999") == []
    # 800 JPY is not 800 EUR: bounds apply in the named currency only
    assert ids("?currency=EUR&min_price=700&max_price=900") == []


@pytest.mark.django_db
def test_price_bounds_need_a_currency(seller: Seller) -> None:
    make_product(seller, "Cheap", prices={"EUR": 500}, publish=True)
    assert_problem(Client().get(f"{PATH}?min_price=100"), 422, "validation-error", "currency")
    assert_problem(Client().get(f"{PATH}?currency=ABC"), 422, "validation-error", "currency")


@pytest.mark.django_db
def test_filter_by_gtin(seller: Seller) -> None:
    from agora.catalog.services import product_publish
    from agora.pricing.services import PricedVariantInput, product_create_priced

    product = product_create_priced(
        actor=SYSTEM,
        seller=seller,
        title="Barcoded",
        variants=[PricedVariantInput(sku="BC", gtin="4006381333931", prices=[("EUR", 100)])],
    )
    product_publish(actor=SYSTEM, product=product)
    make_product(seller, "Plain", publish=True)
    assert ids("?gtin=4006381333931") == [product.public_id]


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [1, 4, 7, 23, 100])
def test_cursor_pages_return_every_product_exactly_once(limit: int) -> None:
    sellers = [make_seller(f"s{i}") for i in range(3)]
    made = [make_product(sellers[i % 3], f"Item {i}", publish=True) for i in range(23)]
    make_product(sellers[0], "Hidden draft")
    pages = walk("", limit)
    flat = [pid for page in pages for pid in page]
    assert sorted(flat) == sorted(p.public_id for p in made)
    assert len(flat) == len(set(flat)) == 23
    assert flat == sorted(flat, reverse=True)  # newest first
    assert all(len(page) == limit for page in pages[:-1])
    assert len(pages) == -(-23 // limit)


@pytest.mark.django_db
def test_cursor_pages_with_a_filter_and_rows_added_between_pages(seller: Seller) -> None:
    made = [
        make_product(seller, f"Teapot {i}", prices={"EUR": 1000 + i}, publish=True)
        for i in range(9)
    ]
    make_product(seller, "Kettle", publish=True)
    first = Client().get(f"{PATH}?q=teapot&limit=4").json()
    newer = make_product(
        seller, "Teapot new", publish=True
    )  # lands before the cursor: not repeated
    rest = walk(f"q=teapot&cursor={first['next_cursor']}", 4) if first["next_cursor"] else []
    seen = [p["id"] for p in first["items"]] + [pid for page in rest for pid in page]
    assert sorted(seen) == sorted(p.public_id for p in made)
    assert newer.public_id not in seen


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["garbage", "cHJvZF8x", "!!!", "AAAA"])
def test_a_bad_cursor_is_422(seller: Seller, cursor: str) -> None:
    make_product(seller, "Any", publish=True)
    assert_problem(Client().get(f"{PATH}?cursor={cursor}"), 422, "validation-error", "cursor")


@pytest.mark.django_db
def test_categories_are_listed_flat_with_parents(tree: dict[str, Category]) -> None:
    response = Client().get("/api/v1/categories")
    assert response.status_code == 200
    by_id = {c["id"]: c for c in response.json()}
    assert by_id[tree["cups"].public_id]["parent"] == tree["kitchen"].public_id
    assert by_id[tree["home"].public_id]["parent"] is None
    assert len(by_id) == Category.objects.count() == 4


@pytest.mark.django_db
def test_list_does_not_grow_queries_with_rows(
    seller: Seller, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(12):
        make_product(seller, f"Thing {i}", prices={"EUR": 100, "GBP": 90}, publish=True)
    with django_assert_max_num_queries(8):
        response = Client().get(f"{PATH}?limit=12")
    assert len(response.json()["items"]) == 12
    assert Product.objects.count() == 12
