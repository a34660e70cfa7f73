"""Reads for the sustainability dashboards (seller center and operator console, issue 7 C4):
the recorded delivery footprints (``OrderDeliveryFootprint``) summed in SQL by month and mode,
and the share of low-carbon deliveries. ``seller_public_id=None`` means the whole platform.

**Low-carbon delivery** (our definition, shown on the pages): a recorded delivery is low-carbon
when any of these holds:

- every leg went by rail or sea (``rail_freight``, ``sea_container``: the lowest intensities of
  the factor file, 0.0347 and 0.0198 kg CO2e/t.km against 0.78 for a diesel van);
- it went to a pick-up point (the method's name says pick-up, parcel shop, locker, relay point
  or collect, as ``delivery.modes`` infers): parcels travel consolidated in line-haul trucks;
- its footprint is at most :data:`LOW_CARBON_KG` kg CO2e, whatever the mode.

Deliveries with several legs are grouped by their combination of modes ("rail_freight,van_diesel")
rather than split, since the per-leg figures live in a JSON column that SQLite and PostgreSQL
sum differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Replace, TruncMonth

from agora.sustainability.delivery.modes import PICKUP_WORDS
from agora.sustainability.models import OrderDeliveryFootprint

LOW_CARBON_MODES = ("rail_freight", "sea_container")
LOW_CARBON_KG = Decimal("0.1")  # our threshold per delivery, not a cited figure
KG = Decimal("0.001")  # the recorded precision (SQLite sums decimals as floats)


def _kg(value: Decimal | float | None) -> Decimal:
    return Decimal(str(value or 0)).quantize(KG)


@dataclass(frozen=True, slots=True)
class ModeMonth:
    month: str  # YYYY-MM
    modes: str
    deliveries: int
    kg_co2e: Decimal


@dataclass(frozen=True, slots=True)
class LowCarbonShare:
    deliveries: int
    low_carbon: int
    kg_co2e: Decimal

    @property
    def share(self) -> Decimal:
        """Between 0 and 1 (0 without deliveries)."""
        if not self.deliveries:
            return Decimal(0)
        return Decimal(self.low_carbon) / Decimal(self.deliveries)


def _modes_left() -> Replace:
    """The ``modes`` text with the low-carbon modes and commas removed: empty when every leg
    went by rail or sea."""
    rest = Replace("modes", Value(","), Value(""))
    for mode in LOW_CARBON_MODES:
        rest = Replace(rest, Value(mode), Value(""))
    return rest


def _footprints(seller_public_id: str | None, since: datetime | None) -> QuerySet:
    rows = OrderDeliveryFootprint.objects.alias(modes_left=_modes_left())
    if seller_public_id is not None:
        rows = rows.filter(seller_public_id=seller_public_id)
    if since is not None:
        rows = rows.filter(placed_at__gte=since)
    return rows


def low_carbon_q() -> Q:
    """The SQL condition of a low-carbon delivery (see the module docstring); needs the
    ``modes_left`` alias of :func:`_footprints`."""
    return (
        (Q(modes_left="") & ~Q(modes=""))
        | Q(method_name__iregex=PICKUP_WORDS.pattern)
        | Q(kg_co2e__lte=LOW_CARBON_KG)
    )


def emissions_by_mode_month(
    *, seller_public_id: str | None = None, since: datetime | None = None
) -> list[ModeMonth]:
    """kg CO2e and deliveries per month (of the order) and mode combination, oldest first."""
    rows = (
        _footprints(seller_public_id, since)
        .annotate(month=TruncMonth("placed_at"))
        .values("month", "modes")
        .annotate(deliveries=Count("pk"), kg=Sum("kg_co2e"))
        .order_by("month", "modes")
    )
    return [
        ModeMonth(r["month"].strftime("%Y-%m"), r["modes"], r["deliveries"], _kg(r["kg"]))
        for r in rows
    ]


def low_carbon_share(
    *, seller_public_id: str | None = None, since: datetime | None = None
) -> LowCarbonShare:
    """How many recorded deliveries were low-carbon, in one query."""
    agg = _footprints(seller_public_id, since).aggregate(
        deliveries=Count("pk"), low=Count("pk", filter=low_carbon_q()), kg=Sum("kg_co2e")
    )
    return LowCarbonShare(agg["deliveries"], agg["low"], _kg(agg["kg"]))


def low_carbon_share_of_orders(order_public_ids: QuerySet | list[str]) -> LowCarbonShare:
    """The low-carbon share over the recorded deliveries of these orders (a product's, for the
    ``low_carbon_delivery_80`` label rule), in one query."""
    rows = _footprints(None, None).filter(order_public_id__in=order_public_ids)
    agg = rows.aggregate(
        deliveries=Count("pk"), low=Count("pk", filter=low_carbon_q()), kg=Sum("kg_co2e")
    )
    return LowCarbonShare(agg["deliveries"], agg["low"], _kg(agg["kg"]))
