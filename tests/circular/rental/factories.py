"""Rental objects of a seller in the state a seller endpoint acts on, for the API-wide tenancy
test (tests/api/test_tenancy.py)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from agora.accounts.services import actor_for_user, user_create
from agora.circular.rental.services import (
    rental_book,
    rental_hand_over,
    rental_offer_create,
    rental_return,
    rental_unit_add,
    today,
)
from agora.core.actors import system
from agora.marketplace.models import Seller
from tests.conftest import make_product

SYSTEM = system("rental-factories")
_counter = itertools.count()


def rental_probe(seller: Seller, path: str = "") -> dict[str, str]:
    """``offer_id`` and ``booking_id`` of ``seller``; the booking is reserved, or active for a
    ``/return`` path, or returned for an ``/inspect`` path."""
    n = next(_counter)
    product = make_product(seller, f"Rental probe {n}", sku=f"RENT-{n}")
    offer = rental_offer_create(
        actor=SYSTEM,
        seller=seller,
        product=product,
        currency="EUR",
        price_per_day_minor=1000,
        deposit_minor=2000,
    )
    unit = rental_unit_add(actor=SYSTEM, offer=offer, label=f"Unit {n}")
    renter = user_create(email=f"rental-probe-{n}-{seller.pk}@example.org", password=None)
    start = today() + timedelta(days=1) if not path.endswith(("/return", "/inspect")) else today()
    booking = rental_book(
        actor=actor_for_user(renter),
        unit=unit,
        renter=renter,
        start=start,
        end=start + timedelta(days=2),
        payment_method="tok_visa",
    )
    if path.endswith(("/return", "/inspect")):
        booking = rental_hand_over(actor=SYSTEM, booking=booking)
    if path.endswith("/inspect"):
        booking = rental_return(actor=SYSTEM, booking=booking)
    return {"offer_id": offer.public_id, "booking_id": booking.public_id}
