"""Cart services and the summary: several sellers, validation naming the field, the merge."""

from __future__ import annotations

import pytest

from agora.accounts.models import User
from agora.catalog.services import product_unpublish
from agora.checkout import services
from agora.checkout.models import MAX_LINE_QUANTITY, Cart, CartLine
from agora.checkout.selectors import cart_summary
from agora.core.errors import AgoraError
from tests.checkout.helpers import eu_shipping, sellable
from tests.conftest import make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer() -> User:
    return User.objects.create_user("buyer@example.com", "a long password 1")


def test_multi_seller_summary_with_shipping_and_tax(seller, other_seller, buyer) -> None:  # type: ignore[no-untyped-def]
    eu_shipping(seller)
    cup = sellable(seller, "Cup", prices={"EUR": 1190}, weight=300)
    pot = sellable(other_seller, "Pot", prices={"EUR": 2380})  # no weight: default 500 g
    cart = services.cart_get_or_create(buyer=buyer)
    services.cart_add(cart=cart, variant=cup, quantity=2)
    services.cart_add(cart=cart, variant=pot, quantity=1)
    summary = cart_summary(cart)
    assert [g["seller"]["name"] for g in summary["sellers"]] == ["Alpha", "Beta"]
    assert summary["totals"]["items"]["amount_minor"] == 2 * 1190 + 2380
    assert summary["totals"]["tax"] is None  # no destination yet
    assert [g["weight_grams"] for g in summary["sellers"]] == [600, 500]
    cart = services.cart_set_destination(cart=cart, country="de", postcode="10115")
    summary = cart_summary(cart)
    alpha, beta = summary["sellers"]
    assert alpha["shipping"]["options"][0]["price"]["amount_minor"] == 490
    assert beta["shipping"]["problem"]["type"].endswith("no-shipping-zone")
    assert alpha["tax"]["tax"]["amount_minor"] == 380  # 2380 inclusive of 19 %
    assert alpha["lines"][0]["tax"]["rate"] == "19"
    assert summary["totals"]["tax"]["amount_minor"] == 380 + 380
    assert summary["totals"]["items_gross"]["amount_minor"] == 2380 + 2380


def test_one_open_cart_per_buyer_across_devices(buyer) -> None:  # type: ignore[no-untyped-def]
    assert services.cart_get_or_create(buyer=buyer) == services.cart_get_or_create(buyer=buyer)


@pytest.mark.parametrize("quantity", [0, -1, 1000, 10**9, True, "2"])
def test_quantities_out_of_range_are_refused_naming_quantity(seller, buyer, quantity) -> None:  # type: ignore[no-untyped-def]
    cart = services.cart_get_or_create(buyer=buyer)
    with pytest.raises(AgoraError) as exc:
        services.cart_add(cart=cart, variant=sellable(seller, "Cup"), quantity=quantity)
    assert exc.value.errors[0].field == "quantity"
    assert not CartLine.objects.exists()


def test_adding_beyond_the_line_maximum_is_refused(seller, buyer) -> None:  # type: ignore[no-untyped-def]
    cart = services.cart_get_or_create(buyer=buyer)
    cup = sellable(seller, "Cup")
    services.cart_add(cart=cart, variant=cup, quantity=900)
    with pytest.raises(AgoraError):
        services.cart_add(cart=cart, variant=cup, quantity=100)
    assert CartLine.objects.get().quantity == 900


def test_unpublished_inactive_seller_and_wrong_currency_are_refused(seller, buyer) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_product

    cart = services.cart_get_or_create(buyer=buyer)
    draft = make_product(seller, "Draft").variants.get()
    with pytest.raises(AgoraError) as exc:
        services.cart_add(cart=cart, variant=draft, quantity=1)
    assert exc.value.problem.slug == "variant-not-available"
    dormant = make_seller("dormant", active=False)
    unsold = make_product(dormant, "Dormant cup").variants.get()
    with pytest.raises(AgoraError):
        services.cart_add(cart=cart, variant=unsold, quantity=1)
    gbp_only = sellable(seller, "British cup", prices={"GBP": 900})
    with pytest.raises(AgoraError) as exc:
        services.cart_add(cart=cart, variant=gbp_only, quantity=1)
    assert exc.value.problem.slug == "currency-not-sold" and "EUR" in exc.value.detail
    assert not CartLine.objects.exists()


def test_a_line_going_off_sale_stays_listed_but_counts_nowhere(seller, buyer) -> None:  # type: ignore[no-untyped-def]
    cart = services.cart_get_or_create(buyer=buyer)
    cup = sellable(seller, "Cup")
    services.cart_add(cart=cart, variant=cup, quantity=1)
    from tests.conftest import SYSTEM

    product_unpublish(actor=SYSTEM, product=cup.product)
    [line] = cart_summary(cart)["sellers"][0]["lines"]
    assert line["available"] is False and cart_summary(cart)["totals"]["items"]["amount_minor"] == 0


def test_destination_vat_id_is_validated_and_reverse_charged(seller, buyer) -> None:  # type: ignore[no-untyped-def]
    cart = services.cart_get_or_create(buyer=buyer)
    services.cart_add(cart=cart, variant=sellable(seller, "Cup"), quantity=1)
    with pytest.raises(AgoraError) as exc:
        services.cart_set_destination(cart=cart, country="AT", vat_id="ATU00000000")
    assert exc.value.errors[0].field == "vat_id"
    with pytest.raises(AgoraError) as exc:
        services.cart_set_destination(cart=cart, country="Germany")
    assert exc.value.errors[0].field == "country"
    cart = services.cart_set_destination(cart=cart, country="AT", vat_id="atu 13585627")
    group = cart_summary(cart)["sellers"][0]
    assert group["tax"]["regime"] == "reverse_charge" and group["tax"]["tax"]["amount_minor"] == 0
    assert "VAT reverse charged" in group["tax"]["notes"]


def test_merge_sums_caps_and_skips(seller, buyer) -> None:  # type: ignore[no-untyped-def]
    cup, pot = sellable(seller, "Cup"), sellable(seller, "Pot")
    gbp = sellable(seller, "Tea", prices={"GBP": 100})
    mine = services.cart_get_or_create(buyer=buyer)
    services.cart_add(cart=mine, variant=cup, quantity=990)
    guest = services.cart_get_or_create(session_key="guest-token", currency="GBP")
    services.cart_add(cart=guest, variant=gbp, quantity=1)
    guest2 = services.cart_get_or_create(session_key="guest-2")
    services.cart_add(cart=guest2, variant=cup, quantity=20)
    services.cart_add(cart=guest2, variant=pot, quantity=2)
    result = services.cart_merge(guest_cart=guest2, buyer=buyer)
    assert result.capped == [cup.public_id]
    assert dict(mine.lines.values_list("variant_id", "quantity")) == {
        cup.pk: MAX_LINE_QUANTITY,
        pot.pk: 2,
    }
    skipped = services.cart_merge(guest_cart=guest, buyer=buyer)
    assert skipped.skipped == [gbp.public_id]
    assert Cart.objects.filter(status="merged").count() == 2
