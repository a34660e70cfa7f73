"""Dashboard selectors with data: emissions by month and mode, the low-carbon share, rental
revenue by month and packaging loops, for one seller and for the platform; summed in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.circular import dashboard as circular_board
from agora.sellercenter.views.green_dashboard import month_labels
from agora.sustainability import dashboard as delivery_board
from tests.circular.packaging.data import footprint, populate
from tests.conftest import make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(green_seller):  # type: ignore[no-untyped-def]
    populate(green_seller)
    return green_seller


def test_emissions_by_mode_and_month(populated):
    rows = delivery_board.emissions_by_mode_month(seller_public_id=populated.public_id)
    got = [(r.month, r.modes, r.deliveries, r.kg_co2e) for r in rows]
    assert got == [
        ("2026-02", "rail_freight", 1, Decimal("0.050")),
        ("2026-02", "van_diesel", 1, Decimal("0.300")),
        ("2026-03", "articulated_truck", 1, Decimal("0.200")),
        ("2026-03", "van_diesel", 1, Decimal("0.080")),
    ]


def test_low_carbon_share_counts_rail_pickup_and_small_footprints(populated):
    share = delivery_board.low_carbon_share(seller_public_id=populated.public_id)
    # rail (0.050), pick-up point (0.200), van under 0.1 kg (0.080); not the 0.300 kg van
    assert (share.deliveries, share.low_carbon) == (4, 3)
    assert share.share == Decimal("0.75") and share.kg_co2e == Decimal("0.630")


def test_mixed_legs_with_road_are_not_rail_only(green_seller):
    footprint(green_seller, modes="rail_freight,van_diesel", kg="0.5", placed=_march())
    footprint(green_seller, modes="sea_container,rail_freight", kg="0.5", placed=_march())
    share = delivery_board.low_carbon_share(seller_public_id=green_seller.public_id)
    assert (share.deliveries, share.low_carbon) == (2, 1)


def _march() -> datetime:
    return datetime(2026, 3, 1, tzinfo=UTC)


def test_platform_figures_include_every_seller_and_seller_figures_do_not(populated):
    other = make_seller("othershop")
    footprint(other, modes="air_short_haul", kg="2.000", placed=_march())
    mine = delivery_board.low_carbon_share(seller_public_id=populated.public_id)
    everyone = delivery_board.low_carbon_share()
    assert (mine.deliveries, everyone.deliveries) == (4, 5)
    assert everyone.low_carbon == 3


def test_rental_revenue_by_month_counts_paid_bookings_only(populated):
    rows = circular_board.rental_revenue_by_month(seller=populated)
    assert [(r.month, r.currency, r.bookings, r.revenue_minor) for r in rows] == [
        ("2026-03", "EUR", 1, 3000)
    ]
    assert circular_board.rental_revenue_by_month(seller=make_seller("norentals")) == []


def test_packaging_loops_and_totals(populated):
    loops = circular_board.packaging_loops_by_month(seller=populated)
    assert [(r.month, r.loops, r.kg_co2e_avoided) for r in loops] == [
        ("2026-03", 2, Decimal("0.3260"))
    ]
    totals = circular_board.packaging_totals(seller=populated)
    assert (totals.packages, totals.out, totals.loops) == (1, 0, 2)
    assert totals.kg_co2e_avoided == Decimal("0.3260")
    # populate's buyers chose no deposit at checkout: the loops count, no deposit was refunded
    assert totals.deposits_refunded_minor == {"EUR": 0}


def test_selectors_query_a_fixed_number_of_times_whatever_the_rows(populated):
    for day in range(2, 28):
        footprint(populated, modes="van_diesel", kg="1", placed=_march().replace(day=day))
    with CaptureQueriesContext(connection) as queries:
        delivery_board.emissions_by_mode_month(seller_public_id=populated.public_id)
        delivery_board.low_carbon_share(seller_public_id=populated.public_id)
        circular_board.rental_revenue_by_month(seller=populated)
        circular_board.packaging_loops_by_month(seller=populated)
        circular_board.packaging_totals(seller=populated)
    # one query per selector; the packaging totals take three (packages, kg, deposits)
    assert len(queries) == 7


def test_month_labels_cross_the_year():
    assert month_labels(date(2026, 2, 15), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
