"""Shared set-up of the label tests: a published product with a passport, and actors."""

from __future__ import annotations

from typing import Any

from agora.catalog.models import Product
from agora.core.actors import Actor, system
from agora.marketplace.models import Seller
from agora.traceability.passports.services import passport_update
from tests.conftest import make_product

SYSTEM = system("tests")
OPERATOR = Actor(kind="user", label="op@agora.test", user_id=None, is_operator=True)
REPAIRABLE_PASSPORT = {
    "materials": [
        {"name": "recycled steel frame", "share_percent": 70, "recycled_percent": 90},
        {"name": "rubber", "share_percent": 30, "recycled_percent": 0},
    ],
    "spare_parts_years": 10,
    "repair_text": "Our workshop repairs every bike we sold.",
}


def product_with_passport(
    seller: Seller, title: str = "City bike", passport: dict[str, Any] | None = None
) -> Product:
    product = make_product(seller, title, publish=True)
    passport_update(actor=SYSTEM, product=product, changes=passport or REPAIRABLE_PASSPORT)
    return product


def seller_actor(seller: Seller) -> Actor:
    return Actor(kind="api_key", label="key", seller_id=seller.pk,
                 scopes=frozenset({"catalog:write"}))  # fmt: skip
