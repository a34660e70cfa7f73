"""Resale revenue on the green dashboards: a resale unit bought through the normal checkout
counts, by the month it was paid, for its seller and for the platform; a refunded order and an
ordinary (non-resale) sale do not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from agora.circular import dashboard as circular_board
from agora.circular.resale.services import resale_inspect, resale_list
from agora.core import clock
from agora.orders.models import Order
from agora.sellercenter.views.green_dashboard import build_board
from tests.circular.resale.conftest import buy, signed_in
from tests.circular.resale.factories import CHECKS, own_goods
from tests.conftest import SYSTEM
from tests.operator.data import operator
from tests.sellercenter.helpers import staff_client, text

pytestmark = pytest.mark.django_db

INSPECTED_AT = datetime(2026, 1, 20, 10, tzinfo=UTC)
SOLD_AT = datetime(2026, 2, 1, 12, tzinfo=UTC)
SEEN_AT = datetime(2026, 3, 15, 12, tzinfo=UTC)
PRICE = 40_000 * (10_000 - 6 * 150) // 10_000  # grade A, 6 months old: 364.00


@pytest.fixture
def sold(world, seller):  # type: ignore[no-untyped-def]
    """The seller's own espresso machine listed and bought by Bob on 2026-02-01, and one
    ordinary cup bought the same day."""
    with clock.frozen_at(INSPECTED_AT):
        item = own_goods(seller)
        item = resale_inspect(actor=SYSTEM, request=item, grade="A", checklist=CHECKS)
        item = resale_list(actor=SYSTEM, request=item)
    bob, _ = signed_in("bob@example.org")
    with clock.frozen_at(SOLD_AT):
        order = buy(bob, item.variant)
        buy(bob, world["cup"])
    item.refresh_from_db()
    assert item.status == "sold" and item.price_minor == PRICE
    return order


def test_resale_revenue_by_month_for_the_seller_and_the_platform(sold, seller, other_seller):  # type: ignore[no-untyped-def]
    rows = circular_board.resale_revenue_by_month(seller=seller)
    assert [(r.month, r.currency, r.units, r.revenue_minor) for r in rows] == [
        ("2026-02", "EUR", 1, PRICE)
    ]
    assert circular_board.resale_revenue_by_month(seller=other_seller) == []
    assert circular_board.resale_revenue_by_month(seller=None) == rows
    since = datetime(2026, 3, 1, tzinfo=UTC)
    assert circular_board.resale_revenue_by_month(seller=seller, since=since) == []
    with clock.frozen_at(SEEN_AT):
        board = build_board(seller=seller)
    assert board.resales == rows and board.resale_currency == "EUR"
    chart = board.chart["resales-chart"]
    assert chart["labels"][-2:] == ["2026-02", "2026-03"]
    assert chart["datasets"][0]["values"][-2:] == ["364.00", "0.00"]

    Order.objects.filter(pk=sold.pk).update(status=Order.Status.REFUNDED)
    assert circular_board.resale_revenue_by_month(seller=seller) == []


def test_the_seller_and_operator_dashboards_show_the_resale_table(sold, seller):  # type: ignore[no-untyped-def]
    owner = staff_client(seller)
    ops = Client()
    ops.force_login(operator())
    with clock.frozen_at(SEEN_AT):
        seller_page = owner.get(reverse("sellercenter:green"))
        operator_page = ops.get(reverse("admin:operator_green"))
    for response in (seller_page, operator_page):
        assert response.status_code == 200
        body = text(response)
        assert "Resale revenue by month" in body
        table = response.content.decode().split('id="resales-table"')[1].split("</table>")[0]
        assert "2026-02" in table and "€364.00" in table
        assert 'id="resales-chart"' in response.content.decode()
