"""A seller says which legs a method takes; the checkout figures follow; bad legs are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agora.checkout.models import ShippingMethod
from agora.core.errors import AgoraError
from agora.sustainability.delivery.calc import LegPlan
from agora.sustainability.delivery.places import country_point
from agora.sustainability.delivery.selectors import footprint_for, method_legs
from agora.sustainability.delivery.services import method_legs_set
from agora.sustainability.models import DeliveryMethodProfile
from tests.conftest import SYSTEM
from tests.sustainability.delivery.world import HAMBURG, green_world

pytestmark = pytest.mark.django_db


def test_the_sellers_legs_replace_the_inferred_default(seller):
    world = green_world(seller)
    standard = ShippingMethod.objects.get(public_id=world.standard)
    key = [(standard.public_id, standard.name, standard.carrier_code)]
    assert [leg.mode for leg in method_legs(key)[standard.public_id].legs] == ["van_diesel"]

    method_legs_set(
        actor=SYSTEM,
        method=standard,
        legs=[
            LegPlan("rail_freight", share=Decimal("0.8")),
            LegPlan("van_diesel", share=Decimal("0.2")),
        ],
    )
    legs = method_legs(key)[standard.public_id]
    assert not legs.inferred
    assert [(leg.mode, leg.share) for leg in legs.legs] == [
        ("rail_freight", Decimal("0.8")),
        ("van_diesel", Decimal("0.2")),
    ]
    profile = DeliveryMethodProfile.objects.get(method_public_id=standard.public_id)
    assert profile.legs[0] == {"mode": "rail_freight", "share": "0.8"}


@pytest.mark.parametrize(
    ("legs", "field"),
    [
        ([LegPlan("hovercraft")], "legs[0].mode"),
        ([LegPlan("sea_container")], "legs[0].distance_km"),
        ([LegPlan("van_diesel", share=Decimal("0.5"))], "legs"),
        ([], "legs"),
    ],
)
def test_bad_legs_are_refused_and_nothing_is_stored(seller, legs, field):
    world = green_world(seller)
    method = ShippingMethod.objects.get(public_id=world.standard)
    with pytest.raises(AgoraError) as caught:
        method_legs_set(actor=SYSTEM, method=method, legs=legs)
    assert caught.value.errors[0].field == field
    assert not DeliveryMethodProfile.objects.exists()


def test_another_sellers_staff_cannot_set_the_legs(seller):
    from agora.accounts.services import actor_for_user
    from tests.orders.factories import make_buyer

    world = green_world(seller)
    method = ShippingMethod.objects.get(public_id=world.standard)
    stranger = actor_for_user(make_buyer("stranger@example.org"))
    with pytest.raises(AgoraError):
        method_legs_set(actor=stranger, method=method, legs=[LegPlan("rail_freight")])
    assert not DeliveryMethodProfile.objects.exists()


def test_an_inferred_van_across_continents_shows_no_figure(db):
    legs = method_legs([("shm_x", "Standard", "dhl")])["shm_x"]
    assert (
        footprint_for(legs=legs, weight_grams=500, origin=country_point("CN"), destination=HAMBURG)
        is None
    )
    assert footprint_for(legs=legs, weight_grams=500, origin=HAMBURG, destination=None) is None


def test_both_ends_at_one_country_centre_is_no_figure_not_zero(db):
    """A domestic parcel from a seller without located stock: both ends fall back to the same
    country centre, which would measure 0 km; the page must say "not known", not 0 kg."""
    legs = method_legs([("shm_x", "Standard", "dhl")])["shm_x"]
    germany = country_point("DE")
    assert footprint_for(legs=legs, weight_grams=500, origin=germany, destination=germany) is None
    result = footprint_for(legs=legs, weight_grams=500, origin=HAMBURG, destination=germany)
    assert result is not None and result.kg_co2e > 0  # Hamburg to the centre: ~280 km
