"""The low-carbon delivery label computed from the product's recorded delivery footprints:
granted with its figures when the share holds, refused by name when it does not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agora.core import clock
from agora.core.errors import AgoraError
from agora.orders.services import OrderLineDraft
from agora.sustainability.labels.services import label_request
from agora.sustainability.models import OrderDeliveryFootprint
from tests.conftest import make_product
from tests.orders.factories import place
from tests.sustainability.labels.helpers import seller_actor

pytestmark = pytest.mark.django_db


def deliver(seller, product, *, modes: str, kg: str, method: str = "Home") -> None:  # type: ignore[no-untyped-def]
    variant = product.variants.get()
    line = OrderLineDraft(sku=variant.sku, title=product.title, quantity=1,
                          unit_price_minor=1000, variant=variant)  # fmt: skip
    order = place(seller, drafts=[line])
    OrderDeliveryFootprint.objects.create(
        order_public_id=order.public_id,
        seller_public_id=seller.public_id,
        method_name=method,
        modes=modes,
        distance_km=Decimal(300),
        weight_kg=Decimal(1),
        kg_co2e=Decimal(kg),
        factor_source="UK Government GHG Conversion Factors 2025",
        placed_at=order.placed_at,
        recorded_at=clock.now(),
    )


def test_a_product_mostly_shipped_by_rail_earns_the_label(seller) -> None:  # type: ignore[no-untyped-def]
    product = make_product(seller, "Rail teapot", publish=True)
    other = make_product(seller, "Van teapot", publish=True)
    for _ in range(9):
        deliver(seller, product, modes="rail_freight", kg="0.400")
    deliver(seller, product, modes="van_diesel", kg="0.900")
    for _ in range(10):
        deliver(seller, other, modes="van_diesel", kg="0.900")  # not this product's
    label = label_request(
        actor=seller_actor(seller), product=product, kind="low_carbon_delivery", use_rule=True
    )
    assert label.rule == "low_carbon_delivery_80"
    assert label.rule_figures["deliveries"] == 10 and label.rule_figures["low_carbon"] == 9
    with pytest.raises(AgoraError) as caught:
        label_request(
            actor=seller_actor(seller), product=other, kind="low_carbon_delivery", use_rule=True
        )
    assert caught.value.problem.slug == "label-rule-not-met"
    assert "0 of 10 deliveries" in caught.value.detail
