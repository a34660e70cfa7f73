"""orders.bulk: the bulk writes of orders run only inside the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from agora.core.bulk import BulkOutsideTransaction
from agora.orders.bulk import ImportedReturn, orders_import_bulk, returns_import_bulk
from agora.orders.models import Order
from tests.conftest import make_seller


@pytest.fixture
def shop(db):
    return make_seller("shop", country="GB", currency="GBP")


@pytest.mark.django_db(transaction=True)  # no test-case transaction around the calls
def test_bulk_writes_refuse_to_run_outside_a_transaction():
    shop = make_seller("shop", country="GB", currency="GBP")
    with pytest.raises(BulkOutsideTransaction, match="orders_import_bulk"):
        orders_import_bulk(
            seller=shop, currency="GBP", sales=[], existing={}, buyer_ids={}, products={}
        )
    with pytest.raises(BulkOutsideTransaction, match="returns_import_bulk"):
        returns_import_bulk(seller=shop, returns=[], buyer_ids={})


def test_a_return_without_any_earlier_line_is_handed_back_and_writes_nothing(shop):
    row = ImportedReturn("C1", 1, "A", 1, datetime(2011, 1, 3, tzinfo=UTC), "ann@example.invalid")
    with transaction.atomic():
        booked, unmatched = returns_import_bulk(
            seller=shop, returns=[row], buyer_ids={"ann@example.invalid": 1}
        )
    assert (booked, unmatched) == (0, [row])
    assert not Order.objects.exists()
