"""Builders for checkout tests: a seller's shipping set-up and sellable variants."""

from __future__ import annotations

from agora.catalog.models import Variant
from agora.checkout.shipping import (
    shipping_method_create,
    shipping_rate_create,
    shipping_zone_create,
)
from agora.marketplace.models import Seller
from tests.conftest import SYSTEM, make_product


def sellable(
    seller: Seller, title: str, *, prices: dict[str, int] | None = None, weight: int | None = None
) -> Variant:
    variant = make_product(seller, title, prices=prices, publish=True).variants.get()
    if weight is not None:
        Variant.objects.filter(pk=variant.pk).update(weight_grams=weight)
        variant.refresh_from_db()
    return variant


def eu_shipping(seller: Seller, *, price: int = 490, free_over: int | None = 5000) -> str:
    zone = shipping_zone_create(
        actor=SYSTEM, seller=seller, name="EU", countries=["DE", "AT", "FR"]
    )
    method = shipping_method_create(
        actor=SYSTEM,
        zone=zone,
        name="Standard",
        carrier_code="dhl",
        min_delivery_days=2,
        max_delivery_days=4,
    )
    shipping_rate_create(
        actor=SYSTEM,
        method=method,
        weight_from_grams=0,
        weight_to_grams=2000,
        currency="EUR",
        amount_minor=price,
        free_over_minor=free_over,
    )
    shipping_rate_create(
        actor=SYSTEM,
        method=method,
        weight_from_grams=2000,
        weight_to_grams=None,
        currency="EUR",
        amount_minor=price * 3,
    )
    return method.public_id


def shipping_ids(seller: Seller, title: str) -> dict[str, str]:
    """Path values for the seller shipping endpoints (tests/api/test_tenancy.py)."""
    zone = shipping_zone_create(actor=SYSTEM, seller=seller, name=title, countries=["DE"])
    method = shipping_method_create(
        actor=SYSTEM,
        zone=zone,
        name=title,
        carrier_code="dhl",
        min_delivery_days=1,
        max_delivery_days=2,
    )
    return {"zone_id": zone.public_id, "method_id": method.public_id}
