"""Pure shipping quotes: which of a seller's methods reach a country, and at what price.

No ORM: the selector loads the seller's zones, methods and weight bands into these dataclasses
and calls :func:`quote`. The parcel weight is the sum of ``weight_grams * quantity`` over the
seller's lines; a variant without a weight counts ``AGORA_DEFAULT_WEIGHT_GRAMS`` (500 g unless
set), so a missing weight never makes shipping free by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agora.checkout.errors import NO_SHIPPING_ZONE
from agora.core.errors import AgoraError, FieldError

DEFAULT_WEIGHT_GRAMS = 500


@dataclass(frozen=True, slots=True)
class RateBand:
    weight_from_grams: int
    weight_to_grams: int | None  # exclusive; None: no upper bound
    currency: str
    amount_minor: int
    free_over_minor: int | None = None

    def covers(self, weight_grams: int, currency: str) -> bool:
        upper_ok = self.weight_to_grams is None or weight_grams < self.weight_to_grams
        return self.currency == currency and self.weight_from_grams <= weight_grams and upper_ok


@dataclass(frozen=True, slots=True)
class MethodData:
    public_id: str
    name: str
    carrier_code: str
    min_delivery_days: int
    max_delivery_days: int
    zone_id: str
    zone_name: str
    countries: frozenset[str]
    bands: tuple[RateBand, ...]


@dataclass(frozen=True, slots=True)
class ShippingOption:
    method_id: str
    name: str
    carrier_code: str
    min_delivery_days: int
    max_delivery_days: int
    zone: str
    currency: str
    amount_minor: int
    free: bool  # the free-over threshold was reached


def parcel_weight(items: Sequence[tuple[int | None, int]], default_grams: int) -> int:
    """Total grams of ``(weight_grams or None, quantity)`` pairs; None counts ``default_grams``."""
    return sum((grams if grams is not None else default_grams) * qty for grams, qty in items)


def quote(
    *,
    methods: Sequence[MethodData],
    country: str,
    weight_grams: int,
    subtotal_minor: int,
    currency: str,
    seller_name: str = "the seller",
) -> list[ShippingOption]:
    """The methods (active ones, as loaded) that ship a parcel of ``weight_grams`` to
    ``country`` in ``currency``, cheapest first. ``subtotal_minor`` is the seller's goods
    subtotal, compared with a band's free-over threshold.

    A country in none of the seller's zones is a ``no-shipping-zone`` problem naming it; a zone
    that covers the country but has no band for this weight or currency gives no option (the
    list may be empty)."""
    country = country.upper()
    reaching = [m for m in methods if country in m.countries]
    if not reaching:
        raise AgoraError(
            NO_SHIPPING_ZONE,
            f"{seller_name} does not ship to {country}: no shipping zone contains it",
            [FieldError("country", f"{country} is in none of {seller_name}'s shipping zones")],
            extra={"country": country},
        )
    options = []
    for method in reaching:
        band = next((b for b in method.bands if b.covers(weight_grams, currency)), None)
        if band is None:
            continue
        free = band.free_over_minor is not None and subtotal_minor >= band.free_over_minor
        options.append(
            ShippingOption(
                method_id=method.public_id,
                name=method.name,
                carrier_code=method.carrier_code,
                min_delivery_days=method.min_delivery_days,
                max_delivery_days=method.max_delivery_days,
                zone=method.zone_name,
                currency=currency,
                amount_minor=0 if free else band.amount_minor,
                free=free,
            )
        )
    return sorted(options, key=lambda o: (o.amount_minor, o.max_delivery_days, o.method_id))
