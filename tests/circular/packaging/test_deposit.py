"""The packaging deposit is real money, with the buyer's consent: checkout offers reusable
packaging only for sellers who have a package to send, ticking it charges the deposit to the
order's card (a payments hold) once the order is paid, a 3-D Secure card's deposit is declined
while the order stays paid, the return refunds it to the card exactly once, and the daily sweep
refunds a deposit no package used and keeps the deposit of a package not returned in time.
Every step goes through the real pages, services and test provider; the ledger stays
balanced."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import TestCase

from agora.circular.models import PackagingChoice, PackagingUse
from agora.circular.packaging.deposits import packaging_charge_due, packaging_deposit_sweep
from agora.circular.packaging.handlers import PAID_HANDLER_NAME, _enqueue_charge
from agora.circular.packaging.selectors import reusable_offer
from agora.circular.packaging.services import (
    package_retire,
    packages_add,
    packaging_delivered,
    packaging_return,
    packaging_ship,
)
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.models import EventDelivery
from agora.core.outbox import dispatch_pending
from agora.fulfillment.services import shipment_mark_delivered, shipment_update
from agora.orders.models import Order
from agora.payments.providers.teststate import TestProviderCharge
from agora.payments.selectors import seller_balance, unbalanced_transactions
from tests.circular.packaging.conftest import bought_in_reusable_packaging, make_type
from tests.conftest import SYSTEM
from tests.orders.factories import ship_all
from tests.storefront.buying import CARD_3DS, CARD_OK

pytestmark = pytest.mark.django_db
DEPOSIT = 350


@pytest.fixture
def packaging(seller):  # type: ignore[no-untyped-def]
    """The seller's reusable mailer (EUR 3.50 deposit) with two packages on the shelf."""
    ptype = make_type(seller)
    return ptype, packages_add(actor=SYSTEM, ptype=ptype, count=2)


def deposit_charge() -> TestProviderCharge:
    return TestProviderCharge.objects.get(amount_minor=DEPOSIT)


def paid_with_deposit(seller) -> tuple[object, Order, PackagingChoice]:  # type: ignore[no-untyped-def]
    browser, _buyer, response = bought_in_reusable_packaging(seller, CARD_OK)
    assert response.status_code == 302 and response["Location"].endswith("/done/")
    order = Order.objects.get(seller=seller)
    return browser, order, PackagingChoice.objects.get(order_public_id=order.public_id)


def delivered_shipment(order: Order):  # type: ignore[no-untyped-def]
    shipment = ship_all(order)
    shipment_update(actor=SYSTEM, shipment=shipment, status="shipped")
    shipment_mark_delivered(actor=SYSTEM, shipment=shipment)
    return shipment


def test_checkout_offers_reusable_packaging_only_for_sellers_who_have_it(
    seller, other_seller, packaging
):
    from tests.checkout.flow_helpers import setup_two_sellers
    from tests.storefront.buying import Browser

    world = setup_two_sellers(seller, other_seller)
    browser = Browser()
    assert browser.add(world["cup"], 1).status_code == 302
    assert browser.add(world["pot"], 1).status_code == 302
    assert browser.give_address().status_code == 302
    page = browser.get("/checkout/").content.decode()
    assert page.count("Ship in reusable packaging: €3.50 deposit") == 1
    assert f'name="reusable_{seller.public_id}"' in page
    assert f'name="reusable_{other_seller.public_id}"' not in page
    # no package on the shelf (all retired): no offer
    for package in packaging[1]:
        package_retire(actor=SYSTEM, package=package)
    assert reusable_offer(seller.public_id) is None
    assert "reusable packaging" not in browser.get("/checkout/").content.decode()


def test_opting_in_charges_the_deposit_to_the_card_after_payment(seller, packaging):
    browser, order, choice = paid_with_deposit(seller)
    assert order.status == "paid"
    assert (choice.status, choice.deposit_minor, choice.currency) == ("held", DEPOSIT, "EUR")
    charge = deposit_charge()
    assert (charge.status, charge.captured_minor) == ("captured", DEPOSIT)
    # the order's own charge is separate and unchanged
    assert TestProviderCharge.objects.get(amount_minor=order.total_minor).captured_minor == (
        order.total_minor
    )
    page = browser.get(f"/orders/{order.public_id}/").content.decode()
    assert "Reusable packaging deposit" in page and "€3.50: Deposit paid" in page
    assert unbalanced_transactions() == []


def test_not_ticking_the_box_charges_nothing(seller, packaging):
    _browser, _buyer, response = bought_in_reusable_packaging(seller, CARD_OK, opt_in=False)
    assert response.status_code == 302
    assert not PackagingChoice.objects.exists()
    assert TestProviderCharge.objects.count() == 1


def test_a_3ds_cards_deposit_is_declined_and_the_order_stays_paid(seller, packaging):
    browser, _buyer, response = bought_in_reusable_packaging(seller, CARD_3DS)
    assert response.status_code == 302 and response["Location"].endswith("/3ds/")
    choice = PackagingChoice.objects.get()
    assert choice.status == "pending"  # chosen, not charged before the order is paid
    approved = browser.post(response["Location"], {"result": "pass"})
    assert approved.status_code == 302 and approved["Location"].endswith("/done/")
    order = Order.objects.get()
    assert order.status == "paid"
    with TestCase.captureOnCommitCallbacks() as callbacks:
        dispatch_pending()  # order.paid reaches the packaging handler
    assert EventDelivery.objects.filter(handler=PAID_HANDLER_NAME, status="done").exists()
    assert _enqueue_charge in callbacks  # the charge runs after the commit, outside it
    assert packaging_charge_due() == 1  # what the enqueued task runs
    choice.refresh_from_db()
    assert choice.status == "declined"
    assert choice.decline_reason.startswith("authentication_required")
    assert not TestProviderCharge.objects.filter(amount_minor=DEPOSIT, captured_minor__gt=0)
    page = browser.get(f"/orders/{order.public_id}/").content.decode()
    assert "Deposit declined" in page and "3-D Secure" in page
    assert Order.objects.get().status == "paid"
    assert unbalanced_transactions() == []


def test_the_return_refunds_the_deposit_to_the_card_once(seller, packaging):
    _browser, order, choice = paid_with_deposit(seller)
    shipment = delivered_shipment(order)
    use = packaging_ship(
        actor=SYSTEM, package=packaging[1][0], shipment_public_id=shipment.public_id
    )
    assert use.deposit_minor == DEPOSIT
    choice.refresh_from_db()
    assert (choice.status, choice.use_id) == ("used", use.pk)
    packaging_return(actor=SYSTEM, use=use, via="pickup_point")
    choice.refresh_from_db()
    assert choice.status == "refunded" and choice.settled_at is not None
    assert deposit_charge().refunded_minor == DEPOSIT
    with pytest.raises(AgoraError) as exc:
        packaging_return(actor=SYSTEM, use=use, via="courier")
    assert exc.value.problem.slug == "packaging-deposit-refunded"
    assert "refunded already" in exc.value.detail and "3.50 EUR" in exc.value.detail
    assert deposit_charge().refunded_minor == DEPOSIT
    assert unbalanced_transactions() == []


def test_a_deposit_no_package_used_is_released_by_the_sweep(seller, packaging):
    _browser, order, choice = paid_with_deposit(seller)
    delivered_shipment(order)  # shipped in ordinary packaging
    assert Order.objects.get(pk=order.pk).delivered_at is not None
    with clock.frozen_at(clock.now() + timedelta(days=6)):
        assert packaging_deposit_sweep().released == 0
    with clock.frozen_at(clock.now() + timedelta(days=8)):
        report = packaging_deposit_sweep()
    assert (report.released, report.settled) == (1, 1)
    choice.refresh_from_db()
    assert choice.status == "released" and choice.settled_at is not None
    assert deposit_charge().refunded_minor == DEPOSIT
    assert packaging_deposit_sweep().settled == 0  # nothing left to do, nothing paid twice
    assert deposit_charge().refunded_minor == DEPOSIT
    assert unbalanced_transactions() == []


def test_a_package_not_returned_in_time_keeps_the_deposit_for_the_seller(seller, packaging):
    _browser, order, choice = paid_with_deposit(seller)
    shipment = ship_all(order)
    use = packaging_ship(
        actor=SYSTEM, package=packaging[1][0], shipment_public_id=shipment.public_id
    )
    packaging_delivered(shipment_public_id=shipment.public_id, at=clock.now())
    before = seller_balance(seller=seller, currency="EUR").payable_minor
    with clock.frozen_at(clock.now() + timedelta(days=59)):
        assert packaging_deposit_sweep().kept == 0
    with clock.frozen_at(clock.now() + timedelta(days=61)):
        report = packaging_deposit_sweep()
    assert (report.kept, report.settled) == (1, 1)
    choice.refresh_from_db()
    assert choice.status == "kept" and choice.settled_at is not None
    assert deposit_charge().refunded_minor == 0
    gained = seller_balance(seller=seller, currency="EUR").payable_minor - before
    assert 0 < gained <= DEPOSIT  # the deposit less the platform's commission
    assert PackagingUse.objects.get(pk=use.pk).state == "out"
    assert unbalanced_transactions() == []


def test_choosing_for_an_order_of_another_seller_is_refused(seller, other_seller, packaging):
    from agora.circular.packaging.deposits import packaging_choose

    _browser, order, _choice = paid_with_deposit(seller)
    foreign = make_type(other_seller)
    with pytest.raises(AgoraError) as exc:
        packaging_choose(actor=SYSTEM, order_public_id=order.public_id, ptype=foreign)
    assert [e.field for e in exc.value.errors] == ["packaging_type"]
    assert re.search(r"not a packaging type of", exc.value.detail)


def test_the_deposit_sweep_is_scheduled_daily():
    from agora.core import schedule

    job = {j.name: j for j in schedule.jobs()}["circular.packaging_deposit_sweep"]
    assert job.every == timedelta(days=1)
    assert job.task.module_path.endswith("packaging_deposit_sweep_task")
