"""Packaging fixtures built through the services: a seller with a reusable mailer type (EUR 3.50
deposit) and two packages, and a paid order of that seller with one shipment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agora.circular.models import PackagingType, ReusablePackage
from agora.circular.packaging.services import packages_add, packaging_type_create
from agora.core import clock
from agora.core.money import Money
from agora.fulfillment.models import Shipment
from tests.conftest import SYSTEM, make_seller
from tests.orders.factories import make_buyer, paid, ship_all

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def make_type(seller, **terms) -> PackagingType:  # type: ignore[no-untyped-def]
    defaults = {
        "name": "Reusable mailer M",
        "deposit": Money(350, "EUR"),
        "expected_loops": 20,
        "mass_grams": 120,
        "single_use_key": "single_use_plastic_mailer",
    }
    return packaging_type_create(actor=SYSTEM, seller=seller, **{**defaults, **terms})


def shipment_for(seller, buyer=None) -> Shipment:  # type: ignore[no-untyped-def]
    return ship_all(paid(seller, [(1, 2500)], buyer=buyer or make_buyer()))


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with clock.frozen_at(NOW):
        yield


@pytest.fixture
def green_seller(db, frozen):  # type: ignore[no-untyped-def]
    return make_seller("greenshop")


@pytest.fixture
def mailer(green_seller) -> PackagingType:  # type: ignore[no-untyped-def]
    return make_type(green_seller)


@pytest.fixture
def package(mailer) -> ReusablePackage:  # type: ignore[no-untyped-def]
    return packages_add(actor=SYSTEM, ptype=mailer, count=2)[0]


@pytest.fixture
def shipment(green_seller) -> Shipment:  # type: ignore[no-untyped-def]
    return shipment_for(green_seller)


def bought_in_reusable_packaging(seller, card: str, *, opt_in: bool = True):  # type: ignore[no-untyped-def]
    """A signed-in buyer checks out one cup of ``seller`` through the real pages, ticking the
    reusable packaging box; returns the browser, the buyer and the response of the payment."""
    from tests.checkout.flow_helpers import stocked
    from tests.checkout.helpers import eu_shipping
    from tests.storefront.buying import Browser

    eu_shipping(seller)
    cup, _ = stocked(seller, "Cup", price=1299, stock=5)
    buyer = make_buyer()
    browser = Browser()
    browser.client.force_login(buyer)
    assert browser.add(cup, 1).status_code == 302
    assert browser.give_address().status_code == 302
    form = browser.payment_form()
    if opt_in:
        form[f"reusable_{seller.public_id}"] = "on"
    return browser, buyer, browser.pay(card, form)
