"""Adding or editing a variant together with its price: one unit, all or nothing (the seller
center's variant forms)."""

from __future__ import annotations

import pytest

from agora.catalog.models import Variant
from agora.core.errors import AgoraError
from agora.marketplace.models import Seller
from agora.pricing.models import Price, PriceChange
from agora.pricing.services import PricedVariantInput, variant_add_priced, variant_update_priced
from tests.conftest import SYSTEM, make_product


@pytest.mark.django_db
def test_a_variant_is_added_with_its_price_recorded(seller: Seller) -> None:
    product = make_product(seller, "Stool")
    variant = variant_add_priced(
        actor=SYSTEM,
        product=product,
        data=PricedVariantInput(sku="STOOL-OAK", prices=[("EUR", 4500)]),
        source="sellercenter",
    )
    assert Price.objects.get(variant=variant).amount_minor == 4500
    assert PriceChange.objects.get(variant=variant).source == "sellercenter"


@pytest.mark.django_db
def test_a_refused_price_adds_no_variant(seller: Seller) -> None:
    product = make_product(seller, "Stool")
    with pytest.raises(AgoraError) as refused:
        variant_add_priced(
            actor=SYSTEM,
            product=product,
            data=PricedVariantInput(sku="STOOL-ASH", prices=[("EUR", -5)]),
        )
    assert refused.value.errors[0].field == "amount_minor"
    assert not Variant.objects.filter(sku="STOOL-ASH").exists()


@pytest.mark.django_db
def test_a_refused_price_leaves_the_variant_unchanged(seller: Seller) -> None:
    variant = make_product(seller, "Stool", sku="STOOL-1").variants.get()
    with pytest.raises(AgoraError):
        variant_update_priced(
            actor=SYSTEM, variant=variant, changes={"sku": "STOOL-2"}, prices=[("EUR", -1)]
        )
    variant.refresh_from_db()
    assert variant.sku == "STOOL-1"
    assert Price.objects.get(variant=variant).amount_minor == 1299
    variant_update_priced(
        actor=SYSTEM, variant=variant, changes={"sku": "STOOL-2"}, prices=[("EUR", 1500)]
    )
    variant.refresh_from_db()
    assert (variant.sku, Price.objects.get(variant=variant).amount_minor) == ("STOOL-2", 1500)
