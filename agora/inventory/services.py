"""Use cases of inventory: stock locations, and receiving and adjusting stock.

Every change of on-hand is a :class:`~agora.inventory.models.StockMovement` row written in the
same transaction as the :class:`~agora.inventory.models.StockLevel` it changes, so the ledger
always explains the level. Reservations live in :mod:`agora.inventory.reservations` (re-exported
here, so other apps import every inventory service from this module); they lock the same rows by
the same rule (see :func:`_locked_level`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pycountry
from django.db import IntegrityError, transaction

from agora.catalog.models import Variant
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import AgoraError, FieldError, invalid, not_found
from agora.inventory import errors
from agora.inventory.events import publish_if_low, publish_stock_changed
from agora.inventory.models import StockLevel, StockLocation, StockMovement, StockPolicy
from agora.inventory.reservations import (
    reservation_release,
    reservations_convert,
    reservations_expire,
    stock_reserve,
)
from agora.inventory.selectors import available_by_variant
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access

__all__ = [
    "location_create",
    "reservation_release",
    "reservations_convert",
    "reservations_expire",
    "stock_adjust",
    "stock_policy_set",
    "stock_receive",
    "stock_reserve",
]

# One movement larger than this is a typo, not a delivery; on-hand must also fit the 32-bit
# integer column on every database.
MAX_MOVEMENT = 10**9
MAX_ON_HAND = 2**31 - 1
_COORDINATE = Decimal("0.000001")


def _coordinate(value: object, name: str, limit: int) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise invalid(name, f"{value!r} is not a number")
    try:
        # A float coordinate is fine (it is not money); str() keeps its shortest decimal form.
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise invalid(name, f"{value!r} is not a number") from exc
    if not number.is_finite() or not -limit <= number <= limit:
        raise invalid(name, f"{value} is outside -{limit}..{limit} degrees")
    return number.quantize(_COORDINATE)


def location_create(
    *,
    actor: Actor,
    seller: Seller,
    name: str,
    kind: str,
    country: str,
    city: str = "",
    address: str = "",
    postcode: str = "",
    latitude: Decimal | str | float | None = None,
    longitude: Decimal | str | float | None = None,
) -> StockLocation:
    """Adds a warehouse, store or drop-ship supplier where the seller keeps stock.

    Coordinates are WGS 84 degrees (rounded to 6 places, about 10 cm); give both or neither, as
    routing and "pick up nearby" need a point, not half of one.
    """
    require_seller_access(actor, seller, "inventory:write")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise invalid("name", "must be 1 to 120 characters")
    if kind not in StockLocation.Kind.values:
        raise invalid("kind", f"{kind!r} is not one of {', '.join(StockLocation.Kind.values)}")
    code = (country or "").strip().upper() if isinstance(country, str) else ""
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise invalid(
            "country", f"{country!r} is not an ISO 3166-1 alpha-2 country code (e.g. 'DE')"
        )
    lat = _coordinate(latitude, "latitude", 90)
    lon = _coordinate(longitude, "longitude", 180)
    if (lat is None) != (lon is None):
        raise invalid(
            "longitude" if lon is None else "latitude",
            "give both latitude and longitude, or neither",
        )
    for field_name, value, limit in (
        ("city", city, 120),
        ("address", address, 300),
        ("postcode", postcode, 20),
    ):
        if len((value or "").strip()) > limit:
            raise invalid(field_name, f"must be at most {limit} characters")
    with transaction.atomic():
        # The seller row is the lock that keeps two concurrent creations from both passing the
        # name check (the table has no unique constraint on the name).
        Seller.objects.select_for_update().filter(pk=seller.pk).first()
        if StockLocation.objects.filter(seller=seller, name=name).exists():
            raise AgoraError(
                errors.LOCATION_NAME_TAKEN,
                f"seller {seller.public_id} already has a stock location named {name!r}",
                [FieldError("name", "already in use")],
            )
        location = StockLocation.objects.create(
            seller=seller,
            name=name,
            kind=kind,
            country=code,
            city=(city or "").strip(),
            address=(address or "").strip(),
            postcode=(postcode or "").strip(),
            latitude=lat,
            longitude=lon,
        )
        audit_record(
            actor=actor,
            action="location.created",
            target=location,
            changes={"name": name, "kind": kind, "country": code},
            seller_id=seller.pk,
        )
    return location


def _quantity(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid("quantity", f"{value!r} is not a whole number of units")
    if abs(value) > MAX_MOVEMENT:
        raise invalid("quantity", f"{value} is larger than {MAX_MOVEMENT} units in one movement")
    return value


def stock_receive(
    *,
    actor: Actor,
    location: StockLocation,
    variant: Variant,
    quantity: int,
    reason: str = "",
    reference: str = "",
) -> StockLevel:
    """Books goods arriving at a location (a delivery, a production run): on-hand goes up."""
    quantity = _quantity(quantity)
    if quantity <= 0:
        raise invalid("quantity", f"{quantity} is not positive; a receipt adds at least one unit")
    return _move(
        actor=actor,
        location=location,
        variant=variant,
        delta=quantity,
        kind=StockMovement.Kind.RECEIPT,
        reason=reason,
        reference=reference,
    )


def stock_adjust(
    *,
    actor: Actor,
    location: StockLocation,
    variant: Variant,
    quantity: int,
    reason: str,
    reference: str = "",
) -> StockLevel:
    """Corrects on-hand by a signed ``quantity`` (a stock count, breakage, shrinkage). The reason
    is required because an adjustment is the movement an auditor asks about."""
    quantity = _quantity(quantity)
    if quantity == 0:
        raise invalid("quantity", "0 changes nothing; give a positive or negative number of units")
    if not (reason or "").strip():
        raise invalid("reason", "say why the stock changed (e.g. 'stock count', 'damaged')")
    return _move(
        actor=actor,
        location=location,
        variant=variant,
        delta=quantity,
        kind=StockMovement.Kind.ADJUSTMENT,
        reason=reason,
        reference=reference,
    )


def _locked_level(location: StockLocation, variant: Variant) -> StockLevel:
    """Returns the level row locked ``FOR UPDATE``, creating it at zero when missing.

    Lock rule (the same for every inventory service): a use case that touches several levels
    locks them in ascending primary-key order, so two of them can never wait on each other.
    The services here touch one level each.
    """
    rows = StockLevel.objects.select_for_update()
    level = rows.filter(location=location, variant=variant).first()
    if level is not None:
        return level
    try:
        with transaction.atomic():
            return StockLevel.objects.create(
                location=location,
                variant=variant,
                seller_id=location.seller_id,
                on_hand=0,
                reserved=0,
                updated_at=clock.now(),
            )
    except IntegrityError:
        # A concurrent first receipt created it between our read and our insert; take its lock.
        return rows.get(location=location, variant=variant)


def _move(
    *,
    actor: Actor,
    location: StockLocation,
    variant: Variant,
    delta: int,
    kind: str,
    reason: str,
    reference: str,
) -> StockLevel:
    seller = location.seller
    require_seller_access(actor, seller, "inventory:write")
    if variant.seller_id != location.seller_id:
        # Tenancy: to this seller another seller's variant does not exist.
        raise not_found("variant", variant.public_id)
    with transaction.atomic():
        level = _locked_level(location, variant)
        before = level.on_hand
        after = before + delta
        if after < level.reserved or after < 0:
            floor = "below zero" if after < 0 else f"below the {level.reserved} reserved"
            raise AgoraError(
                errors.STOCK_INSUFFICIENT,
                f"variant {variant.sku!r} ({variant.public_id}) has {before} on hand at "
                f"{location.name!r} ({location.public_id}); changing it by {delta} would take it "
                f"{floor}",
                [FieldError("quantity", f"must be at least {level.reserved - before} here")],
            )
        if after > MAX_ON_HAND:
            raise invalid("quantity", f"on hand would be {after}, more than {MAX_ON_HAND}")
        now = clock.now()
        level.on_hand, level.updated_at = after, now
        level.save(update_fields=["on_hand", "updated_at"])
        StockMovement.objects.create(
            location=location,
            variant=variant,
            kind=kind,
            quantity=delta,
            reference=(reference or "").strip()[:100],
            note=(reason or "").strip()[:300],
            at=now,
        )
        audit_record(
            actor=actor,
            action=f"stock.{'received' if kind == StockMovement.Kind.RECEIPT else 'adjusted'}",
            target=variant,
            seller_id=location.seller_id,
            changes={
                "location": location.public_id,
                "on_hand": [before, after],
                "reason": reason or "",
            },
        )
        publish_stock_changed(level=level, variant=variant, delta=delta, kind=kind)
        if delta < 0 and location.is_available:
            after_total = available_by_variant(variant_ids=[variant.pk]).get(variant.pk, 0)
            publish_if_low(variant=variant, before=after_total - delta, after=after_total)
    return level


def stock_policy_set(*, actor: Actor, variant: Variant, low_stock_threshold: int) -> StockPolicy:
    """Sets the variant's low-stock threshold: ``stock.low`` is published when its available
    units over open locations fall below it (0 turns the alert off)."""
    require_seller_access(actor, variant.seller, "inventory:write")
    if (
        isinstance(low_stock_threshold, bool)
        or not isinstance(low_stock_threshold, int)
        or not 0 <= low_stock_threshold <= MAX_MOVEMENT
    ):
        raise invalid(
            "low_stock_threshold",
            f"{low_stock_threshold!r} is not a whole number 0..{MAX_MOVEMENT}",
        )
    with transaction.atomic():
        policy, created = StockPolicy.objects.select_for_update().get_or_create(
            variant=variant,
            defaults={"seller_id": variant.seller_id, "updated_at": clock.now()},
        )
        before = None if created else policy.low_stock_threshold
        policy.low_stock_threshold, policy.updated_at = low_stock_threshold, clock.now()
        policy.save(update_fields=["low_stock_threshold", "updated_at"])
        audit_record(
            actor=actor,
            action="stock.policy_set",
            target=variant,
            seller_id=variant.seller_id,
            changes={"low_stock_threshold": [before, low_stock_threshold]},
        )
    return policy
