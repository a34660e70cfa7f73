"""Category and search pages (filters, sorting, pagination, facets, "did you mean") and the
as-you-type suggestions partial, through the search capability's real index."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from agora.catalog.models import Variant
from agora.inventory.services import location_create, stock_receive
from agora.search.indexing import rebuild
from tests.conftest import SYSTEM, make_category, make_product, make_seller

pytestmark = pytest.mark.django_db


def count(html: str) -> str:
    return re.search(r'<p role="status">(.*?)</p>', html).group(1)


def titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/p/[^"]+/">(.*?)</a></h3>', html)


@pytest.fixture
def shop(seller):
    """Teaware from two sellers in a two-level category tree, indexed for search."""
    teaware = make_category("Teaware")
    teaware.translations = {"zh-hans": {"name": "茶具"}}
    teaware.save(update_fields=["translations"])
    pots = make_category("Teapots", parent=teaware)
    other = make_seller("gamma")
    items = {
        "Celadon teapot": (seller, pots, 4500),
        "Iron teapot": (other, pots, 9900),
        "Glass teapot": (seller, pots, 2900),
        "Tea cup": (seller, teaware, 900),
    }
    made = {}
    for title, (owner, category, price) in items.items():
        made[title] = make_product(
            owner, title, prices={"EUR": price}, category=category, publish=True
        )
    made["Celadon teapot"].translations = {"zh-hans": {"title": "青瓷茶壶"}}
    made["Celadon teapot"].save(update_fields=["translations"])
    location = location_create(
        actor=SYSTEM, seller=seller, name="W", kind="warehouse", country="DE"
    )
    for title in ("Celadon teapot", "Tea cup"):
        variant = Variant.objects.select_related("product__seller").get(product=made[title])
        stock_receive(actor=SYSTEM, location=location, variant=variant, quantity=5)
    rebuild()
    return {"teaware": teaware, "pots": pots, "other": other, **made}


def test_category_page_lists_the_category_and_its_subcategories(client, shop):
    html = client.get("/c/teaware/").content.decode()
    assert "<h1>Teaware</h1>" in html
    assert count(html) == "4 products"
    assert 'href="/c/teapots/"' in html  # the sub-category is offered
    pots = client.get("/c/teapots/").content.decode()
    assert count(pots) == "3 products" and "Tea cup" not in titles(pots)
    assert 'href="/c/teaware/">Teaware</a>' in pots  # breadcrumbs up the tree


def test_category_filters_price_seller_and_stock(client, shop):
    cheap = client.get("/c/teaware/", {"min_price": "20", "max_price": "50"}).content.decode()
    assert sorted(titles(cheap)) == ["Celadon teapot", "Glass teapot"]
    assert 'value="20"' in cheap and 'value="50"' in cheap  # what was typed stays in the boxes
    by_seller = client.get("/c/teaware/", {"seller": shop["other"].public_id}).content.decode()
    assert titles(by_seller) == ["Iron teapot"]
    stocked = client.get("/c/teaware/", {"in_stock": "on"}).content.decode()
    assert sorted(titles(stocked)) == ["Celadon teapot", "Tea cup"]
    assert 'name="in_stock" value="on" checked' in stocked


def test_category_sorting_by_price(client, shop):
    up = titles(client.get("/c/teaware/", {"sort": "price_asc"}).content.decode())
    assert up == ["Tea cup", "Glass teapot", "Celadon teapot", "Iron teapot"]
    down = titles(client.get("/c/teaware/", {"sort": "price_desc"}).content.decode())
    assert down == list(reversed(up))


def test_facets_offer_sellers_and_price_bands_with_counts(client, shop):
    html = client.get("/c/teaware/").content.decode()
    assert f'value="{shop["other"].public_id}"> Gamma <span class="muted">(1)</span>' in html
    assert 'href="?min_price=25.00&amp;max_price=49.99"' in html  # the 25 to 50 band
    band = client.get("/c/teaware/", {"min_price": "25.00", "max_price": "49.99"})
    assert sorted(titles(band.content.decode())) == ["Celadon teapot", "Glass teapot"]


def test_bad_filter_input_is_reported_beside_the_field_in_the_visitors_language(client, shop):
    html = client.get("/c/teaware/", {"min_price": "50", "max_price": "10"}).content.decode()
    assert "The maximum price must not be lower than the minimum price (50)." in html
    assert 'aria-invalid="true"' in html
    assert 'value="50"' in html and 'value="10"' in html  # kept as typed
    # the valid part (min 50) still applies
    assert titles(html) == ["Iron teapot"]
    zh = Client(headers={"accept-language": "zh-Hans"})
    html = zh.get("/c/teaware/", {"min_price": "abc"}).content.decode()
    assert "输入一个数字。" in html and 'value="abc"' in html  # Django's own zh-Hans message
    assert count(html) == "4 件商品"


def test_pagination_keeps_the_filters(client, seller):
    tea = make_category("Tea")
    for n in range(30):
        make_product(
            seller, f"Green tea {n:02}", prices={"EUR": 500 + n}, category=tea, publish=True
        )
    rebuild()
    first = client.get("/c/tea/", {"sort": "price_asc"}).content.decode()
    assert count(first) == "30 products" and len(titles(first)) == 24
    assert 'href="?sort=price_asc&amp;page=2"' in first
    second = client.get("/c/tea/", {"sort": "price_asc", "page": "2"}).content.decode()
    assert titles(second) == [f"Green tea {n:02}" for n in range(24, 30)]
    assert '<span aria-current="page">2</span>' in second


def test_htmx_requests_get_only_the_results_partial(client, shop):
    partial = client.get(
        "/c/teaware/", {"sort": "price_asc"}, headers={"hx-request": "true", "hx-target": "results"}
    ).content.decode()
    assert partial.lstrip().startswith('<div id="results">')
    assert "<html" not in partial and len(titles(partial)) == 4


def test_unknown_category_is_a_friendly_404(client, db):
    page = client.get("/c/no-such-category/")
    assert page.status_code == 404 and "We could not find that page" in page.content.decode()


def test_search_page_finds_filters_and_corrects_typos(client, shop):
    html = client.get("/search/", {"q": "teapot"}).content.decode()
    assert "Results for “teapot”" in html
    assert count(html) == "3 products"
    assert 'name="q"' in html and 'value="teapot"' in html
    typo = client.get("/search/", {"q": "teapott"}).content.decode()
    assert "Did you mean:" in typo and 'href="?q=teapot"' in typo


def test_search_in_chinese_shows_translated_titles(shop):
    zh = Client(headers={"accept-language": "zh-Hans"})
    html = zh.get("/search/", {"q": "青瓷"}).content.decode()
    assert "青瓷茶壶" in titles(html)
    assert "“青瓷”的搜索结果" in html


def test_search_category_facet_narrows_the_results(client, shop):
    html = client.get("/search/", {"q": "tea"}).content.decode()
    assert f'name="category" value="{shop["pots"].public_id}"' in html
    narrowed = client.get("/search/", {"q": "tea", "category": shop["pots"].public_id})
    assert "Tea cup" not in titles(narrowed.content.decode())


def test_too_long_a_query_is_refused_beside_the_field(client, shop):
    html = client.get("/search/", {"q": "x" * 300}).content.decode()
    assert "Ensure this value has at most 200 characters (it has 300)." in html
    assert count(html) == "4 products"  # the rest of the page still answers


def test_suggestions_partial_completes_words_and_offers_products(client, shop):
    partial = client.get("/search/suggest/", {"q": "teap"}).content.decode()
    assert "<html" not in partial
    assert '<a href="/search/?q=teapot">teapot</a>' in partial
    celadon = shop["Celadon teapot"]
    assert f'href="/p/{celadon.public_id}/"' in partial
    assert client.get("/search/suggest/", {"q": ""}).content.decode().strip() == ""
    nothing = client.get("/search/suggest/", {"q": "zzzzqqq"}).content.decode()
    assert "No suggestions" in nothing


def test_header_search_box_asks_for_suggestions_as_you_type(client, db):
    html = client.get("/").content.decode()
    assert 'hx-get="/search/suggest/"' in html and 'hx-trigger="input changed delay:250ms"' in html
    assert 'hx-target="#site-suggestions"' in html
