"""checkout_place takes the street address for the orders; country and postcode stay the cart's."""

from __future__ import annotations

import pytest

from agora.checkout.flow.place import checkout_place
from agora.checkout.models import Cart, Checkout
from agora.core.errors import AgoraError
from agora.orders.models import Order
from tests.checkout.flow_helpers import Guest, setup_two_sellers

pytestmark = pytest.mark.django_db


def _place(summary: dict, **address: str) -> Checkout:
    choices = {
        g["seller"]["id"]: g["shipping"]["options"][0]["method_id"] for g in summary["sellers"]
    }
    return checkout_place(
        buyer=None,
        cart=Cart.objects.get(public_id=summary["id"]),
        shipping_choices=choices,
        card="4242424242424242",
        email="g@example.org",
        idempotency_key="addr",
        address=address,
    )


def test_the_street_address_goes_onto_every_order(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    summary = Guest().fill((world["cup"], 1), (world["pot"], 1))
    _place(summary, name="Ada", line1="Main St 1", city="Berlin", country="FR", postcode="999")
    for order in Order.objects.all():
        assert order.ship_to == {
            "name": "Ada",
            "line1": "Main St 1",
            "city": "Berlin",
            "country": "DE",  # the cart's destination priced shipping and VAT: it wins
            "postcode": "10115",
            "email": "g@example.org",
        }


@pytest.mark.parametrize(
    ("address", "field"),
    [({"street": "x"}, "address.street"), ({"name": "x" * 201}, "address.name")],
)
def test_a_bad_address_is_refused_before_anything_is_written(
    seller, other_seller, address, field
) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    summary = Guest().fill((world["cup"], 1))
    with pytest.raises(AgoraError) as refused:
        _place(summary, **address)
    assert refused.value.errors[0].field == field
    assert not Checkout.objects.exists() and not Order.objects.exists()
