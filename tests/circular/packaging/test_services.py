"""Reusable packaging services: types copy their cited figures, a package travels with one
shipment at a time, a delivered shipment reaches its packages through ``shipment.updated``,
and the return of the empty package refunds the deposit exactly once and counts the loop."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from agora.accounts.services import actor_for_user
from agora.circular.models import PackagingUse, ReusablePackage
from agora.circular.packaging.calc import avoided_kg
from agora.circular.packaging.services import (
    package_retire,
    packaging_return,
    packaging_ship,
)
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.models import OutboxEvent
from agora.core.outbox import dispatch_pending
from agora.fulfillment.services import shipment_mark_delivered, shipment_update
from tests.circular.packaging.conftest import make_type, shipment_for
from tests.conftest import SYSTEM, make_seller
from tests.orders.factories import make_buyer

pytestmark = pytest.mark.django_db


def test_type_copies_the_cited_figures(mailer):
    assert mailer.single_use_kg_co2e == Decimal("0.200")
    assert "200-400 grams" in mailer.single_use_source
    assert mailer.loop_kg_co2e == Decimal("0.037")
    assert mailer.deposit_minor == 350 and mailer.currency == "EUR"


def test_type_with_an_unknown_factor_or_an_uncited_manufacture_is_refused(green_seller):
    with pytest.raises(AgoraError) as exc:
        make_type(green_seller, single_use_key="magic_bag")
    assert exc.value.problem.slug == "packaging-factor-unknown" and "magic_bag" in exc.value.detail
    with pytest.raises(AgoraError) as exc:
        make_type(green_seller, name="Box", manufacture_kg_co2e="1.2")
    assert [e.field for e in exc.value.errors] == ["manufacture_source"]
    with pytest.raises(AgoraError):
        make_type(green_seller, name="Bag", single_use_key="reusable_mailer_letter_return")


def test_ship_links_the_shipment_and_the_buyer_owes_the_package(package, shipment):
    use = packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
    assert use.shipment_public_id == shipment.public_id
    assert use.order_public_id == shipment.order.public_id
    assert use.buyer_id == shipment.order.buyer_id
    # the buyer chose no deposit at checkout, so this trip carries none (test_deposit.py: one did)
    assert (use.deposit_minor, use.currency, use.state) == (0, "EUR", "out")
    assert ReusablePackage.objects.get(pk=package.pk).state == "out"
    assert OutboxEvent.objects.filter(name="packaging.shipped").count() == 1


def test_a_package_out_cannot_go_with_a_second_shipment(package, shipment, green_seller):
    packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
    other = shipment_for(green_seller)
    with pytest.raises(AgoraError) as exc:
        packaging_ship(actor=SYSTEM, package=package, shipment_public_id=other.public_id)
    assert exc.value.problem.slug == "packaging-in-use"
    assert PackagingUse.objects.count() == 1


def test_another_sellers_shipment_is_not_found(package):
    stranger = shipment_for(make_seller("elsewhere"))
    with pytest.raises(AgoraError) as exc:
        packaging_ship(actor=SYSTEM, package=package, shipment_public_id=stranger.public_id)
    assert exc.value.problem.slug == "not-found"
    assert not PackagingUse.objects.exists()


def test_a_buyer_cannot_take_back_their_own_deposit(package, shipment):
    use = packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
    buyer = actor_for_user(shipment.order.buyer)
    with pytest.raises(AgoraError) as exc:
        packaging_return(actor=buyer, use=use, via="courier")
    assert exc.value.problem.slug == "forbidden"
    assert PackagingUse.objects.get(pk=use.pk).refunded_at is None


def test_delivered_shipment_reaches_its_package_through_the_event(package, shipment):
    use = packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
    shipment_update(actor=SYSTEM, shipment=shipment, status="shipped")
    shipment_mark_delivered(actor=SYSTEM, shipment=shipment)
    dispatch_pending()
    assert PackagingUse.objects.get(pk=use.pk).delivered_at is not None


def test_return_refunds_once_and_a_second_refund_is_a_clear_error(package, shipment):
    use = packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
    back = packaging_return(actor=SYSTEM, use=use, via="pickup_point")
    assert back.state == "returned" and back.refunded_at == clock.now()
    assert back.returned_via == "pickup_point"
    # hand check: 0.200 single-use mailer - 0.037 letter return = 0.163 kg CO2e per loop
    assert back.kg_co2e_avoided == Decimal("0.1630")
    assert ReusablePackage.objects.get(pk=package.pk).loops == 1
    with pytest.raises(AgoraError) as exc:
        packaging_return(actor=SYSTEM, use=use, via="courier")
    assert exc.value.problem.slug == "packaging-deposit-refunded"
    assert exc.value.problem.status == 409 and "returned already" in exc.value.detail
    assert ReusablePackage.objects.get(pk=package.pk).loops == 1
    assert OutboxEvent.objects.filter(name="packaging.returned").count() == 1
    assert PackagingUse.objects.get(pk=use.pk).returned_via == "pickup_point"


def test_the_database_refuses_a_refund_without_a_return_channel(package, shipment):
    use = packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        PackagingUse.objects.filter(pk=use.pk).update(state="returned", refunded_at=clock.now())


def test_loops_count_over_trips_and_avoided_emissions_add_up(package, green_seller):
    for _ in range(3):
        shipment = shipment_for(green_seller, buyer=make_buyer())
        use = packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
        packaging_return(actor=SYSTEM, use=use, via="courier")
    assert ReusablePackage.objects.get(pk=package.pk).loops == 3
    total = sum(u.kg_co2e_avoided for u in PackagingUse.objects.filter(package=package))
    assert total == Decimal("0.4890")  # 3 x (0.200 - 0.037)
    assert avoided_kg(loops=3, single_use_kg=Decimal("0.2"), loop_kg=Decimal("0.037")) == total


def test_cited_manufacture_is_spread_over_expected_loops(green_seller):
    box = make_type(
        green_seller,
        name="Reusable box",
        single_use_key="single_use_cardboard_box",
        expected_loops=20,
        manufacture_kg_co2e="1.0",
        manufacture_source="Supplier EPD no. 123, 2025",
    )
    # 0.100 cardboard - (0.037 + 1.0 / 20) = 0.013 kg per loop; x 10 loops = 0.13
    assert avoided_kg(
        loops=10,
        single_use_kg=box.single_use_kg_co2e,
        loop_kg=box.loop_kg_co2e,
        manufacture_kg=box.manufacture_kg_co2e,
        expected_loops=box.expected_loops,
    ) == Decimal("0.1300")


def test_retired_package_cannot_ship_and_out_package_cannot_retire(package, shipment):
    use = packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
    with pytest.raises(AgoraError) as exc:
        package_retire(actor=SYSTEM, package=package)
    assert exc.value.problem.slug == "packaging-in-use"
    packaging_return(actor=SYSTEM, use=use, via="courier")
    package_retire(actor=SYSTEM, package=package)
    with pytest.raises(AgoraError) as exc:
        packaging_ship(actor=SYSTEM, package=package, shipment_public_id=shipment.public_id)
    assert exc.value.problem.slug == "packaging-retired"
