"""``agora audit prices``: passes on an honest store (prices in two currencies, a public
reduction with its price history), and fails, naming the variant and the buyers, when a
personalised price or a false "was" price is planted by code a careless developer could write
(tests/pricing/planted.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from agora.accounts.models import User
from agora.catalog.models import Product
from agora.catalog.services import product_publish
from agora.checkout.models import Cart
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.outbox import dispatch_pending
from agora.marketplace.models import Seller
from agora.orders.models import Order
from agora.pricing.audit import BUYERS, audit_prices
from agora.pricing.quote import Holding, Scheme, quote, register_scheme, unregister_scheme
from agora.pricing.services import PricedVariantInput, price_set, product_create_priced
from tests.conftest import SYSTEM, make_category, make_product
from tests.pricing import planted

DAY = timedelta(days=1)


@pytest.fixture
def store(seller: Seller) -> dict[str, Any]:
    """Three published products: a plain one, one with two variants, and one on a public
    reduction (2000 for months, 2500 for a while, now 1500: the 30-day low shown is 2000)."""
    kitchen = make_category("Kitchen")
    teaware = make_category("Teaware", parent=kitchen)
    plain = make_product(
        seller, "Tea cup", prices={"EUR": 1299, "GBP": 1099}, category=teaware, publish=True
    )
    sizes = product_create_priced(
        actor=SYSTEM,
        seller=seller,
        title="Teapot",
        category=teaware,
        variants=[
            PricedVariantInput(sku="POT-S", title="Small", prices=[("EUR", 2400), ("GBP", 2100)]),
            PricedVariantInput(sku="POT-L", title="Large", prices=[("EUR", 3200)]),
        ],
    )
    sizes = product_publish(actor=SYSTEM, product=sizes)
    now = clock.now()
    sale = make_product(seller, "Kettle", prices={}, category=kitchen, publish=False)
    kettle = sale.variants.get()
    for days_ago, amount in ((90, 2000), (15, 2500), (5, 1500)):
        price_set(
            actor=SYSTEM,
            variant=kettle,
            currency="EUR",
            amount_minor=amount,
            effective_at=now - days_ago * DAY,
        )
    price_set(actor=SYSTEM, variant=kettle, currency="GBP", amount_minor=1700)
    sale = product_publish(actor=SYSTEM, product=sale)
    assert dispatch_pending().failed == 0  # the search index, as the worker keeps it
    return {"plain": plain, "sizes": sizes, "sale": sale, "kettle": kettle}


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "prices", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_an_honest_store_passes_and_leaves_nothing_behind(store: dict[str, Any]) -> None:
    users, orders, carts = User.objects.count(), Order.objects.count(), Cart.objects.count()
    code, out, err = _run()
    assert (code, err) == (0, "")
    assert "4 published variants of 3 products in EUR, GBP" in out
    assert f"{len(BUYERS)} synthetic buyers" in out
    assert "1 reductions checked against the 30-day low: no difference" in out
    # the synthetic buyers, their orders and carts were rolled back
    assert (User.objects.count(), Order.objects.count(), Cart.objects.count()) == (
        users,
        orders,
        carts,
    )


@pytest.mark.django_db
def test_json_report(store: dict[str, Any]) -> None:
    code, out, _ = _run("--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["differences"] == []
    assert report["variants"] == 4 and report["currencies"] == ["EUR", "GBP"]
    assert {b["name"] for b in report["buyers"]} == {b.name for b in BUYERS}
    # per buyer: API and cart quote every (variant, currency), pages the headline and choices
    assert report["quotes"] > 2 * 7 * len(BUYERS)
    assert report["rolled_back"] is True
    # every product's card on the search results and on its categories, for every buyer
    assert report["cards"] == len(BUYERS) * 2 * (3 + 3)
    assert report["listing_pages_read"] == len(BUYERS) * 2 * 3  # search, kitchen, teaware


@pytest.mark.django_db
def test_the_product_page_shows_the_30_day_low_of_a_reduction(
    store: dict[str, Any], client: Client
) -> None:
    q = quote(store["kettle"].pk, channel="storefront", currency="EUR")
    assert q is not None and (q.amount_minor, q.list_minor, q.prior_minor) == (1500, 1500, 2000)
    page = client.get(f"/p/{store['sale'].public_id}/").content.decode()
    assert "Lowest price in the 30 days before this reduction: €20.00" in page


@pytest.mark.django_db
def test_a_surcharge_for_iphone_users_in_the_cart_fails_the_audit(
    store: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.pricing.planted.RememberRequest"]
    monkeypatch.setattr("agora.checkout.selectors.quote_many", planted.iphone_surcharge)
    code, out, err = _run()
    assert code == 1
    kettle = store["kettle"].public_id
    # the reference buyer (a desktop guest) against each iPhone user, on the cart, named
    assert (
        f"price differs between buyers: variant {kettle} (product {store['sale'].public_id}) "
        "in EUR on the cart API: guest-desktop 1500 vs guest-iphone 1650" in err
    )
    assert "guest-desktop 1500 vs repeat-buyer-iphone 1650" in err
    assert "guest-android" not in err  # the Android guest paid what the desktop guest paid
    assert "price is not the quote" in err
    assert "differences" in out


@pytest.mark.django_db
def test_a_loyalty_surcharge_on_the_product_page_fails_the_audit(
    store: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.pricing.planted.RememberRequest"]
    monkeypatch.setattr("agora.storefront.reads.quote_many", planted.loyalty_surcharge)
    report = audit_prices()
    assert not report.ok
    found = {(d.kind, d.channel, d.variant, d.currency, d.buyer_b) for d in report.differences}
    small = store["sizes"].variants.get(sku="POT-S").public_id
    assert ("buyers", "product page variants", small, "GBP", "repeat-buyer-iphone") in found
    assert ("buyers", "product page variants", small, "GBP", "loyal-android") in found
    assert {d.buyer_b for d in report.differences if d.kind == "buyers"} == {
        "repeat-buyer-iphone",
        "loyal-android",
    }  # a new account with no orders, and the guests, were not charged more
    assert {d.channel for d in report.differences} == {"product page", "product page variants"}


@pytest.mark.django_db
def test_a_personalised_price_on_listing_cards_fails_the_audit(
    store: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A surcharge shown only on the cards of category and search pages, to repeat buyers: the
    API, the cart and the product pages are honest, the cards give it away."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.pricing.planted.RememberRequest"]
    monkeypatch.setattr("agora.storefront.reads.price_in", planted.card_surcharge_for_repeat_buyers)
    code, out, err = _run()
    assert code == 1 and "differences" in out
    cup, pot = store["plain"].public_id, store["sizes"].public_id
    assert (
        f"price differs between buyers: product {cup} in EUR on the search results: "
        "guest-desktop €12.99 vs repeat-buyer-iphone €13.63" in err
    )
    assert (
        f"price differs between buyers: product {pot} in EUR on the category listing: "
        "guest-desktop from €24.00 vs loyal-android from €25.20" in err
    )
    assert (
        f"price is not the quote: product {pot} in GBP on the search results: "
        "quote £21.00 vs loyal-android £22.05" in err
    )
    report = audit_prices()
    assert {d.channel for d in report.differences} == {"search results", "category listing"}
    assert {d.buyer_b for d in report.differences} == {"repeat-buyer-iphone", "loyal-android"}
    found = {(d.kind, d.channel, d.product, d.currency) for d in report.differences}
    for product in (cup, pot, store["sale"].public_id):
        for currency in ("EUR", "GBP"):
            assert ("buyers", "search results", product, currency) in found
            assert ("buyers", "category listing", product, currency) in found


def test_the_listing_reader_takes_each_cards_product_and_price_and_the_page_count() -> None:
    from agora.pricing.audit import _ListingPage, card_text

    page = _ListingPage()
    page.feed(
        '<ul class="products">'
        '<li><article class="card"><a href="/p/prod_a/" tabindex="-1"><img src="x.svg" alt="">'
        '</a><div class="body"><h3><a href="/p/prod_a/">Cup</a></h3><p class="seller">S</p>'
        '<p class="price"><span class="now">from €12.99</span></p></div></article></li>'
        '<li><article class="card"><div class="body"><h3><a href="/p/prod_b/">Pot</a></h3>'
        '<p class="muted">Not sold in GBP</p></div></article></li></ul>'
        '<nav><ul class="pagination"><li><span aria-current="page">1</span></li>'
        '<li><a href="?page=2">2</a></li><li><span>…</span></li><li><a href="?page=7">7</a>'
        "</li></ul></nav>"
    )
    assert page.cards == [("prod_a", "from €12.99"), ("prod_b", "")]
    assert page.pages == 7
    assert card_text([2400, 3200], "EUR") == "from €24.00"
    assert card_text([1099], "GBP") == "£10.99" and card_text([], "EUR") == ""


@pytest.mark.django_db
def test_a_was_price_above_the_30_day_low_is_reported(
    store: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("agora.storefront.reads.quote_many", planted.highest_as_was_price)
    code, _, err = _run()
    assert code == 1
    kettle, plain = store["kettle"].public_id, store["plain"].variants.get().public_id
    # the real reduction shows 24.00 instead of the 30-day low 20.00
    assert (
        f"'was' price is not the 30-day low: variant {kettle} (product {store['sale'].public_id})"
        " in EUR on the product page: price history 30-day low €20.00 vs guest-desktop "
        "Lowest price in the 30 days before this reduction: €18.00" in err
    )
    # and a product never reduced shows a "was" price at all
    assert f"variant {plain} (product {store['plain'].public_id}) in GBP" in err
    assert "no reduction, no 'was' price vs guest-desktop" in err


@pytest.mark.django_db
def test_only_documented_schemes_may_change_a_price(store: dict[str, Any]) -> None:
    kettle = store["kettle"].pk
    with pytest.raises(AgoraError) as caught:
        quote(kettle, channel="cart", currency="EUR", holdings=[Holding("vip", "gold")])
    assert "'vip' is not a documented price scheme" in str(caught.value)
    register_scheme(
        Scheme("members", "members pay 10 % less, every member alike", lambda a, c, h: a * 9 // 10)
    )
    try:
        member = quote(kettle, channel="cart", currency="EUR", holdings=[Holding("members")])
        assert member is not None
        assert (member.amount_minor, member.rules) == (1350, ("members",))
        assert quote(kettle, channel="cart", currency="EUR").amount_minor == 1500  # type: ignore[union-attr]
        assert any("members pay 10 % less" in rule for rule in audit_prices().rules)
    finally:
        unregister_scheme("members")


@pytest.mark.django_db
def test_no_published_product_no_difference(seller: Seller) -> None:
    make_product(seller, "Draft", prices={"EUR": 500})
    assert Product.objects.filter(status=Product.Status.PUBLISHED).count() == 0
    code, out, _ = _run()
    assert code == 0 and "0 published variants of 0 products" in out


@pytest.mark.django_db
def test_without_pages_the_api_and_cart_are_still_quoted(store: dict[str, Any]) -> None:
    code, out, _ = _run("--pages", "none")
    assert code == 0
    assert "0 product pages read (none), 0 listing pages read (0 cards), 0 reductions" in out
    assert f"{2 * 7 * len(BUYERS)} prices shown" in out  # 7 (variant, currency) pairs, 2 APIs


def test_channels_are_named() -> None:
    with pytest.raises(ValueError, match="unknown price channel"):
        quote(1, channel="app", currency="EUR")


def test_the_page_reader_takes_the_products_price_not_the_cards_below() -> None:
    from agora.pricing.audit import _ProductPage

    page = _ProductPage()
    page.feed(
        '<p class="price reduced"><span class="now">€15.00</span></p>'
        '<p class="omnibus">Lowest price in the 30 days before this reduction: €20.00</p>'
        '<input type="hidden" name="variant" value="var_1">'
        '<section><p class="price"><span class="now">€99.00</span></p>'
        '<p class="omnibus">not ours</p></section>'
    )
    assert (page.selected, page.headline, page.headline_was) == (
        "var_1",
        "€15.00",
        "Lowest price in the 30 days before this reduction: €20.00",
    )
