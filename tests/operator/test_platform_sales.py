"""The platform-sales page: its figures equal sums computed here from the orders and the ledger
one by one, and bad ranges are named next to the field."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from agora.core import clock
from agora.core.money import Money
from agora.core.outbox import dispatch_pending
from agora.operator.selectors import platform_sales
from agora.orders.models import Order
from agora.orders.services import OrderLineDraft, order_cancel, order_mark_paid
from agora.payments.models import LedgerEntry
from agora.payments.services import escrow_release, refund_issue
from tests.conftest import SYSTEM, make_category, make_product, make_seller
from tests.operator.data import operator
from tests.orders.factories import place
from tests.payments.factories import paid_through_payments

pytestmark = pytest.mark.django_db
DAY1 = datetime(2026, 3, 2, 10, tzinfo=UTC)  # a Monday
DAY2 = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
DAY3 = datetime(2026, 3, 10, 0, 15, tzinfo=UTC)  # the next week


@pytest.fixture
def ops() -> Client:
    client = Client()
    client.force_login(operator())
    return client


@pytest.fixture
def sales() -> dict[str, object]:
    """Two sellers' orders over three days: paid, released (commission), refunded in part,
    unpaid, cancelled unpaid, and one in another currency."""
    alpha, beta = make_seller("alpha"), make_seller("beta")
    with clock.frozen_at(DAY1):
        a1 = paid_through_payments(alpha)
        escrow_release(actor=SYSTEM, order=a1, commission_bps=1000)
        refund_issue(actor=SYSTEM, order=a1, amount_minor=500, reason="late", idempotency_key="r1")
        dispatch_pending()  # payments records the refund on the order when it hears refund.issued
        b1 = paid_through_payments(beta)
        place(alpha)  # placed, never paid: not a sale
    with clock.frozen_at(DAY2):
        b2 = paid_through_payments(beta)
        escrow_release(actor=SYSTEM, order=b2, commission_bps=1500)
        order_cancel(actor=SYSTEM, order=place(beta), reason="buyer changed their mind")
    with clock.frozen_at(DAY3):
        a2 = paid_through_payments(alpha)
        place(alpha, currency="GBP")  # another currency, unpaid
    return {"alpha": alpha, "beta": beta, "orders": [a1, b1, b2, a2]}


def _expected(orders: list[Order]) -> dict[str, int]:
    """The figures computed order by order, from the rows themselves."""
    fresh = [Order.objects.get(pk=o.pk) for o in orders]
    commission = 0
    for order in fresh:
        for entry in LedgerEntry.objects.filter(
            transaction__reference=order.public_id
        ).select_related("account"):
            if entry.account.kind == "platform_commission":
                commission += entry.amount_minor
    return {
        "orders": len(fresh),
        "gmv": sum(o.total_minor for o in fresh),
        "refunds": sum(o.refunded_minor for o in fresh),
        "commission": commission,
    }


def test_totals_equal_the_orders_summed_one_by_one(sales: dict[str, object]) -> None:
    report = platform_sales(currency="EUR", start=DAY1.date(), end=DAY3.date())
    expected = _expected(sales["orders"])  # type: ignore[arg-type]
    total = report.total
    assert (total.orders, total.gmv_minor, total.refunds_minor, total.commission_minor) == (
        expected["orders"],
        expected["gmv"],
        expected["refunds"],
        expected["commission"],
    )
    assert expected["refunds"] == 500 and expected["commission"] > 0  # the data means something


def test_by_day_week_and_seller(sales: dict[str, object]) -> None:
    a1, b1, b2, a2 = sales["orders"]  # type: ignore[misc]
    daily = platform_sales(currency="EUR", start=DAY1.date(), end=DAY3.date())
    by_day = {row.key: row for row in daily.by_period}
    assert len(daily.by_period) == 9  # every day of the range, empty ones too
    assert by_day[DAY1.date()].orders == 2
    assert by_day[DAY1.date()].gmv_minor == _expected([a1, b1])["gmv"]
    assert by_day[DAY2.date()].commission_minor == _expected([b2])["commission"]
    assert by_day[date(2026, 3, 3)].orders == 0

    weekly = platform_sales(currency="EUR", start=DAY1.date(), end=DAY3.date(), granularity="week")
    assert [row.key for row in weekly.by_period] == [date(2026, 3, 2), date(2026, 3, 9)]
    assert weekly.by_period[0].gmv_minor == _expected([a1, b1, b2])["gmv"]
    assert weekly.by_period[1].gmv_minor == _expected([a2])["gmv"]

    by_seller = {row.label: row for row in daily.by_seller}
    assert by_seller["Alpha"].refunds_minor == 500
    assert by_seller["Beta"].gmv_minor == _expected([b1, b2])["gmv"]
    assert by_seller["Alpha"].commission_minor == _expected([a1, a2])["commission"]


def test_by_category_sums_the_lines() -> None:
    seller = make_seller("gamma")
    teaware = make_category("Teaware")
    cup = make_product(seller, "Gaiwan", sku="GW-1", category=teaware)
    with clock.frozen_at(DAY1):
        order = paid_through_payments(seller)  # an uncategorised line
        draft = OrderLineDraft(
            sku="GW-1",
            title="Gaiwan",
            quantity=3,
            unit_price_minor=1500,
            variant=cup.variants.get(),
        )
        second = order_mark_paid(order=place(seller, drafts=[draft]), payment_ref="pay_x")
    report = platform_sales(currency="EUR", start=DAY1.date(), end=DAY1.date())
    rows = {row.label: row for row in report.by_category}
    assert rows["Teaware"].units == 3 and rows["Teaware"].sales_minor == 4500
    assert rows["Teaware"].orders == 1
    uncategorised = sum(line.total_minor for line in order.lines.all())
    assert rows[""].sales_minor == uncategorised
    assert second.status == "paid"


def test_the_page_shows_the_figures_in_the_currency_chosen(
    ops: Client, sales: dict[str, object]
) -> None:
    expected = _expected(sales["orders"])  # type: ignore[arg-type]
    page = ops.get(
        reverse("admin:operator_sales"),
        {"start": "2026-03-01", "end": "2026-03-10", "granularity": "day", "currency": "EUR"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert Money(expected["gmv"], "EUR").format("en") in html
    assert Money(expected["commission"], "EUR").format("en") in html
    assert "Alpha" in html and "Beta" in html
    assert '<option value="GBP">' in html


def test_the_page_defaults_to_the_last_30_days(ops: Client) -> None:
    page = ops.get(reverse("admin:operator_sales"))
    assert page.status_code == 200
    assert (clock.now().date() - timedelta(days=29)).isoformat() in page.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-03-10", "end": "2026-03-01"}, "2026-03-01 is before the start date"),
        ({"start": "yesterday"}, "Enter a date as YYYY-MM-DD."),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "at most 1098 days"),
        ({"currency": "XTS"}, "No orders were placed in XTS"),
    ],
)
def test_bad_input_is_named_next_to_the_field(ops: Client, query: dict, message: str) -> None:
    page = ops.get(reverse("admin:operator_sales"), query)
    assert page.status_code == 400
    html = page.content.decode()
    assert message in html
    assert "errorlist" in html
    assert 'id="sales-by-period"' not in html  # no figures for a form that is wrong
