"""Resale objects built through the services, for tests outside this package (the API's tenancy
probe) and the pages' tests."""

from __future__ import annotations

from datetime import date
from itertools import count

from agora.circular.models import ResaleRequest
from agora.circular.resale.services import resale_inspect, resale_request_by_seller
from agora.inventory.models import StockLocation
from agora.inventory.services import location_create
from agora.marketplace.models import Seller
from tests.conftest import SYSTEM

_counter = count(1)
CHECKS = {"function": "pass", "cosmetic": {"result": "fail", "note": "scratched lid"}}


def own_goods(seller: Seller, title: str = "Demo espresso machine", **terms) -> ResaleRequest:  # type: ignore[no-untyped-def]
    """A request for ``seller``'s own used goods (400.00 EUR new, bought 2025-07-01)."""
    values = {
        "currency": "EUR",
        "original_price_minor": 40_000,
        "purchased_on": date(2025, 7, 1),
        **terms,
    }
    return resale_request_by_seller(actor=SYSTEM, seller=seller, title=title, **values)


def with_location(seller: Seller) -> None:
    """Listing stocks the unit at the seller's first location."""
    if not StockLocation.objects.filter(seller=seller).exists():
        location_create(actor=SYSTEM, seller=seller, name="Back room", kind="store", country="DE")


def resale_probe(seller: Seller, path: str = "") -> dict[str, str]:
    """``resale_id`` of a request of ``seller``: requested, or inspected (with a stock location)
    for a ``/list`` path."""
    n = next(_counter)
    request = own_goods(seller, f"Resale probe {n}")
    if path.endswith("/list"):
        with_location(seller)
        request = resale_inspect(actor=SYSTEM, request=request, grade="B", checklist=CHECKS)
    return {"resale_id": request.public_id}
