"""The Omnibus prior price for many variants at once: the same answer as one by one, in a
number of queries that does not grow with the variants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agora.catalog.models import Variant
from agora.core import clock
from agora.marketplace.models import Seller
from agora.pricing.selectors import lowest_prior_price, lowest_prior_prices
from agora.pricing.services import price_remove, price_set
from tests.conftest import SYSTEM, make_product

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)

# Per variant: (days after T0, amount or None for withdrawn) in EUR.
HISTORIES = [
    [(0, 1000), (10, 800), (20, 1200), (25, 600)],  # prior 800
    [(0, 500), (5, 1000), (26, 900)],  # 500 ended 21 days before: prior 500
    [(0, 700)],  # one price only: None
    [(0, 1000), (1, None), (3, 1100), (4, 900)],  # withdrawn period ignored: prior 1000
    [(0, 400), (26, 450)],  # a raise: prior 400 (the page shows none, it is lower)
]


@pytest.fixture
def variants(seller: Seller) -> list[Variant]:
    found = []
    for n, history in enumerate(HISTORIES):
        variant = make_product(seller, f"Lamp {n}", prices={}).variants.get()
        for day, amount in history:
            with clock.frozen_at(T0 + day * DAY):
                if amount is None:
                    price_remove(actor=SYSTEM, variant=variant, currency="EUR")
                else:
                    price_set(actor=SYSTEM, variant=variant, currency="EUR", amount_minor=amount)
        found.append(variant)
    return found


@pytest.mark.django_db
def test_many_at_once_answer_as_one_by_one(variants: list[Variant]) -> None:
    with clock.frozen_at(T0 + 30 * DAY):
        batched = lowest_prior_prices(variant_ids=[v.pk for v in variants], currency="eur")
        single = {v.pk: lowest_prior_price(variant=v, currency="EUR") for v in variants}
    assert batched == single
    assert [batched[v.pk] for v in variants] == [800, 500, None, 1000, 400]


@pytest.mark.django_db
def test_three_queries_whatever_the_number_of_variants(
    variants: list[Variant], django_assert_num_queries
) -> None:
    with clock.frozen_at(T0 + 30 * DAY), django_assert_num_queries(3):
        lowest_prior_prices(variant_ids=[v.pk for v in variants], currency="EUR")
    with clock.frozen_at(T0 + 30 * DAY), django_assert_num_queries(3):
        lowest_prior_prices(variant_ids=[variants[0].pk], currency="EUR")


@pytest.mark.django_db
def test_no_variants_or_no_prices_in_the_currency(variants: list[Variant]) -> None:
    with clock.frozen_at(T0 + 30 * DAY):
        assert lowest_prior_prices(variant_ids=[], currency="EUR") == {}
        assert lowest_prior_prices(variant_ids=[v.pk for v in variants], currency="GBP") == {}
