"""search_products and suggest over the shared catalogue, on SQLite FTS5 or PostgreSQL."""

from __future__ import annotations

import pytest

from agora.core.errors import AgoraError
from agora.search.selectors import search_products, suggest
from tests.search.conftest import Catalog


def ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["id"] for item in page.items]


def find(query: str, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    return ids(search_products(query=query, language=kwargs.pop("language", "en"), **kwargs))


# --- Chinese: one, two, three and more characters -------------------------------------------


def test_one_chinese_character_finds_every_title_holding_it(catalog: Catalog) -> None:
    found = find("茶", language="zh-hans")
    p = catalog.p
    assert set(found) >= {p["longjing"].public_id, p["teapot"].public_id, p["chamomile"].public_id}
    assert p["espresso"].public_id not in found
    assert p["candle"].public_id not in found


def test_two_chinese_characters(catalog: Catalog) -> None:
    assert find("咖啡", language="zh-hans") == [catalog.p["espresso"].public_id]
    assert find("龙井", language="zh-hans") == [catalog.p["longjing"].public_id]


def test_three_or_more_chinese_characters(catalog: Catalog) -> None:
    assert find("西湖龙井", language="zh-hans") == [catalog.p["longjing"].public_id]
    assert find("洋甘菊", language="zh-hans") == [catalog.p["chamomile"].public_id]
    assert find("胡桃木灯笼", language="zh-hans") == [catalog.p["lantern"].public_id]


def test_chinese_category_name_finds_its_products(catalog: Catalog) -> None:
    # 茶叶 is the Tea category's Chinese name; its products match, including sub-categories.
    found = find("茶叶", language="zh-hans")
    assert set(found) == {catalog.p["longjing"].public_id, catalog.p["chamomile"].public_id}


# --- English: partial words, plural/singular, one typo ---------------------------------------


def test_partial_words(catalog: Catalog) -> None:
    assert find("hang")[0] == catalog.p["heart"].public_id
    assert find("espres")[0] == catalog.p["espresso"].public_id
    assert find("longj gree")[0] == catalog.p["longjing"].public_id


def test_plural_finds_singular_and_back(catalog: Catalog) -> None:
    assert find("teapots")[0] == catalog.p["teapot"].public_id
    assert find("cherries")[0] == catalog.p["teapot"].public_id
    assert find("candle holder")[0] == catalog.p["candle"].public_id
    assert find("lanterns") == [catalog.p["lantern"].public_id]


def test_one_typo_is_corrected_and_said(catalog: Catalog) -> None:
    page = search_products(query="chamomle tea", language="en")
    assert ids(page)[0] == catalog.p["chamomile"].public_id
    assert page.corrected_query == "chamomile tea"
    swapped = search_products(query="teapto", language="en")  # two letters swapped
    assert ids(swapped) == [catalog.p["teapot"].public_id]
    assert swapped.corrected_query == "teapot"


def test_a_correct_query_is_not_corrected(catalog: Catalog) -> None:
    page = search_products(query="lantern", language="en")
    assert page.corrected_query is None
    assert ids(page) == [catalog.p["lantern"].public_id]


def test_description_and_attribute_words_match(catalog: Catalog) -> None:
    assert find("hangzhou") == [catalog.p["longjing"].public_id]  # description
    assert find("zhejiang") == [catalog.p["longjing"].public_id]  # attribute value
    assert find("organic tea") == [catalog.p["longjing"].public_id]  # a yes/no attribute


def test_title_match_outranks_description_match(catalog: Catalog) -> None:
    # "green" is in the Longjing title and in nothing else; "tea" is in several titles.
    assert find("green tea")[0] == catalog.p["longjing"].public_id


def test_nothing_and_nonsense(catalog: Catalog) -> None:
    page = search_products(query="xylophone", language="en")
    assert page.total == 0 and page.items == []


def test_drafts_and_suspended_sellers_are_never_found(catalog: Catalog) -> None:
    from agora.marketplace.services import seller_transition
    from tests.conftest import SYSTEM

    assert find("secret brass") == []
    seller_transition(actor=SYSTEM, seller=catalog.beta, to="suspended", reason="test")
    assert find("lantern") == []


# --- filters, facets, sorting -------------------------------------------------------------------


def test_empty_query_lists_everything_public(catalog: Catalog) -> None:
    page = search_products(query="", language="en", limit=50)
    assert page.total == 7
    assert catalog.p["draft"].public_id not in ids(page)


def test_category_filter_includes_sub_categories(catalog: Catalog) -> None:
    page = search_products(query="", language="en", category=catalog.tableware.public_id)
    assert page.total == 5
    assert catalog.p["espresso"].public_id in ids(page)  # in Cups, under Tableware
    assert find("", category=catalog.green_tea.public_id) == [catalog.p["longjing"].public_id]


def test_seller_price_and_stock_filters(catalog: Catalog) -> None:
    assert find("", seller=catalog.beta.public_id) == [catalog.p["lantern"].public_id]
    cheap = find("", min_price_minor=500, max_price_minor=1000, sort="price_asc")
    assert cheap == [catalog.p["chamomile"].public_id, catalog.p["candle"].public_id]
    in_gbp = find("", currency="GBP", min_price_minor=1)
    assert in_gbp == [catalog.p["lantern"].public_id]
    stocked = set(find("", in_stock=True, limit=50))
    assert catalog.p["heart"].public_id not in stocked
    assert catalog.p["longjing"].public_id in stocked
    assert len(stocked) == 5


def test_facets_count_with_the_other_filters(catalog: Catalog) -> None:
    page = search_products(
        query="", language="zh-hans", category=catalog.tea.public_id, in_stock=True
    )
    categories = {f.value: (f.label, f.count) for f in page.facets["category"]}
    # The category facet ignores the category filter: every top category is still offered.
    assert categories[catalog.tableware.public_id][1] == 3  # espresso, teapot, lantern in stock
    assert categories[catalog.tea.public_id] == ("茶叶", 2)  # label in the asked language
    assert categories[catalog.green_tea.public_id][1] == 1
    stock = {f.value: f.count for f in page.facets["in_stock"]}
    assert stock == {"true": 2}  # within Tea, both are in stock: no "out of stock" choice
    sellers = {f.label: f.count for f in page.facets["seller"]}
    assert sellers == {"Alpha": 2}
    bands = {f.value: f.count for f in page.facets["price"]}
    assert bands == {"0-999": 1, "1000-2499": 1}
    assert page.total == 2


def test_price_band_labels_are_formatted_money(catalog: Catalog) -> None:
    page = search_products(query="", language="en")
    labels = {f.value: f.label for f in page.facets["price"]}
    assert labels["0-999"] == "€0.00 – €10.00"  # noqa: RUF001
    assert labels["1000-2499"] == "€10.00 – €25.00"  # noqa: RUF001


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("price_asc", "heart", "teapot"),
        ("price_desc", "teapot", "heart"),
        ("newest", "lantern", "longjing"),
    ],
)
def test_sort_orders(catalog: Catalog, sort: str, first: str, last: str) -> None:
    found = find("", sort=sort, limit=50)
    assert found[0] == catalog.p[first].public_id
    assert found[-1] == catalog.p[last].public_id


def test_pages_do_not_overlap(catalog: Catalog) -> None:
    first = find("", sort="price_asc", limit=3)
    second = find("", sort="price_asc", limit=3, offset=3)
    assert len(first) == 3 and len(second) == 3 and not set(first) & set(second)


def test_items_are_catalog_documents(catalog: Catalog) -> None:
    from agora.catalog.documents import product_documents

    page = search_products(query="walnut", language="en")
    assert page.items == product_documents([catalog.p["lantern"].pk])


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "slug", "field"),
    [
        ({"query": "x" * 201}, "search-query-too-long", "q"),
        ({"sort": "cheapest"}, "search-invalid-sort", "sort"),
        (
            {"min_price_minor": 500, "max_price_minor": 100},
            "search-invalid-price-range",
            "min_price_minor",
        ),
        ({"min_price_minor": -1}, "search-invalid-price-range", "min_price_minor"),
        ({"language": "fr"}, "search-invalid-language", "lang"),
        ({"currency": "EURO"}, "search-invalid-currency", "currency"),
        ({"limit": 0}, "search-invalid-page", "limit"),
        ({"offset": -1}, "search-invalid-page", "offset"),
    ],
)
def test_bad_input_is_refused_by_name(db, kwargs: dict, slug: str, field: str) -> None:  # type: ignore[no-untyped-def]
    args = {"query": "tea", "language": "en", **kwargs}
    with pytest.raises(AgoraError) as refused:
        search_products(**args)
    assert refused.value.problem.slug == slug
    assert [e.field for e in refused.value.errors] == [field]


# --- suggestions -------------------------------------------------------------------------------


def test_suggest_completes_words_and_names_products(catalog: Catalog) -> None:
    found = suggest(prefix="lant", language="en")
    assert found[0].text == "lantern" and found[0].product_id is None
    products = [s for s in found if s.product_id]
    assert products[0].product_id == catalog.p["lantern"].public_id
    assert products[0].text == "Walnut Lantern"


def test_suggest_shows_titles_in_the_asked_language(catalog: Catalog) -> None:
    found = suggest(prefix="咖", language="zh-hans")
    assert [(s.text, s.product_id) for s in found] == [
        ("骨瓷浓缩咖啡杯", catalog.p["espresso"].public_id)
    ]


def test_suggest_empty_prefix(db) -> None:  # type: ignore[no-untyped-def]
    assert suggest(prefix="  ", language="en") == []


def test_facets_of_a_query_are_disjunctive_too(catalog: Catalog) -> None:
    page = search_products(query="holders", language="en", in_stock=True)
    assert page.total == 0 and page.items == []  # both holders are out of stock
    stock = {f.value: f.count for f in page.facets["in_stock"]}
    assert stock == {"false": 2}  # so the facet offers the way back
    assert page.facets["price"] == []  # the other facets count the in-stock ones: none
    page = search_products(query="holders", language="en")
    assert {f.value: f.count for f in page.facets["price"]} == {"0-999": 2}
    assert [f.label for f in page.facets["category"]] == ["Tableware"]
