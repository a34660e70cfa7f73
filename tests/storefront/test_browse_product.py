"""The product page: gallery and 3D view, variants with price, tax note and Omnibus prior price,
stock state from inventory, seller, reviews, and the add-to-cart form."""

# Chinese text uses full-width punctuation on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.catalog.models import Attribute, Variant
from agora.catalog.services import media_add, product_publish
from agora.checkout.models import SellerTaxProfile
from agora.core import clock
from agora.core.extension_points import product_reviews
from agora.inventory.services import location_create, stock_receive
from agora.pricing.services import (
    PricedVariantInput,
    price_set,
    product_create_priced,
    variant_add_priced,
)
from tests.conftest import SYSTEM, make_category, make_product

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


def zh_client() -> Client:
    return Client(headers={"accept-language": "zh-Hans"})


@pytest.fixture
def mug(seller):
    """A published two-variant mug with a picture and a glTF model, stocked in one warehouse."""
    cups = make_category("Cups")
    Attribute.objects.create(
        code="capacity_ml",
        name="Capacity",
        value_type="number",
        unit="ml",
        translations={"zh-hans": {"name": "容量"}},
    )
    Attribute.objects.create(
        code="handmade",
        name="Handmade",
        value_type="boolean",
        translations={"zh-hans": {"name": "手工制作"}},
    )
    with clock.frozen_at(NOW - timedelta(days=20)):
        product = product_create_priced(
            actor=SYSTEM,
            seller=seller,
            title="Speckled mug",
            description="Thrown by hand.",
            category=cups,
            translations={"zh-hans": {"title": "斑点马克杯", "description": "手工拉坯。"}},
            attributes={"capacity_ml": 350, "handmade": True},
            variants=[
                PricedVariantInput(sku="MUG-1", title="Single", prices=[("EUR", 2000)]),
                PricedVariantInput(
                    sku="MUG-4",
                    title="Set of 4",
                    translations={"zh-hans": {"title": "四只装"}},
                    prices=[("EUR", 7000)],
                ),
            ],
        )
        media_add(
            actor=SYSTEM,
            product=product,
            kind="image",
            url="/static/demo/mug.svg",
            alt="A speckled mug",
            translations={"zh-hans": {"alt": "一只斑点马克杯"}},
        )
        media_add(
            actor=SYSTEM,
            product=product,
            kind="model",
            url="/static/demo/mug.gltf",
            alt="3D model of the mug",
            translations={"zh-hans": {"alt": "马克杯 3D 模型"}},
        )
        product_publish(actor=SYSTEM, product=product)
        location = location_create(
            actor=SYSTEM, seller=seller, name="Main", kind="warehouse", country="DE"
        )
    single, set_of_4 = Variant.objects.filter(product=product).order_by("position", "id")
    stock_receive(actor=SYSTEM, location=location, variant=single, quantity=40)
    stock_receive(actor=SYSTEM, location=location, variant=set_of_4, quantity=3)
    return product


def test_product_page_shows_gallery_3d_view_variants_seller_and_stock(client, mug):
    page = client.get(f"/p/{mug.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1" in html and "Speckled mug" in html
    assert 'alt="A speckled mug"' in html
    assert '<model-viewer src="/static/demo/mug.gltf" alt="3D model of the mug"' in html
    assert " ar " in html and 'ar-modes="webxr scene-viewer quick-look"' in html
    assert '<script type="module" src="/static/vendor/model-viewer.min.js">' in html
    assert "Sold by Alpha" in html
    assert "€20.00" in html and "€70.00" in html
    assert "In stock" in html and "Only 3 left" in html
    assert "<dt>Capacity</dt>" in html and "<dd>350 ml</dd>" in html
    assert "<dt>Handmade</dt>" in html and "<dd>Yes</dd>" in html
    assert "Thrown by hand." in html


def test_product_page_in_chinese(mug):
    html = zh_client().get(f"/p/{mug.public_id}/").content.decode()
    assert "斑点马克杯" in html and "手工拉坯。" in html
    assert 'alt="一只斑点马克杯"' in html and 'alt="马克杯 3D 模型"' in html
    assert "<dt>容量</dt>" in html and "<dd>是</dd>" in html
    assert "卖家：Alpha" in html and "价格已含增值税" in html and "暂无评价" in html
    assert "四只装" in html and "Set of 4" not in html  # the variant's own translation
    assert "Single" in html  # untranslated: its own title


def test_a_product_without_a_model_loads_no_viewer(client, seller):
    plain = make_product(seller, "Plain plate", publish=True)
    html = client.get(f"/p/{plain.public_id}/").content.decode()
    assert "<model-viewer" not in html and "model-viewer.min.js" not in html
    assert "Out of stock" in html  # no stock received: the buyer is told, and cannot add it
    assert '<button type="submit" disabled>Out of stock</button>' in html


def test_add_to_cart_form_posts_variant_and_quantity_with_csrf(mug):
    client = Client(enforce_csrf_checks=True)
    html = client.get(f"/p/{mug.public_id}/").content.decode()
    form = html[
        html.index('<form method="post" action="') : html.index(
            "</form>", html.index("add-to-cart")
        )
    ]
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="quantity" value="1" min="1"' in form
    single = Variant.objects.get(sku="MUG-1")
    assert f'name="variant" value="{single.public_id}" checked' in form


def test_tax_note_follows_the_sellers_price_mode(client, mug, seller):
    assert "Price includes VAT" in client.get(f"/p/{mug.public_id}/").content.decode()
    SellerTaxProfile.objects.create(seller=seller, prices_include_tax=False)
    html = client.get(f"/p/{mug.public_id}/").content.decode()
    assert "Price excludes VAT" in html and "Price includes VAT" not in html


def test_a_reduced_price_shows_the_lowest_price_of_the_prior_30_days(client, mug):
    single = Variant.objects.select_related("product__seller").get(sku="MUG-1")
    html = client.get(f"/p/{mug.public_id}/").content.decode()
    assert "Lowest price in the 30 days" not in html  # steady price: nothing to compare
    with clock.frozen_at(NOW - timedelta(days=10)):
        price_set(actor=SYSTEM, variant=single, currency="EUR", amount_minor=2500)
    with clock.frozen_at(NOW):
        price_set(actor=SYSTEM, variant=single, currency="EUR", amount_minor=1500)
        html = client.get(f"/p/{mug.public_id}/").content.decode()
    assert 'class="price reduced"' in html and "€15.00" in html
    # 20.00 (in force at the window's start) is lower than the 25.00 raise: that is the prior price
    assert "Lowest price in the 30 days before this reduction: €20.00" in html
    with clock.frozen_at(NOW + timedelta(days=1)):
        price_set(actor=SYSTEM, variant=single, currency="EUR", amount_minor=3000)
        html = client.get(f"/p/{mug.public_id}/").content.decode()
    assert "Lowest price in the 30 days" not in html  # a rise is no reduction


def test_reviews_come_from_the_extension_point_when_one_is_registered(client, mug):
    assert "No reviews yet." in client.get(f"/p/{mug.public_id}/").content.decode()
    asked = []

    def reviews(public_id, language):
        asked.append((public_id, language))
        return {
            "count": 1,
            "average": "4.0",
            "reviews": [
                {
                    "author": "Mei",
                    "rating": 4,
                    "title": "Lovely glaze",
                    "body": "Heavy and warm.",
                    "created_at": NOW,
                },
            ],
        }

    product_reviews.register(reviews, key="tests.reviews")
    try:
        html = client.get(f"/p/{mug.public_id}/").content.decode()
    finally:
        product_reviews.unregister("tests.reviews")
    assert asked == [(mug.public_id, "en")]
    assert "Lovely glaze" in html and "4 out of 5 · Mei" in html and "20 May 2026" in html
    assert "4.0 out of 5, from 1 review" in html and "No reviews yet." not in html


def test_a_product_not_sold_in_the_chosen_currency_says_where_it_is(client, mug):
    client.post("/currency/", {"currency": "GBP", "next": "/"})
    html = client.get(f"/p/{mug.public_id}/").content.decode()
    assert "This product is not sold in GBP. It is sold in: EUR." in html
    assert "Add to cart" not in html


@pytest.mark.parametrize("public_id", ["prod_01NOSUCHPRODUCT00000000000", "../etc", "prod_\x00"])
def test_unknown_or_malformed_products_are_a_friendly_404(client, public_id):
    page = client.get(f"/p/{public_id}/")
    assert page.status_code == 404
    assert "We could not find that page" in page.content.decode()


def test_a_draft_product_is_not_shown(client, seller):
    draft = make_product(seller, "Secret prototype")
    assert client.get(f"/p/{draft.public_id}/").status_code == 404


def test_product_page_reads_within_a_fixed_budget(client, mug, django_assert_max_num_queries):
    """Documents, stock, tax mode, media and specs are one query each, and the Omnibus prior
    prices of all variants three together (pricing's batched selector); sustainability's labels
    and footprint (extension points, issue 7) one each; trust's reviews one (issue 8)."""
    client.get(f"/p/{mug.public_id}/")  # session and other first-request work out of the way
    with django_assert_max_num_queries(19):
        assert client.get(f"/p/{mug.public_id}/").status_code == 200


def test_product_page_queries_do_not_grow_with_the_variants(client, mug):
    """A variant more (each with a price history) costs no query more: no read per row."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/p/{mug.public_id}/").status_code == 200
        return len(captured.captured_queries)

    client.get(f"/p/{mug.public_id}/")
    with clock.frozen_at(NOW):
        before = queries()
    for n in range(3):
        with clock.frozen_at(NOW - timedelta(days=15)):
            variant = variant_add_priced(
                actor=SYSTEM,
                product=mug,
                data=PricedVariantInput(sku=f"MUG-X{n}", title=f"Extra {n}", prices=[("EUR", 900)]),
            )
        with clock.frozen_at(NOW - timedelta(days=5)):
            price_set(actor=SYSTEM, variant=variant, currency="EUR", amount_minor=800)
    with clock.frozen_at(NOW):
        assert queries() == before
        assert "€9.00" in client.get(f"/p/{mug.public_id}/").content.decode()  # prior price
