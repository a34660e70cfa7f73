"""Request -> inspect -> list -> bought through the normal checkout -> ownership recorded, and
the bad inputs of each step."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from agora.accounts.services import actor_for_user
from agora.catalog.models import Product, Variant
from agora.circular.models import OwnershipRecord, ResaleRequest
from agora.circular.resale import channel, selectors
from agora.circular.resale.services import (
    resale_inspect,
    resale_list,
    resale_reject,
    resale_request_by_seller,
    resale_request_from_order,
)
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.extension_points import order_line_passport, passport_history
from agora.core.outbox import dispatch_pending
from agora.inventory.models import StockLevel
from agora.orders.models import Order
from tests.checkout.helpers import eu_shipping
from tests.circular.resale.conftest import buy, signed_in
from tests.conftest import SYSTEM

pytestmark = pytest.mark.django_db

INSPECTED_AT = datetime(2026, 1, 20, 10, tzinfo=UTC)  # 10 full months after 2025-03-10
CHECKS = {"screen": "pass", "battery": {"result": "pass", "note": "91% health"}, "case": "fail"}
PHOTO = "https://img.example.org/cup-1.jpg"
GTIN = "4012345000016"


def request_of(delivered) -> ResaleRequest:  # type: ignore[no-untyped-def]
    _browser, user, order = delivered
    return resale_request_from_order(
        actor=actor_for_user(user), user=user, order_id=order.public_id, line_no=1
    )


def test_resell_this_on_the_order_page_creates_a_request_with_the_purchase(delivered):  # type: ignore[no-untyped-def]
    browser, user, order = delivered
    page = browser.get(f"/orders/{order.public_id}/").content.decode()
    assert f"/orders/{order.public_id}/resell/" in page and "Resell this" in page

    r = browser.post(f"/orders/{order.public_id}/resell/", {"line": "1"})
    assert r.status_code == 302
    request = ResaleRequest.objects.get()
    line = order.lines.get()
    assert request.status == "requested" and request.origin == "buyer"
    assert request.requester == user and request.source_line == line and request.unit_no == 1
    assert request.original_product_id == line.variant.product.public_id
    assert request.purchased_on == date(2025, 3, 10)
    assert (request.price_paid_minor, request.currency) == (1299, "EUR")
    assert request.seller.slug == channel.CHANNEL_SLUG and request.seller.is_active
    assert request.requester_ref == channel.holder_ref(order.buyer_ref)  # pseudonymous
    assert request.requester_ref.startswith("holder-") and "user" not in request.requester_ref
    # the first holder is on record from the purchase date
    [first] = request.owners.all()
    assert (first.kind, first.acquired_on, first.order_id) == (
        "original",
        date(2025, 3, 10),
        order.public_id,
    )
    assert request.public_id in browser.get(f"/orders/{order.public_id}/").content.decode()


def test_the_request_carries_the_items_passport_when_one_is_known(delivered):  # type: ignore[no-untyped-def]
    link = "https://agora.example/01/04012345000016/21/SN-7"
    order_line_passport.register(
        lambda order_id, line_no: {"digital_link": link, "gtin": "4012345000016", "serial": "SN-7"},
        key="test.passport",
    )
    try:
        request = request_of(delivered)
    finally:
        order_line_passport.unregister("test.passport")
    assert (request.digital_link, request.gtin, request.serial) == (link, "04012345000016", "SN-7")


def test_inspect_grades_prices_and_sets_the_warranty(delivered, operator):  # type: ignore[no-untyped-def]
    request = request_of(delivered)
    with clock.frozen_at(INSPECTED_AT):
        request = resale_inspect(
            actor=operator, request=request, grade="B", checklist=CHECKS, photos=[PHOTO]
        )
    assert request.status == "inspected" and request.grade == "B"
    assert request.suggested_price_minor == request.price_minor == 1299 * 85 * 85 // 10_000
    assert request.warranty_months == 6
    assert request.checklist["battery"] == {"result": "pass", "note": "91% health"}
    assert request.checklist["case"] == {"result": "fail", "note": ""}
    assert request.photos == [PHOTO] and request.inspected_by == "ops@example.org"


def test_a_listing_is_bought_through_checkout_and_the_new_owner_is_recorded(delivered, operator):  # type: ignore[no-untyped-def]
    Variant.objects.filter(pk=delivered[2].lines.get().variant_id).update(gtin=GTIN)
    request = request_of(delivered)
    assert request.gtin == "0" + GTIN
    with clock.frozen_at(INSPECTED_AT):
        request = resale_inspect(actor=operator, request=request, grade="A", checklist=CHECKS)
        request = resale_list(actor=operator, request=request)
    product = Product.objects.get(pk=request.product_id)
    assert request.status == "listed" and product.status == "published"
    assert product.seller_id == request.seller_id
    assert product.attributes == {
        "condition": "used",
        "resale_grade": "A",
        "warranty_months": 12,
        "original_product": request.original_product_id,
        "purchase_date": "2025-03-10",
    }
    variant = request.variant
    assert variant.prices.get().amount_minor == request.price_minor
    assert StockLevel.objects.get(variant=variant).on_hand == 1

    eu_shipping(request.seller)
    bob, _ = signed_in("bob@example.org")
    with clock.frozen_at(datetime(2026, 2, 1, 12, tzinfo=UTC)):
        order = buy(bob, variant)
    assert order.seller_id == request.seller_id and order.status == Order.Status.PAID
    request.refresh_from_db()
    assert request.status == "sold"
    history = selectors.ownership_history(gtin=request.gtin, serial=None)
    assert [(h["kind"], h["since"]) for h in history] == [
        ("original", date(2025, 3, 10)),
        ("resale", date(2026, 2, 1)),
    ]
    assert history[1]["grade"] == "A" and history[0]["holder"] != history[1]["holder"]
    dispatch_pending()  # a redelivered order.paid adds nobody
    assert OwnershipRecord.objects.filter(request=request).count() == 2

    # the passport of the original GTIN shows the history (traceability.passport_history)
    assert "circular.resale" in passport_history.keys()  # noqa: SIM118
    page = bob.get(f"/passports/{GTIN}/").content.decode()
    owners = page[page.index('id="h-owners"') :]
    assert "bought new" in owners and "resold second hand (grade A)" in owners
    assert history[0]["holder"] in owners and history[1]["holder"] in owners
    assert "bob@example.org" not in owners


def test_a_grade_outside_a_b_c_is_refused_and_nothing_changes(delivered, operator):  # type: ignore[no-untyped-def]
    request = request_of(delivered)
    for bad in ("D", "a", ""):
        with pytest.raises(AgoraError) as caught:
            resale_inspect(actor=operator, request=request, grade=bad, checklist=CHECKS)
        assert caught.value.errors[0].field == "grade" and "A, B, C" in str(caught.value.errors[0])
    with pytest.raises(AgoraError, match="pass"):
        resale_inspect(actor=operator, request=request, grade="A", checklist={"screen": "ok"})
    with pytest.raises(AgoraError, match="https"):
        resale_inspect(
            actor=operator, request=request, grade="A", checklist=CHECKS, photos=["ftp://x/y"]
        )
    with pytest.raises(AgoraError, match="above the original"):
        resale_inspect(
            actor=operator, request=request, grade="A", checklist=CHECKS, price_minor=5000
        )
    request.refresh_from_db()
    assert request.status == "requested" and request.grade == ""


def test_reselling_an_item_you_did_not_buy_is_refused(delivered, world):  # type: ignore[no-untyped-def]
    _, _, order = delivered
    _, mallory = signed_in("mallory@example.org")
    with pytest.raises(AgoraError) as caught:
        resale_request_from_order(
            actor=actor_for_user(mallory), user=mallory, order_id=order.public_id, line_no=1
        )
    assert caught.value.problem.slug == "resale-not-yours"
    _, user, _ = delivered
    with pytest.raises(AgoraError, match="no line 9"):
        resale_request_from_order(
            actor=actor_for_user(user), user=user, order_id=order.public_id, line_no=9
        )
    assert not ResaleRequest.objects.exists()


def test_an_undelivered_order_cannot_be_resold(world):  # type: ignore[no-untyped-def]
    browser, user = signed_in("eve@example.org")
    order = buy(browser, world["cup"])
    with pytest.raises(AgoraError, match="once delivered"):
        resale_request_from_order(
            actor=actor_for_user(user), user=user, order_id=order.public_id, line_no=1
        )
    assert "Resell this" not in browser.get(f"/orders/{order.public_id}/").content.decode()


def test_a_unit_cannot_be_offered_or_listed_twice(delivered, operator):  # type: ignore[no-untyped-def]
    first, second = request_of(delivered), request_of(delivered)  # two cups were bought
    assert (first.unit_no, second.unit_no) == (1, 2)
    with pytest.raises(AgoraError) as caught:
        request_of(delivered)
    assert caught.value.problem.slug == "resale-already-requested"
    browser, _, order = delivered
    r = browser.post(f"/orders/{order.public_id}/resell/", {"line": "1"})
    assert "already offered for resale" in browser.get(r["Location"]).content.decode()

    resale_inspect(actor=operator, request=first, grade="C", checklist=CHECKS)
    resale_list(actor=operator, request=first)
    with pytest.raises(AgoraError) as caught:
        resale_list(actor=operator, request=first)
    assert caught.value.problem.slug == "resale-wrong-state" and "listed" in str(caught.value)
    assert Product.objects.filter(seller__slug=channel.CHANNEL_SLUG).count() == 1
    with pytest.raises(AgoraError, match="is requested"):
        resale_list(actor=operator, request=second)  # not inspected yet


def test_the_reseller_cannot_grade_their_own_item_and_a_rejected_item_is_not_listed(
    delivered, operator
):  # type: ignore[no-untyped-def]
    request = request_of(delivered)
    _, user, _ = delivered
    with pytest.raises(AgoraError, match="cannot inspect"):
        resale_inspect(actor=actor_for_user(user), request=request, grade="A", checklist=CHECKS)
    request = resale_reject(actor=operator, request=request, reason="cracked")
    with pytest.raises(AgoraError, match="rejected"):
        resale_list(actor=operator, request=request)


def test_a_seller_lists_its_own_used_goods(seller):  # type: ignore[no-untyped-def]
    eu_shipping(seller)
    from agora.inventory.services import location_create

    location_create(actor=SYSTEM, seller=seller, name="Back room", kind="store", country="DE")
    with clock.frozen_at(INSPECTED_AT):
        request = resale_request_by_seller(
            actor=SYSTEM,
            seller=seller,
            title="Demo espresso machine",
            currency="eur",
            original_price_minor=40_000,
            purchased_on=date(2025, 7, 1),
            gtin="4012345000016",
        )
        request = resale_inspect(actor=SYSTEM, request=request, grade="A", checklist=CHECKS)
        request = resale_list(actor=SYSTEM, request=request)
    assert request.product.seller_id == seller.pk and request.currency == "EUR"
    assert request.price_minor == 40_000 * (10_000 - 6 * 150) // 10_000  # 6 months, grade A
    assert request.gtin == "04012345000016"
    with pytest.raises(AgoraError, match="not a positive amount"):
        resale_request_by_seller(
            actor=SYSTEM, seller=seller, title="x", currency="EUR", original_price_minor=0
        )
