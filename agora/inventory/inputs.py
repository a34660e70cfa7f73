"""Checks of the arguments the reservation services take, and the out-of-stock problem they
raise: each refusal names the argument (as a dotted path) and what would be accepted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from agora.catalog.models import Variant
from agora.core.errors import AgoraError, FieldError, invalid
from agora.inventory import errors
from agora.inventory.allocation import NotEnoughStock, ShipTo

MAX_TTL = timedelta(days=7)
MAX_UNITS = 1_000_000  # per line; more is a typo, and keeps sums far inside 32-bit columns


def ttl(value: object) -> timedelta:
    if not isinstance(value, timedelta) or not timedelta(0) < value <= MAX_TTL:
        raise invalid("ttl", f"{value!r} is not a duration between 0 and {MAX_TTL.days} days")
    return value


def out_of_stock(shortages: list[tuple[int, Variant, NotEnoughStock]]) -> AgoraError:
    parts = [
        f"{variant.sku!r} ({variant.public_id}): {short.requested} wanted, "
        f"{short.available} available"
        for _, variant, short in shortages
    ]
    return AgoraError(
        errors.OUT_OF_STOCK,
        "out of stock: " + "; ".join(parts),
        [
            FieldError(f"items[{index}].quantity", f"only {short.available} available")
            for index, _, short in shortages
        ],
        extra={
            "shortages": [
                {
                    "variant_id": variant.public_id,
                    "sku": variant.sku,
                    "requested": short.requested,
                    "available": short.available,
                }
                for _, variant, short in shortages
            ]
        },
    )


def reference(reference: object) -> str:
    text = reference.strip() if isinstance(reference, str) else ""
    if not text or len(text) > 100:
        raise invalid("reference", "must be 1 to 100 characters (the checkout or cart id)")
    return text


def wanted(items: Sequence[tuple[int, int]]) -> dict[int, int]:
    if not items:
        raise invalid("items", "nothing to reserve; give at least one (variant, quantity)")
    wanted: dict[int, int] = {}
    for index, item in enumerate(items):
        try:
            variant_id, quantity = item
        except (TypeError, ValueError):
            raise invalid(
                f"items[{index}]", f"{item!r} is not a (variant, quantity) pair"
            ) from None
        if isinstance(variant_id, bool) or not isinstance(variant_id, int):
            raise invalid(f"items[{index}].variant_id", f"{variant_id!r} is not a variant id")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise invalid(
                f"items[{index}].quantity", f"{quantity!r} is not a positive whole number"
            )
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
        if wanted[variant_id] > MAX_UNITS:
            raise invalid(f"items[{index}].quantity", f"more than {MAX_UNITS} units of one variant")
    return wanted


def ship_to(ship_to: object) -> ShipTo | None:
    if ship_to is None:
        return None
    try:
        country, latitude, longitude = ship_to  # type: ignore[misc]
        destination = ShipTo(
            str(country).upper(),
            None if latitude is None else float(latitude),
            None if longitude is None else float(longitude),
        )
    except (TypeError, ValueError):
        raise invalid("ship_to", f"{ship_to!r} is not (country, latitude, longitude)") from None
    if destination.latitude is not None and not -90 <= destination.latitude <= 90:
        raise invalid("ship_to", f"latitude {destination.latitude} is outside -90..90")
    if destination.longitude is not None and not -180 <= destination.longitude <= 180:
        raise invalid("ship_to", f"longitude {destination.longitude} is outside -180..180")
    return destination
