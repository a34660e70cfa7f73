"""Footprints with their basis; a category average takes its figure from the cited table, and
the passport page shows sustainability's footprint instead of its own field."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from agora.catalog.models import Variant
from agora.core import clock
from agora.core.errors import AgoraError
from agora.sustainability.products.selectors import product_footprint
from agora.sustainability.products.services import footprint_set
from agora.traceability.passports.services import passport_update
from tests.conftest import make_category, make_product
from tests.sustainability.labels.helpers import SYSTEM, seller_actor

pytestmark = pytest.mark.django_db


def test_category_average_figure_comes_from_the_table(seller) -> None:  # type: ignore[no-untyped-def]
    tea = make_category("Tea")
    green = make_category("Green tea", parent=tea)
    product = make_product(seller, "Sencha 100 g", category=green, publish=True)
    footprint = footprint_set(
        actor=seller_actor(seller), product=product, basis="category_average",
        average_key="tea-dry", functional_units="0.1", assessed_on=clock.now().date(),
        kg_co2e="0.01",  # ignored: an average's figure is the table's
    )  # fmt: skip
    assert footprint.kg_co2e == Decimal("1.245")  # 12.45 kg per kg x 0.1 kg
    shown = product_footprint(product.public_id)
    assert shown is not None and shown["is_average"]
    assert shown["average"]["source"].startswith("Azapagic")


def test_average_for_another_category_is_refused(seller) -> None:  # type: ignore[no-untyped-def]
    product = make_product(seller, "Mug", category=make_category("Cups"), publish=True)
    with pytest.raises(AgoraError) as caught:
        footprint_set(actor=seller_actor(seller), product=product, basis="category_average",
                      average_key="tea-dry", assessed_on=clock.now().date())  # fmt: skip
    assert caught.value.errors[0].field == "average_key"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"basis": "epd", "kg_co2e": "3", "reference": ""}, "reference"),
        ({"basis": "lca", "kg_co2e": "-2", "reference": "Study"}, "kg_co2e"),
        ({"basis": "lca", "kg_co2e": None, "reference": "Study"}, "kg_co2e"),
        ({"basis": "guess", "kg_co2e": "1", "reference": "x"}, "basis"),
    ],
)
def test_bad_footprints_are_refused(seller, changes, field) -> None:  # type: ignore[no-untyped-def]
    product = make_product(seller, "Bag", publish=True)
    with pytest.raises(AgoraError) as caught:
        footprint_set(actor=seller_actor(seller), product=product,
                      assessed_on=clock.now().date(), **changes)  # fmt: skip
    assert caught.value.problem.slug == "footprint-invalid"
    assert caught.value.errors[0].field == field


def test_future_assessment_is_refused_and_epd_is_kept(seller) -> None:  # type: ignore[no-untyped-def]
    product = make_product(seller, "Bag", publish=True)
    with pytest.raises(AgoraError):
        footprint_set(
            actor=seller_actor(seller),
            product=product,
            basis="epd",
            kg_co2e="3",
            reference="S-P-01234",
            assessed_on=clock.now().date() + timedelta(days=1),
        )
    footprint_set(actor=seller_actor(seller), product=product, basis="epd", kg_co2e="14.5",
                  reference="S-P-01234", assessed_on=clock.now().date())  # fmt: skip
    shown = product_footprint(product.public_id)
    assert shown is not None and shown["kg_co2e"] == Decimal("14.500")
    assert shown["basis"] == "epd" and shown["reference"] == "S-P-01234"


def test_passport_page_shows_the_stated_footprint_over_its_own(seller, client) -> None:  # type: ignore[no-untyped-def]
    product = make_product(seller, "Bag", sku="BAG-1", publish=True)
    variant = Variant.objects.get(product=product)
    Variant.objects.filter(pk=variant.pk).update(gtin="4006381333931")
    passport_update(
        actor=SYSTEM,
        product=product,
        changes={"carbon_kg_co2e": "99.00", "carbon_method": "old guess"},
    )
    page = client.get("/passports/04006381333931/")
    assert page.status_code == 200
    assert "old guess" in page.content.decode()
    footprint_set(actor=seller_actor(seller), product=product, basis="epd", kg_co2e="14.5",
                  reference="S-P-01234", assessed_on=clock.now().date())  # fmt: skip
    html = client.get("/passports/04006381333931/").content.decode()
    assert "S-P-01234" in html and "14.5 kg CO₂e per unit" in html
    assert "old guess" not in html
