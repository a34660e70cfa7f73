"""The cart page: lines grouped by seller, htmx edits, errors next to the line, guest merge."""

from __future__ import annotations

import pytest

from agora.accounts.models import User
from agora.accounts.services import user_create
from agora.catalog.services import product_unpublish
from agora.checkout.models import Cart, CartLine
from tests.checkout.flow_helpers import setup_two_sellers
from tests.conftest import SYSTEM
from tests.storefront.buying import Browser

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(seller, other_seller):  # type: ignore[no-untyped-def]
    return setup_two_sellers(seller, other_seller)


def test_lines_are_grouped_by_seller_with_totals(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 2)
    b.add(world["pot"], 1)
    html = b.get("/cart/").content.decode()
    assert "Sold and shipped by Alpha" in html and "Sold and shipped by Beta" in html
    assert "€25.98" in html and "€34.50" in html  # 2 x 12.99 and 1 x 34.50
    assert "€60.48" in html  # the items of both sellers
    # a destination brings VAT and delivery per seller
    r = b.post("/cart/destination/", {"country": "DE", "postcode": "10115"})
    assert r.status_code == 302
    html = b.get("/cart/").content.decode()
    assert "Included VAT" in html and "€4.15" in html  # 25.98 * 19 / 119
    assert "from €4.90" in html


def test_the_empty_cart_says_so_and_reading_it_creates_nothing(db):  # type: ignore[no-untyped-def]
    html = Browser().get("/cart/").content.decode()
    assert "Your cart is empty." in html
    assert not Cart.objects.exists()


def test_quantity_changes_through_htmx_return_the_cart_region(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    url = f"/cart/lines/{world['cup'].public_id}/"
    r = b.post(url, {"quantity": 3}, **{"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "<html" not in html and "€38.97" in html
    assert CartLine.objects.get().quantity == 3


@pytest.mark.parametrize(
    ("typed", "message"),
    [("0", "greater than or equal to 1"), ("5000", "less than or equal to 999"), ("x", "whole")],
)
def test_a_bad_quantity_is_refused_next_to_its_line_keeping_what_was_typed(world, typed, message):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 2)
    r = b.post(f"/cart/lines/{world['cup'].public_id}/", {"quantity": typed})
    assert r.status_code == 422
    html = r.content.decode()
    assert message in html
    assert f'value="{typed}" aria-invalid="true"' in html
    assert f'aria-describedby="qty-error-{world["cup"].public_id}"' in html
    assert CartLine.objects.get().quantity == 2  # unchanged


def test_an_unpublished_item_and_short_stock_are_flagged_on_the_line(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    b.add(world["pot"], 1)
    b.post(f"/cart/lines/{world['pot'].public_id}/", {"quantity": 3})  # only 2 in stock
    product_unpublish(actor=SYSTEM, product=world["cup"].product)
    html = b.get("/cart/").content.decode()
    assert "the product is no longer on sale" in html
    assert "Only 2 left in stock." in html
    assert "Some items need your attention" in html and "Go to checkout" not in html


def test_adding_an_unpublished_item_says_why(world):  # type: ignore[no-untyped-def]
    product_unpublish(actor=SYSTEM, product=world["cup"].product)
    b = Browser()
    r = b.add(world["cup"], 1)
    assert r.status_code == 422
    assert "no longer on sale" in r.content.decode()


def test_htmx_add_answers_the_mini_cart(world):  # type: ignore[no-untyped-def]
    b = Browser()
    r = b.post(
        "/cart/add/", {"variant": world["cup"].public_id, "quantity": 2}, **{"HX-Request": "true"}
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="cart-count"' in html and ">2</span>" in html
    assert "Added 2 items to your cart." in html


def test_remove_and_a_second_remove(world):  # type: ignore[no-untyped-def]
    b = Browser()
    b.add(world["cup"], 1)
    url = f"/cart/lines/{world['cup'].public_id}/remove/"
    assert b.post(url).status_code == 302
    assert b.post(url).status_code == 302  # already gone: no error page
    assert not CartLine.objects.exists()


def test_the_guest_cart_is_merged_when_the_buyer_logs_in(world):  # type: ignore[no-untyped-def]
    user_create(email="bob@example.org", password="another long passphrase")
    b = Browser()
    b.add(world["cup"], 2)
    r = b.post(
        "/accounts/login/", {"username": "bob@example.org", "password": "another long passphrase"}
    )
    assert r.status_code == 302
    cart = Cart.objects.get(status="open", buyer=User.objects.by_email("bob@example.org").get())
    assert cart.lines.get().quantity == 2
    assert "Cup" in b.get("/cart/").content.decode()


def test_a_line_names_the_product_and_its_variant(world):  # type: ignore[no-untyped-def]
    from agora.catalog.models import Product, Variant

    cup = world["cup"]
    Variant.objects.filter(pk=cup.pk).update(
        title="Set of 4", translations={"zh-hans": {"title": "四件套"}}
    )
    Product.objects.filter(pk=cup.product_id).update(translations={"zh-hans": {"title": "杯子"}})
    b = Browser()
    b.add(cup, 1)
    assert "Cup — Set of 4" in b.get("/cart/").content.decode()
    assert "杯子 — 四件套" in b.get("/cart/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
