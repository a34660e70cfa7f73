"""Rental fixtures built through the services: a seller's drill offered by the day and month
with a deposit and a late fee, two units, and a renter."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from agora.accounts.services import actor_for_user, user_create
from agora.circular.models import RentalOffer, RentalUnit
from agora.circular.rental.services import rental_offer_create, rental_unit_add
from agora.core import clock
from agora.core.actors import system
from tests.conftest import make_product, make_seller

SYSTEM = system("rental-tests")
TODAY = date(2026, 3, 2)
CARD = "tok_visa"


def make_renter(email: str = "renter@example.org"):  # type: ignore[no-untyped-def]
    return user_create(email=email, password="correct horse battery")


def make_offer(seller=None, **terms) -> RentalOffer:  # type: ignore[no-untyped-def]
    seller = seller or make_seller("rentals")
    product = make_product(seller, "Hammer drill", publish=True)
    defaults = {
        "currency": "EUR",
        "price_per_day_minor": 1500,
        "price_per_month_minor": 20000,
        "deposit_minor": 10000,
        "late_fee_per_day_minor": 2500,
        "min_days": 1,
        "max_days": 90,
    }
    return rental_offer_create(
        actor=SYSTEM, seller=seller, product=product, **{**defaults, **terms}
    )


def add_unit(offer: RentalOffer, label: str = "Drill #1") -> RentalUnit:
    return rental_unit_add(actor=SYSTEM, offer=offer, label=label)


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with clock.frozen_at(datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC)):
        yield


@pytest.fixture
def offer(db, frozen) -> RentalOffer:  # type: ignore[no-untyped-def]
    return make_offer()


@pytest.fixture
def unit(offer: RentalOffer) -> RentalUnit:
    return add_unit(offer)


@pytest.fixture
def renter(db):  # type: ignore[no-untyped-def]
    return make_renter()


@pytest.fixture
def renter_actor(renter):  # type: ignore[no-untyped-def]
    return actor_for_user(renter)
