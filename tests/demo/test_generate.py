"""The demo store's generator, without a database: believable, valid and deterministic."""

from __future__ import annotations

import re

import pytest
from stdnum import ean
from stdnum.util import get_cc_module

from agora.demo import data
from agora.demo.assets import STATIC_ROOT
from agora.demo.generate import CURRENCIES, DEFAULT_SEED, build_spec
from agora.marketplace.vat import normalize_vat_id

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def spec():
    return build_spec(DEFAULT_SEED)


def test_same_seed_same_store_other_seed_other_store(spec):
    assert build_spec(DEFAULT_SEED) == spec
    other = build_spec(DEFAULT_SEED + 1)
    assert [p.title for p in other.products] != [p.title for p in spec.products]
    # the sellers and their accounts do not depend on the seed
    assert [s.vat_id for s in other.sellers] == [s.vat_id for s in spec.sellers]


def test_sellers_from_several_countries_with_owners(spec):
    countries = [s.data.country for s in spec.sellers]
    assert len(spec.sellers) >= 5 and len(set(countries)) == len(countries)
    assert {"DE", "FR", "CN", "GB", "IT", "NL"} <= set(countries)
    assert len({s.slug for s in spec.sellers}) == len(spec.sellers)
    assert len({s.owner.email for s in spec.sellers}) == len(spec.sellers)
    for seller in spec.sellers:
        assert 1 <= len(seller.data.locations) <= 2
        assert seller.products, seller.slug


def test_vat_ids_validate(spec):
    for seller in spec.sellers:
        country = seller.data.country
        assert normalize_vat_id(country, seller.vat_id) == seller.vat_id
        module = get_cc_module(country.lower(), "vat")
        assert module.is_valid(seller.vat_id.removeprefix(country)), seller.vat_id


def test_enough_products_with_one_to_four_variants(spec):
    products = spec.products
    assert len(products) >= 300
    assert all(1 <= len(p.variants) <= 4 for p in products)
    assert sum(len(p.variants) for p in products) >= 600
    for seller in spec.sellers:
        slugs = [p.slug for p in seller.products]
        skus = [v.sku for p in seller.products for v in p.variants]
        titles = [p.title for p in seller.products]
        assert len(set(slugs)) == len(slugs) and len(set(skus)) == len(skus)
        assert len(set(titles)) == len(titles)
        assert all(len(s) <= 64 for s in skus) and all(0 < len(s) <= 120 for s in slugs)


def test_every_product_speaks_english_and_simplified_chinese(spec):
    for product in spec.products:
        assert product.title and len(product.title) <= 300
        assert len(product.description) > 60
        assert not CJK.search(product.title + product.description), product.title
        assert CJK.search(product.title_zh) and CJK.search(product.description_zh), product.title
        assert product.translations == {
            "zh-hans": {"title": product.title_zh, "description": product.description_zh}
        }
        for media in product.media:
            assert media.alt and CJK.search(media.alt_zh)


def test_gtins_have_valid_check_digits(spec):
    for product in spec.products:
        for variant in product.variants:
            assert ean.is_valid(variant.gtin), (variant.sku, variant.gtin)
    gtins = [
        v.gtin
        for s in spec.sellers
        if s.slug != "marlowe-finch-books"
        for p in s.products
        for v in p.variants
    ]
    assert len(set(gtins)) == len(gtins)  # copies of one book edition share its ISBN; nothing else
    books = [v.gtin for p in spec.sellers[3].products for v in p.variants]
    assert all(g.startswith("978") for g in books)


def _charm_ok(minor: int, currency: str) -> bool:
    cents, major = minor % 100, minor // 100
    if currency == "CNY":
        return cents == 0 and major % 10 == 8
    return cents in (99, 90) or (cents == 0 and major % 10 == 9)


def test_prices_in_three_currencies_with_a_history(spec):
    stories = {p.price_story for p in spec.products}
    assert stories == {"steady", "reduced", "raised"}
    for product in spec.products:
        for variant in product.variants:
            assert set(variant.prices) == set(CURRENCIES)
            for currency, minor in variant.prices.items():
                assert minor > 0 and _charm_ok(minor, currency), (variant.sku, currency, minor)
            if product.price_story == "steady":
                assert variant.earlier_prices == {}
                continue
            for currency in CURRENCIES:
                before, now = variant.earlier_prices[currency], variant.prices[currency]
                assert (before > now) if product.price_story == "reduced" else (before < now)
    reduced = [p for p in spec.products if p.price_story == "reduced"]
    assert len(reduced) >= 30


def test_stock_per_location(spec):
    for seller in spec.sellers:
        for product in seller.products:
            for variant in product.variants:
                assert len(variant.stock) == len(seller.data.locations)
                assert all(units >= 0 for units in variant.stock)
                if seller.slug == "marlowe-finch-books":
                    assert sum(variant.stock) <= 2  # second-hand copies
        assert sum(sum(v.stock) for p in seller.products for v in p.variants) > 0


def test_categories_attributes_and_media_resolve(spec):
    categories = {c[0] for c in spec.categories}
    parents = {c[1] for c in spec.categories if c[1]}
    assert parents <= categories
    assert all(c[3] and CJK.search(c[3]) for c in spec.categories)
    attributes = {a[0]: a for a in spec.attributes}
    for product in spec.products:
        assert product.category in categories
        for code, value in product.attributes.items():
            _, _, _, kind, choices, _ = attributes[code]
            assert {
                "text": isinstance(value, str),
                "number": isinstance(value, int) and not isinstance(value, bool),
                "boolean": isinstance(value, bool),
                "choice": value in choices,
            }[kind], (product.title, code, value)
        for media in product.media:
            relative = media.url.removeprefix("/static/demo/")
            assert (STATIC_ROOT / relative).is_file(), media.url
    models = [m for p in spec.products for m in p.media if m.kind == "model"]
    assert len(models) >= 4


def test_accounts(spec):
    assert spec.operator.role == "operator"
    assert [b.email for b in spec.buyers] == [f"buyer{i}@demo.agora.test" for i in range(1, 11)]
    assert len({b.password for b in spec.buyers}) == 1
    assert len({s.owner.password for s in spec.sellers}) == len(spec.sellers)


def test_locations_are_in_their_country():
    # rough boxes around each country: the coordinates are real-looking, not random
    boxes = {
        "DE": (47, 55, 5, 16),
        "FR": (41, 51, -5, 10),
        "CN": (18, 54, 73, 135),
        "GB": (49, 61, -8, 2),
        "IT": (36, 47, 6, 19),
        "NL": (50, 54, 3, 8),
    }
    for seller in data.SELLERS:
        south, north, west, east = boxes[seller.country]
        for loc in seller.locations:
            assert south <= float(loc.latitude) <= north and west <= float(loc.longitude) <= east
