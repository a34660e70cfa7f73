"""Helpers shared by the inventory tests: located stock locations and the books check."""

from __future__ import annotations

from django.db.models import Sum

from agora.core.actors import system
from agora.inventory.models import Reservation, StockLevel, StockLocation, StockMovement
from agora.inventory.services import location_create

SYSTEM = system("tests")


def located(seller, name: str, lat: float, lon: float, country: str = "DE") -> StockLocation:  # type: ignore[no-untyped-def]
    """A warehouse at a point, for allocation by distance."""
    return location_create(
        actor=SYSTEM,
        seller=seller,
        name=name,
        kind="warehouse",
        country=country,
        latitude=lat,
        longitude=lon,
    )


def assert_books_balance(**filters: object) -> None:
    """At every (matching) level: on hand is the sum of the movement ledger, reserved the sum of
    the active reservations, and 0 <= reserved <= on hand."""
    for level in StockLevel.objects.filter(**filters):
        moved = StockMovement.objects.filter(
            variant_id=level.variant_id, location_id=level.location_id
        ).aggregate(total=Sum("quantity"))["total"]
        held = Reservation.objects.filter(
            variant_id=level.variant_id, location_id=level.location_id, state="active"
        ).aggregate(total=Sum("quantity"))["total"]
        assert level.on_hand == (moved or 0), level
        assert level.reserved == (held or 0), level
        assert 0 <= level.reserved <= level.on_hand, level
