"""Differentially private statistics (issue 8 item 4): released only through OpenDP with noise
calibrated to a stated, enforced contribution bound; a budget per seller and month, refused by
name when spent; the same query answered again from the ledger without spending; tenancy.

OpenDP's noise comes from a secure source that cannot be seeded, so the statistical checks use
bounds many standard errors wide: they cannot flake, yet they fail if noise were missing or at
a different scale than stated."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client, override_settings

from agora.accounts.models import ApiKey, User
from agora.core.actors import Actor
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderLine
from agora.privacy.dp import cells, mechanism, selectors, services
from agora.privacy.models import DpLedgerEntry
from tests.conftest import SYSTEM, assert_problem, key_client
from tests.sellercenter.helpers import staff_client, text

pytestmark = pytest.mark.django_db
MONTH = "2025-06"
IN_MONTH = datetime(2025, 6, 10, 12, tzinfo=UTC)
URL = "/api/v1/seller/insights/sales-by-region"
_n = {"n": 0}


def buyer(joined: datetime = datetime(2020, 1, 1, tzinfo=UTC)) -> User:
    _n["n"] += 1
    user = User.objects.create_user(f"dp-buyer{_n['n']}@example.org", "a long passphrase")
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    user.refresh_from_db()
    return user


def sale(
    seller: Seller,
    who: User | None,
    *,
    country: str = "DE",
    units: int = 1,
    at: datetime = IN_MONTH,
    status: str = Order.Status.PAID,
) -> Order:
    order = Order.objects.create(
        seller=seller,
        buyer=who,
        buyer_ref=f"user:{who.pk}" if who else "",
        channel=Order.Channel.WEB,
        status=status,
        currency="EUR",
        subtotal_minor=1000 * units,
        total_minor=1000 * units,
        ship_country=country,
        placed_at=at,
    )
    OrderLine.objects.create(
        order=order,
        line_no=1,
        sku="DP-1",
        title="Teapot",
        quantity=units,
        unit_price_minor=1000,
        total_minor=1000 * units,
    )
    return order


def true_region(seller: Seller) -> selectors.BoundedCounts:
    return selectors.bounded_counts(
        seller=seller, month=MONTH, cell_names=cells.COUNTRIES, cell_of=selectors.by_country
    )


def cell(counts: selectors.BoundedCounts, name: str) -> tuple[int, int]:
    i = counts.cells.index(name)
    return counts.orders[i], counts.units[i]


# --- contribution bounding ---------------------------------------------------------------------
def test_contributions_beyond_k_orders_and_u_units_are_clamped(seller: Seller) -> None:
    heavy = buyer()
    for i in range(5):  # 5 orders of 4 units: K=2 orders and U=6 units count
        sale(seller, heavy, units=4, at=IN_MONTH + timedelta(hours=i))
    sale(seller, buyer(), country="FR", units=3)
    sale(seller, buyer(), country="FR", status=Order.Status.CANCELLED)  # not a sale
    sale(seller, buyer(), country="FR", at=datetime(2025, 7, 1, tzinfo=UTC))  # next month
    counts = true_region(seller)
    assert cell(counts, "DE") == (2, 6)
    assert cell(counts, "FR") == (1, 3)
    assert (counts.dropped_orders, counts.cut_units) == (3, 14)
    assert sum(counts.orders) == 3
    with override_settings(AGORA_DP_ORDERS_PER_BUYER=1, AGORA_DP_UNITS_PER_BUYER=2):
        assert cell(true_region(seller), "DE") == (1, 2)


def test_tenure_bands_follow_the_account_age_at_the_order(seller: Seller) -> None:
    sale(seller, buyer(joined=IN_MONTH - timedelta(days=10)))
    sale(seller, buyer(joined=IN_MONTH - timedelta(days=100)))
    sale(seller, buyer(joined=IN_MONTH - timedelta(days=800)))
    sale(seller, None)  # an imported order: nobody named, counted as its own buyer
    counts = selectors.bounded_counts(
        seller=seller, month=MONTH, cell_names=list(cells.TENURE_BANDS), cell_of=selectors.by_tenure
    )
    assert dict(zip(counts.cells, counts.orders, strict=True)) == {
        "new": 1, "regular": 1, "loyal": 1, "guest": 1
    }  # fmt: skip


def test_unknown_countries_fall_into_other_and_regions_sum_countries() -> None:
    assert cells.country_cell(" de ") == "DE" and cells.country_cell("Atlantis") == "other"
    result = {"cells": ["DE", "FR", "GB", "other"], "orders": [3, -2, 4, 1], "units": [1, 1, 1, 1]}
    regions = {r["cell"]: r["orders"] for r in services.regions_of(result)}
    assert regions["eu"] == 1 and regions["europe"] == 4 and regions["other"] == 1
    assert services.rows_of(result)[1]["orders"] == 0  # negative noise shown as 0


# --- the OpenDP measurement -------------------------------------------------------------------
@pytest.mark.parametrize(("k", "eps"), [(1, 0.1), (2, 0.25), (6, 0.25), (3, 1.0)])
def test_the_privacy_map_never_exceeds_the_charged_epsilon(k: int, eps: float) -> None:
    loss = mechanism.privacy_loss(k, eps)
    assert loss <= eps
    assert loss > eps * 0.99  # calibrated, not wastefully noisy
    _m, scale = mechanism.count_measurement(k, eps)
    assert scale == pytest.approx(k / eps, rel=1e-3)  # the stated scale: sensitivity / ε


def test_noise_is_present_unbiased_and_at_the_stated_scale() -> None:
    true = [50] * 4000
    noisy = mechanism.noisy_counts(true, sensitivity=1, epsilon=0.1)
    errors = [n - t for n, t in zip(noisy.values, true, strict=True)]
    q = 2.718281828459045 ** (-1 / noisy.scale)
    expected_abs = 2 * q / (1 - q * q)  # E|X| of the discrete Laplace with this scale (≈ 10)
    mean_abs = statistics.fmean(abs(e) for e in errors)
    assert noisy.scale == pytest.approx(10.0, rel=1e-3)
    assert mean_abs == pytest.approx(expected_abs, rel=0.15)  # ~9 standard errors wide
    assert abs(statistics.fmean(errors)) < 1.5  # centred on the truth (~7 standard errors)
    assert sum(e == 0 for e in errors) < 0.2 * len(errors)  # P(0) ≈ 0.05: mostly not exact
    assert len(set(noisy.values)) > 20


def test_a_released_table_is_not_the_true_one(seller: Seller) -> None:
    """With many cells, the chance that noise at scale 4 leaves every count unchanged is below
    0.25 ** 39: the release never equals the truth."""
    for country in ("DE", "FR", "IT"):
        sale(seller, buyer(), country=country)
    release = services.release(actor=SYSTEM, seller=seller, query="sales-by-region", month=MONTH)
    assert release.result["orders"] != true_region(seller).orders
    assert release.result["sensitivity"] == {"orders": 2, "units": 6}
    assert release.result["epsilon"] == {"orders": 0.25, "units": 0.25}


# --- the budget and the ledger ----------------------------------------------------------------
def test_the_same_query_answers_the_stored_figures_without_spending(
    seller: Seller, api: Client
) -> None:
    sale(seller, buyer(), country="DE", units=2)
    first = api.get(f"{URL}?month={MONTH}")
    assert first.status_code == 200, first.content
    again = api.get(f"{URL}?month={MONTH}")
    one, two = first.json(), again.json()
    assert (one["fresh"], two["fresh"]) == (True, False)
    assert one["countries"] == two["countries"] and one["regions"] == two["regions"]
    assert two["epsilon_spent"] == 0.5 and two["epsilon_remaining"] == 0.5
    assert one["orders_noise"]["sensitivity"] == 2 and one["orders_noise"]["scale"] == 8.0
    [entry] = DpLedgerEntry.objects.filter(seller=seller)
    assert (entry.period, entry.query, entry.epsilon) == (
        MONTH, "sales-by-region?epsilon=0.5", Decimal("0.5")
    )  # fmt: skip


def test_a_release_past_the_budget_is_refused_by_name(seller: Seller, api: Client) -> None:
    sale(seller, buyer())
    services.release(
        actor=SYSTEM, seller=seller, query="sales-by-region", month=MONTH, epsilon="0.5"
    )
    services.release(
        actor=SYSTEM, seller=seller, query="sales-by-tenure", month=MONTH, epsilon="0.25"
    )
    response = api.get(f"{URL}?month={MONTH}&epsilon=0.25")  # 0.5 + 0.25 + 0.25 = 1.0: fits
    assert response.status_code == 200 and response.json()["epsilon_remaining"] == 0.0
    refused = api.get(f"{URL}?month={MONTH}&epsilon=0.1")
    body = assert_problem(refused, 409, "privacy-budget-spent")
    assert (body["epsilon_spent"], body["epsilon_remaining"], body["epsilon_requested"]) == (
        1.0, 0.0, 0.1
    )  # fmt: skip
    assert (
        "only ε 0 is left of the budget of ε 1 for 2025-06" in body["detail"]
        and "(ε 1 spent)" in body["detail"]
    )
    assert DpLedgerEntry.objects.filter(seller=seller).count() == 3  # nothing spent
    # what was released stays available, free
    assert api.get(f"{URL}?month={MONTH}&epsilon=0.5").json()["fresh"] is False
    # another month has its own budget
    assert api.get(f"{URL}?month=2025-05").status_code == 200
    with pytest.raises(AgoraError) as exc:
        services.release(
            actor=SYSTEM, seller=seller, query="sales-by-tenure", month=MONTH, epsilon="0.1"
        )
    assert exc.value.problem.slug == "privacy-budget-spent"


def test_bad_requests_name_the_problem(seller: Seller, api: Client) -> None:
    assert_problem(api.get(f"{URL}?month=2025-13"), 422, "validation-error", "month")
    assert_problem(api.get(f"{URL}?month=2999-01"), 422, "validation-error", "month")
    assert_problem(api.get(f"{URL}?month={MONTH}&epsilon=7"), 422, "validation-error", "epsilon")
    reader = key_client(seller, scopes=["catalog:read"])
    assert reader.get(f"{URL}?month={MONTH}").status_code == 403
    assert not DpLedgerEntry.objects.exists()


# --- tenancy ----------------------------------------------------------------------------------
def test_a_seller_never_sees_another_sellers_sales(
    seller: Seller, other_seller: Seller, api: Client, other_api: Client
) -> None:
    for _ in range(3):
        sale(seller, buyer(), country="DE")
    assert sum(true_region(other_seller).orders) == 0  # their counts hold none of ours
    mine = api.get(f"{URL}?month={MONTH}").json()
    theirs = other_api.get(f"{URL}?month={MONTH}").json()
    assert theirs["fresh"] is True  # not our stored release
    assert theirs["epsilon_spent"] == 0.5  # our spending is not theirs
    assert mine["epsilon_spent"] == 0.5
    assert DpLedgerEntry.objects.filter(seller=other_seller).count() == 1
    page = staff_client(other_seller).get(f"/seller/insights/?month={MONTH}")
    assert text(page).count("Released ") == 1  # only their own release


# --- the seller-center page -------------------------------------------------------------------
def test_the_page_releases_once_and_explains_the_budget(seller: Seller) -> None:
    sale(seller, buyer())
    browser = staff_client(seller)
    before = text(browser.get(f"/seller/insights/?month={MONTH}"))
    assert "Budget ε 1; spent ε 0; remaining ε 1." in before
    assert "Nothing released about this month yet." in before
    assert "Buyer insights" in before  # the navigation entry
    form = {"month": MONTH, "query": "sales-by-region", "epsilon": "0.5"}
    response = browser.post("/seller/insights/release/", form, follow=True)
    page = text(response)
    assert "Released with ε 0.5; ε 0.5 is left in the budget of this month." in page
    assert "Sales by buyer region" in page and "European Union" in page
    assert "spent ε 0.5; remaining ε 0.5" in page
    again = text(browser.post("/seller/insights/release/", form, follow=True))
    assert "Already released" in again and "spent ε 0.5" in again
    browser.post("/seller/insights/release/", {**form, "query": "sales-by-tenure"})
    refused = text(
        browser.post("/seller/insights/release/", {**form, "epsilon": "0.1"}, follow=True)
    )
    assert "only ε 0 is left of the budget of ε 1 for 2025-06" in refused
    assert DpLedgerEntry.objects.filter(seller=seller).count() == 2


def test_the_page_speaks_chinese(seller: Seller) -> None:
    browser = staff_client(seller)
    page = text(
        browser.get(f"/seller/insights/?month={MONTH}", headers={"Accept-Language": "zh-hans"})
    )
    assert "2025-06 的隐私预算" in page and "已用 ε 0" in page
    assert "每位买家每月最多计入 2 个订单和 6 件商品" in page


# --- the audit log --------------------------------------------------------------------------------
def test_each_release_is_in_the_audit_log_as_well_as_the_ledger(
    seller: Seller, other_seller: Seller, api: Client
) -> None:
    """Who released what for which seller, spending how much ε and leaving how much: one audit
    entry per release that spent; answers from the ledger and refusals add none."""
    sale(seller, buyer(), country="DE")
    assert api.get(f"{URL}?month={MONTH}").status_code == 200
    [entry] = DpLedgerEntry.objects.filter(seller=seller)
    [audited] = AuditEntry.objects.filter(action="privacy.dp_released")
    key = ApiKey.objects.get(seller=seller)
    assert (audited.actor_kind, audited.actor_api_key_id, audited.seller_id) == (
        "api_key", key.pk, seller.pk
    )  # fmt: skip
    assert (audited.target_type, audited.target_id) == ("privacy.dpledgerentry", str(entry.pk))
    assert audited.changes == {
        "seller": seller.public_id,
        "query": "sales-by-region",
        "period": MONTH,
        "epsilon": "0.5",
        "epsilon_spent": "0.5",
        "epsilon_remaining": "0.5",
        "epsilon_budget": "1",
    }
    assert api.get(f"{URL}?month={MONTH}").json()["fresh"] is False  # from the ledger
    assert AuditEntry.objects.filter(action="privacy.dp_released").count() == 1

    browser = staff_client(seller)
    form = {"month": MONTH, "query": "sales-by-tenure", "epsilon": "0.25"}
    browser.post("/seller/insights/release/", form)
    page_release = AuditEntry.objects.filter(action="privacy.dp_released").latest("id")
    assert page_release.actor_kind == "user" and page_release.actor_user is not None
    assert page_release.changes["query"] == "sales-by-tenure"
    assert (page_release.changes["epsilon_spent"], page_release.changes["epsilon_remaining"]) == (
        "0.75", "0.25"
    )  # fmt: skip
    refused = browser.post("/seller/insights/release/", {**form, "epsilon": "0.5"})
    assert refused.status_code == 302
    assert AuditEntry.objects.filter(action="privacy.dp_released").count() == 2
    assert DpLedgerEntry.objects.filter(seller=seller).count() == 2

    # and a key of one seller cannot release another's figures through the service
    stranger = Actor(kind="api_key", label="k", api_key_id=1, seller_id=other_seller.pk,
                     scopes=frozenset({"orders:read"}))  # fmt: skip
    with pytest.raises(AgoraError) as refused_other:
        services.release(actor=stranger, seller=seller, query="sales-by-tenure", month="2025-05")
    assert refused_other.value.problem.status == 403
    assert AuditEntry.objects.filter(action="privacy.dp_released").count() == 2
