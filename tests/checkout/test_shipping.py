"""Shipping quotes (pure) and the services that set shipping up."""

from __future__ import annotations

import pytest

from agora.checkout.models import ShippingMethod, ShippingZone
from agora.checkout.quotes import MethodData, RateBand, parcel_weight, quote
from agora.checkout.shipping import methods_for_sellers, shipping_rate_create, shipping_zone_create
from agora.core.errors import AgoraError
from tests.checkout.helpers import eu_shipping
from tests.conftest import SYSTEM, make_seller


def method(name: str = "std", countries=("DE",), bands=()) -> MethodData:  # type: ignore[no-untyped-def]
    return MethodData(name, name, "dhl", 1, 3, "shz_x", "EU", frozenset(countries), tuple(bands))


BANDS = (RateBand(0, 1000, "EUR", 500, 5000), RateBand(1000, None, "EUR", 900))


@pytest.mark.parametrize(
    ("weight", "subtotal", "price", "free"),
    [
        (0, 100, 500, False),
        (999, 100, 500, False),
        (1000, 100, 900, False),
        (500, 5000, 0, True),
        (5000, 10**6, 900, False),
    ],
)
def test_weight_bands_and_free_over(weight, subtotal, price, free) -> None:  # type: ignore[no-untyped-def]
    [option] = quote(
        methods=[method(bands=BANDS)],
        country="de",
        weight_grams=weight,
        subtotal_minor=subtotal,
        currency="EUR",
    )
    assert (option.amount_minor, option.free) == (price, free)


def test_cheapest_first_and_other_currency_ignored() -> None:
    express = method("express", bands=(RateBand(0, None, "EUR", 1500),))
    gbp_only = method("gbp", bands=(RateBand(0, None, "GBP", 100),))
    options = quote(
        methods=[express, method(bands=BANDS), gbp_only],
        country="DE",
        weight_grams=10,
        subtotal_minor=0,
        currency="EUR",
    )
    assert [o.name for o in options] == ["std", "express"]


def test_no_zone_is_a_problem_naming_the_country() -> None:
    with pytest.raises(AgoraError) as exc:
        quote(
            methods=[method(bands=BANDS)],
            country="US",
            weight_grams=1,
            subtotal_minor=0,
            currency="EUR",
            seller_name="Alpha",
        )
    assert exc.value.problem.slug == "no-shipping-zone"
    assert "US" in exc.value.detail and exc.value.errors[0].field == "country"


def test_missing_weights_count_the_default() -> None:
    assert parcel_weight([(200, 2), (None, 3)], 500) == 1900


@pytest.mark.django_db
def test_services_build_quotable_methods(seller) -> None:  # type: ignore[no-untyped-def]
    eu_shipping(seller)
    [data] = methods_for_sellers([seller.pk])[seller.pk]
    assert data.countries == {"DE", "AT", "FR"} and len(data.bands) == 2


@pytest.mark.django_db
def test_overlapping_band_and_bad_country_are_refused(seller) -> None:  # type: ignore[no-untyped-def]
    eu_shipping(seller)
    method_row = ShippingMethod.objects.get()
    with pytest.raises(AgoraError) as exc:
        shipping_rate_create(
            actor=SYSTEM,
            method=method_row,
            weight_from_grams=1500,
            weight_to_grams=2500,
            currency="EUR",
            amount_minor=1,
        )
    assert exc.value.problem.slug == "conflict"
    with pytest.raises(AgoraError) as exc:
        shipping_zone_create(actor=SYSTEM, seller=seller, name="x", countries=["DE", "XX"])
    assert exc.value.errors[0].field == "countries[1]"
    assert ShippingZone.objects.count() == 1


@pytest.mark.django_db
def test_a_key_without_orders_write_may_not_set_up_shipping(seller) -> None:  # type: ignore[no-untyped-def]
    from agora.accounts.services import actor_for_api_key, api_key_issue

    key, _ = api_key_issue(actor=SYSTEM, name="ro", scopes=["catalog:write"], seller_id=seller.pk)
    other = make_seller("gamma")
    with pytest.raises(AgoraError):
        shipping_zone_create(
            actor=actor_for_api_key(key), seller=seller, name="x", countries=["DE"]
        )
    with pytest.raises(AgoraError):
        shipping_zone_create(actor=actor_for_api_key(key), seller=other, name="x", countries=["DE"])
