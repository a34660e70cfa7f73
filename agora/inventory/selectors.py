"""Read queries of inventory, tenant-scoped where they serve a seller."""

from __future__ import annotations

from django.db.models import F, QuerySet, Sum

from agora.catalog.models import Variant
from agora.core import clock
from agora.inventory.models import Reservation, StockLevel, StockLocation
from agora.marketplace.models import Seller


def location_list(*, seller: Seller) -> list[StockLocation]:
    return list(StockLocation.objects.filter(seller=seller).order_by("id"))


def location_get_for_seller(*, seller: Seller, public_id: str) -> StockLocation | None:
    """The seller's own location, or None, also when it belongs to another seller."""
    return (
        StockLocation.objects.filter(seller=seller, public_id=public_id)
        .select_related("seller")
        .first()
    )


def stock_for_variant(*, variant: Variant) -> list[StockLevel]:
    """The variant's level at each location that holds a row for it, by location."""
    return list(
        StockLevel.objects.filter(variant=variant)
        .select_related("location")
        .order_by("location_id")
    )


def stock_for_seller(
    *, seller: Seller, location: StockLocation | None = None
) -> QuerySet[StockLevel]:
    """Every level of the seller (optionally at one location), with the variant, its product and
    the location joined so a listing causes no further queries."""
    queryset = StockLevel.objects.filter(seller=seller)
    if location is not None:
        queryset = queryset.filter(location=location)
    return queryset.select_related("location", "variant__product").order_by(
        "variant_id", "location_id"
    )


def available_by_variant(*, variant_ids: list[int]) -> dict[int, int]:
    """Units buyers can order now per variant: on hand minus reserved, summed over the
    locations that are open for fulfilment. Variants without stock rows are absent (read: 0)."""
    rows = (
        StockLevel.objects.filter(variant_id__in=variant_ids, location__is_available=True)
        .values("variant_id")
        .annotate(available=Sum(F("on_hand") - F("reserved")))
    )
    return {row["variant_id"]: int(row["available"] or 0) for row in rows}


def available_by_location(*, variant_ids: list[int]) -> dict[int, dict[int, int]]:
    """Units buyers can order now per variant and location (``{variant: {location: units}}``),
    open locations only, the same figures allocation works from."""
    rows = StockLevel.objects.filter(
        variant_id__in=variant_ids, location__is_available=True
    ).values_list("variant_id", "location_id", "on_hand", "reserved")
    result: dict[int, dict[int, int]] = {}
    for variant_id, location_id, on_hand, reserved in rows.order_by("variant_id", "location_id"):
        result.setdefault(variant_id, {})[location_id] = on_hand - reserved
    return result


def reservations_for_reference(*, reference: str) -> list[Reservation]:
    """Every reservation ever made for a checkout reference (all states), oldest first, with
    the variant and location joined."""
    return list(
        Reservation.objects.filter(reference=reference)
        .select_related("variant", "location")
        .order_by("pk")
    )


def has_expired_reservations() -> bool:
    """The scheduler's cheap check before it enqueues the expiry sweep."""
    return Reservation.objects.filter(
        state=Reservation.State.ACTIVE, expires_at__lte=clock.now()
    ).exists()
