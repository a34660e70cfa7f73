"""The seller center's resale pages: the seller's requests by state, offering its own used
goods, inspecting, rejecting and listing them through the real services, the platform resale
seller's staff handling the items buyers send in, and the revenue of sold units."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest

from agora.accounts.services import actor_for_user
from agora.circular.models import ResaleRequest
from agora.circular.resale import channel
from agora.circular.resale.services import resale_request_from_order
from agora.core import clock
from agora.marketplace.models import SellerStaff
from tests.checkout.helpers import eu_shipping
from tests.circular.resale.conftest import buy, signed_in
from tests.circular.resale.factories import own_goods
from tests.sellercenter.helpers import staff_client

pytestmark = pytest.mark.django_db

INSPECTED_AT = datetime(2026, 1, 20, 10, tzinfo=UTC)  # 6 full months after 2025-07-01
PHOTO = "https://img.example.org/machine-1.jpg"
OFFER = {
    "title": "Demo espresso machine",
    "currency": "EUR",
    "price": "400.00",
    "purchased_on": "2025-07-01",
    "gtin": "",
}


def page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def url(item: ResaleRequest) -> str:
    return f"/seller/resale/{item.public_id}/"


def inspect_form(**changes: str) -> dict[str, str]:
    form = {
        "action": "inspect",
        "grade": "A",
        "check_function": "pass",
        "check_safety": "pass",
        "note_safety": "cable fine",
        "photos": PHOTO,
        "price": "",
    }
    form.update(changes)
    return form


def test_offer_inspect_and_list_own_used_goods(world, seller) -> None:  # type: ignore[no-untyped-def]
    owner = staff_client(seller)
    body = page(owner.get("/seller/resale/"))
    assert 'href="/seller/resale/" aria-current="page"' in body  # the nav entry
    assert "No resale requests here." in body and "No resale unit sold yet." in body

    r = owner.post("/seller/resale/new/", OFFER)
    item = ResaleRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == url(item)
    assert (item.origin, item.seller, item.price_paid_minor) == ("seller", seller, 40_000)
    assert item.requester is None and str(item.purchased_on) == "2025-07-01"

    with clock.frozen_at(INSPECTED_AT):
        assert owner.post(url(item), inspect_form()).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.grade, item.warranty_months) == ("inspected", "A", 12)
    assert item.price_minor == 40_000 * (10_000 - 6 * 150) // 10_000
    assert item.checklist["safety"] == {"result": "pass", "note": "cable fine"}
    body = page(owner.get(url(item)))
    assert "€364.00" in body and "12 months warranty" in body and PHOTO in body

    assert owner.post(url(item), {"action": "list"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "listed" and item.product.seller == seller
    assert item.product.status == "published"
    listed = page(owner.get("/seller/resale/?status=listed"))
    assert item.public_id in listed and "Demo espresso machine" in listed
    assert "listed</a> (1)" in listed and "requested</a> (0)" in listed


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price": "abc"}, "'abc' is not an amount in EUR"),
        ({"price": "0"}, "0 is not a positive amount"),
        ({"currency": "XX"}, "currency: "),
        ({"purchased_on": "10/03/2025"}, "'10/03/2025' is not a date like 2025-03-10"),
        ({"title": "   "}, "title: must not be empty"),
    ],
)
def test_a_bad_offer_is_refused_with_the_form_kept(
    seller,
    changes: dict[str, str],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    owner = staff_client(seller)
    r = owner.post("/seller/resale/new/", {**OFFER, **changes})
    assert r.status_code == 422
    body = page(r)
    assert message in body
    assert 'value="2025-07-01"' in body or "purchased_on" in changes  # kept
    assert not ResaleRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"grade": "D"}, "grade: 'D' is not a grade; use one of A, B, C"),
        (
            {"photos": "http://img.example.org/x.jpg"},
            "'http://img.example.org/x.jpg' is not an https link",
        ),
        ({"price": "400.01"}, "40001 is above the original price 40000"),
        ({"check_function": "broken"}, "is not 'pass', 'fail'"),
    ],
)
def test_bad_inspection_input_is_shown_and_nothing_changes(
    seller,
    changes: dict[str, str],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    item = own_goods(seller)
    owner = staff_client(seller)
    r = owner.post(url(item), inspect_form(**changes))
    assert r.status_code == 422
    body = page(r)
    assert message in body and 'value="cable fine"' in body
    item.refresh_from_db()
    assert item.status == "requested" and item.grade == ""


def test_reject_with_a_reason_and_the_wrong_step_is_explained(seller) -> None:  # type: ignore[no-untyped-def]
    item = own_goods(seller)
    owner = staff_client(seller)
    r = owner.post(url(item), {"action": "list"})
    assert r.status_code == 422 and "is requested; this step needs inspected" in page(r)
    r = owner.post(url(item), {"action": "reject", "reason": ""})
    assert r.status_code == 422 and "say why the item is not listed" in page(r)
    assert owner.post(url(item), {"action": "reject", "reason": "motor dead"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "rejected"


def test_another_sellers_request_is_a_404_and_a_clerk_cannot_inspect(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    theirs = own_goods(other_seller)
    owner = staff_client(seller)
    assert owner.get(url(theirs)).status_code == 404
    assert owner.post(url(theirs), inspect_form()).status_code == 404
    assert theirs.public_id not in page(owner.get("/seller/resale/"))
    mine = own_goods(seller)
    clerk = staff_client(seller, SellerStaff.Role.FULFILMENT)
    r = clerk.post(url(mine), inspect_form())
    assert r.status_code == 403
    mine.refresh_from_db()
    assert mine.status == "requested"


def test_the_platform_resale_seller_handles_buyers_items_and_sees_the_revenue(
    delivered,  # type: ignore[no-untyped-def]
) -> None:
    _browser, user, order = delivered
    item = resale_request_from_order(
        actor=actor_for_user(user), user=user, order_id=order.public_id, line_no=1
    )
    platform = channel.platform_seller()
    desk = staff_client(platform)
    body = page(desk.get("/seller/resale/"))
    assert item.public_id in body and "a buyer's item" in body and "Cup" in body
    with clock.frozen_at(INSPECTED_AT):
        assert desk.post(url(item), inspect_form(grade="B")).status_code == 302
        assert desk.post(url(item), {"action": "list"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "listed"
    eu_shipping(platform)
    bob, _ = signed_in("bob@example.org")
    with clock.frozen_at(datetime(2026, 2, 1, 12, tzinfo=UTC)):
        buy(bob, item.variant)
    item.refresh_from_db()
    assert item.status == "sold"
    body = page(desk.get("/seller/resale/"))
    figure = body[body.index('id="resale-revenue"') :]
    assert f"€{item.price_minor / 100:.2f}" in figure[:400] and "1 unit sold" in figure[:400]
