"""What a resale request learns about an order line's goods from traceability, through the
``order_line_passport`` extension point (circular never imports traceability)."""

from __future__ import annotations

import pytest

from agora.catalog.models import Variant
from agora.core.extension_points import order_line_passport
from agora.traceability.passports.order_lines import order_line_passport as line_passport
from agora.traceability.passports.services import passport_update
from tests.conftest import SYSTEM
from tests.orders.factories import paid

pytestmark = pytest.mark.django_db


def test_traceability_answers_for_its_own_registration() -> None:
    assert line_passport in order_line_passport.implementations()


def test_a_line_whose_product_has_a_passport_names_its_digital_link(seller, monkeypatch) -> None:
    monkeypatch.setenv("AGORA_DIGITAL_LINK_BASE", "https://shop.example")
    order = paid(seller, [(1, 1500), (2, 800)])
    first, second = order.lines.order_by("line_no")
    Variant.objects.filter(pk=first.variant_id).update(gtin="4006381333931")
    Variant.objects.filter(pk=second.variant_id).update(gtin="4012345000016")
    passport_update(actor=SYSTEM, product=first.variant.product, changes={"origin_country": "PT"})

    assert line_passport(order.public_id, 1) == {
        "digital_link": "https://shop.example/01/04006381333931",
        "gtin": "04006381333931",
        "serial": "",
    }
    assert line_passport(order.public_id, 2) is None  # a GTIN, but no passport
    assert line_passport(order.public_id, 3) is None  # no such line
    assert line_passport("ord_unknown", 1) is None
