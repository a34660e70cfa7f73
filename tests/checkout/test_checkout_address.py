"""checkout_place takes the street address for the orders; country and postcode stay the cart's."""

from __future__ import annotations

import pytest

from agora.checkout.flow.place import checkout_place
from agora.checkout.models import Cart, Checkout
from agora.core.errors import AgoraError
from agora.core.vault.people import person_profile
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
    orders = list(Order.objects.all())
    for order in orders:
        assert order.ship_to == {
            "name": "Ada",
            "line1": "Main St 1",
            "city": "Berlin",
            "country": "DE",  # the cart's destination priced shipping and VAT: it wins
            "postcode": "10115",
        }
        # The guest is one person in the vault; the order keeps only ciphertext and the country.
        assert person_profile(order.person).email == "g@example.org"
        assert b"Ada" not in bytes(order.ship_to_sealed) and b"Main" not in bytes(
            order.ship_to_sealed
        )
    assert len({o.person_id for o in orders}) == 1


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
