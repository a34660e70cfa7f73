"""A published product with a GTIN, its passport, a lot, two serialised items and a buyer: the
world the resolver, the passport page and certificates are tested in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from agora.accounts.models import User
from agora.accounts.services import user_create
from agora.catalog.models import Product, Variant
from agora.catalog.services import product_publish
from agora.core.actors import system
from agora.marketplace.models import Seller
from agora.pricing.services import PricedVariantInput, product_create_priced
from agora.traceability.models import Lot, Passport, TracedItem
from agora.traceability.passports.services import items_serialise, lot_record, passport_update

SYSTEM = system("tests")
GTIN13 = "4260712000019"  # check digit 9 is right
GTIN14 = "0" + GTIN13
GLN = "4260712000002"


@dataclass
class World:
    seller: Seller
    product: Product
    variant: Variant
    passport: Passport
    lot: Lot
    items: list[TracedItem]
    buyer: User
    other_buyer: User


@pytest.fixture
def world(seller: Seller) -> World:
    product = product_create_priced(
        actor=SYSTEM,
        seller=seller,
        title="Celadon teapot",
        variants=[PricedVariantInput(sku="TP-1", gtin=GTIN13, prices=[("EUR", 8900)])],
    )
    product = product_publish(actor=SYSTEM, product=product)
    variant = product.variants.get()
    passport = passport_update(
        actor=SYSTEM,
        product=product,
        changes={
            "origin_country": "cn",
            "origin_region": "Jiangxi",
            "origin_facility": "Jingdezhen kiln",
            "manufacturer": "Qingyao Ceramics",
            "materials": [
                {"name": "porcelain clay", "share_percent": 95, "recycled_percent": 10},
                {"name": "celadon glaze", "share_percent": 5},
            ],
            "certifications": [
                {
                    "name": "Lead-free glaze",
                    "issuer": "CTI",
                    "number": "A-1",
                    "url": "https://example.org/cert/A-1",
                    "valid_until": "2028-06-30",
                }
            ],
            "repair_text": "Chips can be filled with kintsugi.",
            "recycling_text": "Ceramics go with construction waste, not glass.",
            "carbon_kg_co2e": "2.40",
            "carbon_method": "ISO 14067 estimate",
            "places": {GLN: "Jingdezhen kiln warehouse"},
        },
    )
    lot = lot_record(
        actor=SYSTEM, variant=variant, code="L2026-01", produced_on=date(2026, 1, 5), quantity=50
    )
    items = items_serialise(actor=SYSTEM, variant=variant, serials=["SN0001", "SN0002"], lot=lot)
    buyer = user_create(email="buyer@example.org", password="pw-123456789")
    other = user_create(email="second@example.org", password="pw-123456789")
    return World(seller, product, variant, passport, lot, items, buyer, other)
