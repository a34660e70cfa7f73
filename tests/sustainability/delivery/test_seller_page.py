"""The seller center's delivery-modes page: a method's guessed legs are shown, the seller sets
its own, and refusals are shown beside the leg at fault with nothing stored."""

from __future__ import annotations

import pytest

from agora.sustainability.models import DeliveryMethodProfile
from tests.checkout.helpers import eu_shipping
from tests.sellercenter.helpers import staff_client, text

pytestmark = pytest.mark.django_db
PAGE = "/seller/sustainability/delivery/"


def test_the_page_shows_the_guess_and_saves_the_sellers_legs(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    method = eu_shipping(seller)
    eu_shipping(other_seller)
    client = staff_client(seller)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Guessed from the name:" in text(page) and "van_diesel" in text(page)
    assert "GHG Conversion Factors" in text(page)  # the factor table with its sources
    assert page.content.decode().count('name="target"') == 1  # only this seller's method
    answer = client.post(
        PAGE,
        {"target": method, f"{method}-method": method,
         f"{method}-mode_0": "rail_freight", f"{method}-share_0": "0.9",
         f"{method}-mode_1": "van_diesel", f"{method}-share_1": "0.1"},
    )  # fmt: skip
    assert answer.status_code == 302, text(answer)[:2000]
    profile = DeliveryMethodProfile.objects.get(method_public_id=method)
    assert profile.inferred is False
    assert [leg["mode"] for leg in profile.legs] == ["rail_freight", "van_diesel"]
    assert "Set by you:" in text(client.get(PAGE))


def test_shares_that_do_not_add_up_are_refused_on_the_page(seller) -> None:  # type: ignore[no-untyped-def]
    method = eu_shipping(seller)
    client = staff_client(seller)
    answer = client.post(
        PAGE,
        {"target": method, f"{method}-method": method,
         f"{method}-mode_0": "rail_freight", f"{method}-share_0": "0.5"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "add up to 0.5" in text(answer)
    assert not DeliveryMethodProfile.objects.exists()


def test_another_sellers_method_cannot_be_set(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    theirs = eu_shipping(other_seller)
    client = staff_client(seller)
    answer = client.post(
        PAGE, {"target": theirs, f"{theirs}-method": theirs, f"{theirs}-mode_0": "van_diesel"}
    )
    assert answer.status_code == 302
    assert "not yours" in text(client.get(PAGE))
    assert not DeliveryMethodProfile.objects.exists()
