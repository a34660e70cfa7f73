"""Prices: every change recorded (and no-ops not), the EU Omnibus prior price, all-or-nothing
creation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from agora.catalog.models import Product, Variant
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry, OutboxEvent
from agora.marketplace.models import Seller
from agora.pricing.models import Price, PriceChange
from agora.pricing.selectors import lowest_prior_price, price_history
from agora.pricing.services import (
    PricedVariantInput,
    price_remove,
    price_set,
    product_create_priced,
)
from tests.conftest import SYSTEM, assert_problem, make_product, put_json

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def variant(seller: Seller) -> Variant:
    return make_product(seller, "Candle", prices={}).variants.get()


def price_url(variant: Variant, currency: str = "EUR") -> str:
    return f"/api/v1/seller/variants/{variant.public_id}/prices/{currency}"


def set_at(variant: Variant, moment: datetime, amount: int | None, currency: str = "EUR") -> None:
    with clock.frozen_at(moment):
        if amount is None:
            price_remove(actor=SYSTEM, variant=variant, currency=currency)
        else:
            price_set(actor=SYSTEM, variant=variant, currency=currency, amount_minor=amount)


@pytest.mark.django_db
def test_every_change_is_recorded_and_a_no_op_is_not(variant: Variant, api: Client) -> None:
    with clock.frozen_at(T0):
        response = put_json(api, price_url(variant), {"amount_minor": 1000})
        assert response.status_code == 200, response.content
        assert response.json() == {"currency": "EUR", "amount_minor": 1000, "amount": "10.00"}
        clock.advance(DAY)
        put_json(api, price_url(variant), {"amount_minor": 1000})  # same price: nothing to record
        clock.advance(DAY)
        put_json(api, price_url(variant, "eur"), {"amount_minor": 900})
        clock.advance(DAY)
        assert api.delete(price_url(variant)).status_code == 204
        assert api.delete(price_url(variant)).status_code == 204  # already gone: no-op
    history = [(c.amount_minor, c.effective_at) for c in price_history(variant=variant)]
    assert history == [(None, T0 + 3 * DAY), (900, T0 + 2 * DAY), (1000, T0)]
    assert not Price.objects.filter(variant=variant).exists()
    changes = [e.payload for e in OutboxEvent.objects.filter(name="price.changed").order_by("id")]
    assert [(c["old_amount_minor"], c["new_amount_minor"]) for c in changes] == [
        (None, 1000),
        (1000, 900),
        (900, None),
    ]
    assert changes[0]["variant_id"] == variant.public_id and changes[0]["currency"] == "EUR"
    audits = AuditEntry.objects.filter(
        target_id=variant.public_id, action__startswith="price."
    ).order_by("id")
    assert [a.changes["amount_minor"] for a in audits] == [[None, 1000], [1000, 900], [900, None]]

    response = api.get(f"/api/v1/seller/variants/{variant.public_id}/price-history")
    assert response.status_code == 200
    assert [(i["amount_minor"], i["source"]) for i in response.json()["items"]] == [
        (None, "api"),
        (900, "api"),
        (1000, "api"),
    ]


@pytest.mark.django_db
def test_price_is_per_currency(variant: Variant) -> None:
    set_at(variant, T0, 1000, "EUR")
    set_at(variant, T0, 150000, "JPY")
    set_at(variant, T0, 3500, "KWD")
    assert dict(Price.objects.filter(variant=variant).values_list("currency", "amount_minor")) == {
        "EUR": 1000,
        "JPY": 150000,
        "KWD": 3500,
    }
    assert [c.currency for c in price_history(variant=variant, currency="jpy")] == ["JPY"]


@pytest.mark.django_db
def test_service_refuses_bad_prices_and_writes_nothing(variant: Variant) -> None:
    for currency, amount, field in [
        ("EUR", -1, "amount_minor"),
        ("EUR", 1.5, "amount_minor"),
        ("EUR", True, "amount_minor"),
        ("EUR", 10**14, "amount_minor"),
        ("XYZ", 100, "currency"),
        ("", 100, "currency"),
    ]:
        with pytest.raises(AgoraError) as caught:
            price_set(actor=SYSTEM, variant=variant, currency=currency, amount_minor=amount)  # type: ignore[arg-type]
        assert [e.field for e in caught.value.errors] == [field]
    assert not PriceChange.objects.exists() and not Price.objects.exists()


@pytest.mark.django_db
def test_priced_creation_is_all_or_nothing(seller: Seller) -> None:
    before = (Product.objects.count(), Variant.objects.count(), PriceChange.objects.count())
    with pytest.raises(AgoraError) as caught:
        product_create_priced(
            actor=SYSTEM,
            seller=seller,
            title="Pair",
            variants=[
                PricedVariantInput(sku="P-1", prices=[("EUR", 100)]),
                PricedVariantInput(sku="P-2", prices=[("EUR", -5)]),
            ],
        )
    assert caught.value.errors[0].field == "variants[1].prices[0].amount_minor"
    assert (Product.objects.count(), Variant.objects.count(), PriceChange.objects.count()) == before


# --- the EU Omnibus prior price ------------------------------------------------------------------


@pytest.mark.django_db
def test_prior_price_is_the_lowest_of_the_30_days_before_the_reduction(variant: Variant) -> None:
    set_at(variant, T0, 1000)
    set_at(variant, T0 + 10 * DAY, 800)
    set_at(variant, T0 + 20 * DAY, 1200)
    set_at(variant, T0 + 25 * DAY, 600)  # the reduction
    with clock.frozen_at(T0 + 25 * DAY):
        assert lowest_prior_price(variant=variant, currency="EUR") == 800
    with clock.frozen_at(T0 + 45 * DAY):  # still measured from the reduction, not from today
        assert lowest_prior_price(variant=variant, currency="EUR") == 800
    with clock.frozen_at(T0 + 22 * DAY):  # before the reduction: the 1200 is current
        assert lowest_prior_price(variant=variant, currency="EUR") == 800
    with clock.frozen_at(T0 + 5 * DAY):  # only one price so far: nothing to compare with
        assert lowest_prior_price(variant=variant, currency="EUR") is None


@pytest.mark.django_db
def test_prices_older_than_30_days_do_not_count_but_the_one_in_force_does(variant: Variant) -> None:
    set_at(variant, T0, 500)
    set_at(variant, T0 + 5 * DAY, 1000)
    set_at(variant, T0 + 40 * DAY, 900)
    with clock.frozen_at(T0 + 40 * DAY):
        # 500 ended 35 days before the reduction; 1000 was in force the whole window
        assert lowest_prior_price(variant=variant, currency="EUR") == 1000
        assert lowest_prior_price(variant=variant, currency="EUR", days=36) == 500


@pytest.mark.django_db
def test_window_edges(variant: Variant) -> None:
    set_at(variant, T0, 700)
    set_at(variant, T0 + DAY, 1000)
    set_at(variant, T0 + 31 * DAY, 950)
    with clock.frozen_at(T0 + 31 * DAY):
        # the window opens at T0 + 1 day, when 1000 replaced 700: 700 was never in force in it
        assert lowest_prior_price(variant=variant, currency="EUR") == 1000
    set_at(variant, T0 + 31 * DAY + timedelta(seconds=1), 940)
    with clock.frozen_at(T0 + 31 * DAY + timedelta(seconds=1)):
        assert lowest_prior_price(variant=variant, currency="EUR") == 950


@pytest.mark.django_db
def test_withdrawn_periods_and_other_currencies_are_ignored(variant: Variant) -> None:
    set_at(variant, T0, 1000)
    set_at(variant, T0 + DAY, None)
    set_at(variant, T0 + 2 * DAY, 300, "GBP")
    set_at(variant, T0 + 3 * DAY, 1100)
    set_at(variant, T0 + 4 * DAY, 900)
    with clock.frozen_at(T0 + 4 * DAY):
        assert lowest_prior_price(variant=variant, currency="EUR") == 1000
        assert lowest_prior_price(variant=variant, currency="gbp") is None
        assert lowest_prior_price(variant=variant, currency="CNY") is None


@pytest.mark.django_db
def test_future_changes_are_not_yet_in_force(variant: Variant) -> None:
    set_at(variant, T0, 1000)
    set_at(variant, T0 + 2 * DAY, 800)
    with clock.frozen_at(T0 + DAY):
        assert lowest_prior_price(variant=variant, currency="EUR") is None


@pytest.mark.django_db
def test_history_endpoint_reports_the_prior_price(variant: Variant, api: Client) -> None:
    set_at(variant, T0, 1000)
    set_at(variant, T0 + 10 * DAY, 700)
    set_at(variant, T0 + 10 * DAY, 5000, "JPY")
    with clock.frozen_at(T0 + 12 * DAY):
        body = api.get(f"/api/v1/seller/variants/{variant.public_id}/price-history").json()
    assert body["variant"] == variant.public_id
    assert body["lowest_prior_30_days"] == {
        "EUR": {"currency": "EUR", "amount_minor": 1000, "amount": "10.00"}
    }


@pytest.mark.django_db
def test_price_history_needs_pricing_read(seller: Seller, variant: Variant) -> None:
    from tests.conftest import key_client

    catalog_only = key_client(seller, ["catalog:write"])
    assert_problem(
        catalog_only.get(f"/api/v1/seller/variants/{variant.public_id}/price-history"),
        403,
        "scope-missing",
    )
    assert_problem(
        put_json(catalog_only, price_url(variant), {"amount_minor": 5}), 403, "scope-missing"
    )
    assert not PriceChange.objects.filter(variant=variant).exists()


def test_last_price_of_a_published_product_cannot_be_removed(api, seller):
    from agora.catalog.models import Product
    from agora.pricing.models import Price

    created = api.post(
        "/api/v1/seller/products",
        {
            "title": "Lamp",
            "publish": True,
            "variants": [
                {
                    "sku": "L-1",
                    "prices": [
                        {"currency": "EUR", "amount_minor": 1000},
                        {"currency": "GBP", "amount_minor": 900},
                    ],
                }
            ],
        },
        content_type="application/json",
    ).json()
    variant = created["variants"][0]["id"]
    assert api.delete(f"/api/v1/seller/variants/{variant}/prices/GBP").status_code == 204
    refused = api.delete(f"/api/v1/seller/variants/{variant}/prices/EUR")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/last-price-of-published-product"
    assert Price.objects.filter(variant__public_id=variant, currency="EUR").exists()
    deleted = api.delete(f"/api/v1/seller/variants/{variant}")
    assert deleted.status_code == 409
    assert Product.objects.get(public_id=created["id"]).variants.count() == 1
    api.post(f"/api/v1/seller/products/{created['id']}/unpublish")
    assert api.delete(f"/api/v1/seller/variants/{variant}/prices/EUR").status_code == 204
