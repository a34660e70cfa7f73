"""Sellers' shipping set-up: zones (countries), methods (carrier, delivery days) and weight
bands. Writes go through these services; they check ``orders:write`` for the seller (shipping
is part of order handling, so no new scope family was needed) and write the audit log."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pycountry
from django.db import transaction

from agora.checkout.models import ShippingMethod, ShippingRate, ShippingZone
from agora.checkout.quotes import MethodData, RateBand
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import CONFLICT, AgoraError, FieldError, invalid, require_max_length
from agora.core.money import MoneyError, normalize_currency
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access

SCOPE_WRITE = "orders:write"
SCOPE_READ = "orders:read"


def normalize_country(value: str, field_name: str = "country") -> str:
    """Upper-case ISO 3166-1 alpha-2, or a validation error naming the field and the value."""
    code = (value or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise invalid(field_name, f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. DE)")
    return code


def shipping_zone_create(
    *, actor: Actor, seller: Seller, name: str, countries: list[str]
) -> ShippingZone:
    """A zone of countries the seller ships to. Countries are validated one by one."""
    require_seller_access(actor, seller, SCOPE_WRITE)
    require_max_length("name", name, 100)
    if not name.strip():
        raise invalid("name", "must not be empty")
    if not countries:
        raise invalid("countries", "must list at least one country code")
    codes = sorted({normalize_country(c, f"countries[{i}]") for i, c in enumerate(countries)})
    with transaction.atomic():
        zone = ShippingZone.objects.create(
            seller=seller, name=name.strip(), countries=codes, created_at=clock.now()
        )
        audit_record(
            actor=actor,
            action="shipping.zone_created",
            target=zone,
            changes={"name": zone.name, "countries": codes},
            seller_id=seller.pk,
        )
    return zone


def shipping_method_create(
    *,
    actor: Actor,
    zone: ShippingZone,
    name: str,
    carrier_code: str,
    min_delivery_days: int,
    max_delivery_days: int,
    active: bool = True,
) -> ShippingMethod:
    require_seller_access(actor, zone.seller, SCOPE_WRITE)
    require_max_length("name", name, 100)
    require_max_length("carrier_code", carrier_code, 40)
    if not name.strip():
        raise invalid("name", "must not be empty")
    if not carrier_code.strip():
        raise invalid("carrier_code", "must not be empty (e.g. dhl, ups, own-courier)")
    if min_delivery_days < 0 or max_delivery_days > 365:
        raise invalid("max_delivery_days", "delivery days must be between 0 and 365")
    if min_delivery_days > max_delivery_days:
        raise invalid(
            "min_delivery_days",
            f"{min_delivery_days} is more than max_delivery_days {max_delivery_days}",
        )
    with transaction.atomic():
        method = ShippingMethod.objects.create(
            seller_id=zone.seller_id,
            zone=zone,
            name=name.strip(),
            carrier_code=carrier_code.strip().lower(),
            min_delivery_days=min_delivery_days,
            max_delivery_days=max_delivery_days,
            active=active,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="shipping.method_created",
            target=method,
            changes={"zone": zone.public_id, "name": method.name, "carrier": method.carrier_code},
            seller_id=zone.seller_id,
        )
    return method


def shipping_method_set_active(
    *, actor: Actor, method: ShippingMethod, active: bool
) -> ShippingMethod:
    require_seller_access(actor, method.seller, SCOPE_WRITE)
    with transaction.atomic():
        if method.active != active:
            audit_record(
                actor=actor,
                action="shipping.method_updated",
                target=method,
                changes={"active": [method.active, active]},
                seller_id=method.seller_id,
            )
            method.active = active
            method.save(update_fields=["active"])
    return method


def shipping_rate_create(
    *,
    actor: Actor,
    method: ShippingMethod,
    weight_from_grams: int,
    weight_to_grams: int | None,
    currency: str,
    amount_minor: int,
    free_over_minor: int | None = None,
) -> ShippingRate:
    """A weight band ``[from, to)`` of a method in one currency. Bands of one method and
    currency must not overlap, so a parcel always has at most one price per method."""
    require_seller_access(actor, method.seller, SCOPE_WRITE)
    try:
        currency = normalize_currency(currency)
    except MoneyError as exc:
        raise invalid("currency", str(exc)) from exc
    if weight_from_grams < 0:
        raise invalid("weight_from_grams", "must be 0 or more")
    if weight_to_grams is not None and weight_to_grams <= weight_from_grams:
        raise invalid("weight_to_grams", f"{weight_to_grams} must be more than {weight_from_grams}")
    if amount_minor < 0:
        raise invalid("amount_minor", "must be 0 or more")
    if free_over_minor is not None and free_over_minor < 0:
        raise invalid("free_over_minor", "must be 0 or more")
    with transaction.atomic():
        # lock the method row so two concurrent band inserts cannot both pass the overlap check
        ShippingMethod.objects.select_for_update().filter(pk=method.pk).first()
        for band in ShippingRate.objects.filter(method=method, currency=currency):
            if _overlap(band, weight_from_grams, weight_to_grams):
                raise AgoraError(
                    CONFLICT,
                    f"weight band {weight_from_grams}-{weight_to_grams or '∞'} g overlaps "
                    f"{band.public_id} ({band}) of {method.public_id}",
                    [FieldError("weight_from_grams", f"overlaps {band.public_id}")],
                )
        rate = ShippingRate.objects.create(
            method=method,
            weight_from_grams=weight_from_grams,
            weight_to_grams=weight_to_grams,
            currency=currency,
            amount_minor=amount_minor,
            free_over_minor=free_over_minor,
        )
        audit_record(
            actor=actor,
            action="shipping.rate_created",
            target=rate,
            changes={"method": method.public_id, "band": str(rate)},
            seller_id=method.seller_id,
        )
    return rate


def _overlap(band: ShippingRate, start: int, end: int | None) -> bool:
    band_end = band.weight_to_grams
    return (end is None or band.weight_from_grams < end) and (band_end is None or start < band_end)


# --- reads ------------------------------------------------------------------------------------


def zone_list_for_seller(*, seller: Seller) -> list[ShippingZone]:
    return list(ShippingZone.objects.filter(seller=seller).prefetch_related("methods__rates"))


def zone_get_for_seller(*, seller: Seller, public_id: str) -> ShippingZone | None:
    return ShippingZone.objects.filter(seller=seller, public_id=public_id).first()


def method_get_for_seller(*, seller: Seller, public_id: str) -> ShippingMethod | None:
    return (
        ShippingMethod.objects.filter(seller=seller, public_id=public_id)
        .select_related("seller", "zone")
        .first()
    )


def methods_for_sellers(seller_ids: Iterable[int]) -> dict[int, list[MethodData]]:
    """Active methods with their bands for each seller, as plain data for :func:`quote`. Two
    queries whatever the number of sellers."""
    methods = ShippingMethod.objects.filter(seller_id__in=list(seller_ids), active=True)
    bands: dict[int, list[RateBand]] = defaultdict(list)
    for row in ShippingRate.objects.filter(method__in=methods).order_by("weight_from_grams"):
        bands[row.method_id].append(
            RateBand(
                row.weight_from_grams,
                row.weight_to_grams,
                row.currency,
                row.amount_minor,
                row.free_over_minor,
            )
        )
    result: dict[int, list[MethodData]] = defaultdict(list)
    for method in methods.select_related("zone").order_by("id"):
        result[method.seller_id].append(
            MethodData(
                public_id=method.public_id,
                name=method.name,
                carrier_code=method.carrier_code,
                min_delivery_days=method.min_delivery_days,
                max_delivery_days=method.max_delivery_days,
                zone_id=method.zone.public_id,
                zone_name=method.zone.name,
                countries=frozenset(method.zone.countries),
                bands=tuple(bands[method.pk]),
            )
        )
    return result
