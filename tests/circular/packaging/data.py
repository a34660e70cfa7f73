"""Dashboard data: recorded delivery footprints (rows as S1's recorder writes them), rentals
booked through the rental services and packaging loops through the packaging services."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from agora.accounts.services import actor_for_user
from agora.circular.packaging.services import packages_add, packaging_return, packaging_ship
from agora.circular.rental.services import rental_book, rental_cancel
from agora.core import clock
from agora.core.ids import new_public_id
from agora.marketplace.models import Seller
from agora.sustainability.models import OrderDeliveryFootprint
from tests.circular.packaging.conftest import make_type, shipment_for
from tests.circular.rental.conftest import add_unit, make_offer, make_renter
from tests.conftest import SYSTEM


def footprint(seller: Seller, *, modes: str, kg: str, placed: datetime, method: str = "Home"):  # type: ignore[no-untyped-def]
    return OrderDeliveryFootprint.objects.create(
        order_public_id=new_public_id("ord"),
        seller_public_id=seller.public_id,
        method_name=method,
        modes=modes,
        distance_km=Decimal(300),
        weight_kg=Decimal(1),
        kg_co2e=Decimal(kg),
        factor_source="UK Government GHG Conversion Factors 2025",
        placed_at=placed,
        recorded_at=placed,
    )


def populate(seller: Seller) -> None:
    """February: a van delivery (0.300 kg) and a rail one (0.050); March: a van delivery of
    0.080 kg (below the threshold) and a pick-up point delivery by truck of 0.200 kg. One paid
    rental (2 days x EUR 15) and one cancelled. Two packaging loops in March."""
    footprint(seller, modes="van_diesel", kg="0.300", placed=datetime(2026, 2, 3, tzinfo=UTC))
    footprint(seller, modes="rail_freight", kg="0.050", placed=datetime(2026, 2, 10, tzinfo=UTC))
    footprint(seller, modes="van_diesel", kg="0.080", placed=datetime(2026, 3, 1, tzinfo=UTC))
    footprint(
        seller,
        modes="articulated_truck",
        kg="0.200",
        placed=datetime(2026, 3, 1, 8, tzinfo=UTC),
        method="Pick-up point",
    )
    offer = make_offer(seller)
    unit = add_unit(offer)
    renter = make_renter(f"renter-{seller.slug}@example.org")
    actor = actor_for_user(renter)
    rental_book(
        actor=actor,
        unit=unit,
        renter=renter,
        start=date(2026, 3, 5),
        end=date(2026, 3, 7),
        payment_method="tok_visa",
    )
    other = rental_book(
        actor=actor,
        unit=unit,
        renter=renter,
        start=date(2026, 3, 10),
        end=date(2026, 3, 12),
        payment_method="tok_visa",
    )
    rental_cancel(actor=actor, booking=other)
    ptype = make_type(seller)
    package = packages_add(actor=SYSTEM, ptype=ptype)[0]
    for _ in range(2):
        use = packaging_ship(
            actor=SYSTEM, package=package, shipment_public_id=shipment_for(seller).public_id
        )
        packaging_return(actor=SYSTEM, use=use, via="courier")
    assert clock.now().month == 3
