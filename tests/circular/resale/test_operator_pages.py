"""The operator console's resale inspection pages: the queue by state, one request with its
purchase data and passport link, inspection (grade, checklist, photos, price) through the real
services, rejection and listing; refusals are shown on the page with the form kept."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from agora.accounts.services import actor_for_user
from agora.catalog.models import Product
from agora.circular.models import ResaleRequest
from agora.circular.resale.services import resale_request_from_order
from agora.core import clock
from agora.core.extension_points import order_line_passport
from tests.circular.resale.factories import own_goods
from tests.operator.data import operator

pytestmark = pytest.mark.django_db

INSPECTED_AT = datetime(2026, 1, 20, 10, tzinfo=UTC)  # 10 full months after 2025-03-10
LINK = "https://agora.example/01/04012345000016/21/SN-7"
PHOTO = "https://img.example.org/cup-1.jpg"


@pytest.fixture
def ops() -> Client:
    client = Client()
    client.force_login(operator())
    return client


@pytest.fixture
def item(delivered) -> ResaleRequest:  # type: ignore[no-untyped-def]
    """A buyer's cup sent to the platform resale seller, with its passport link."""
    _browser, user, order = delivered
    order_line_passport.register(
        lambda order_id, line_no: {"digital_link": LINK, "gtin": "4012345000016"},
        key="test.resale.pages",
    )
    try:
        return resale_request_from_order(
            actor=actor_for_user(user), user=user, order_id=order.public_id, line_no=1
        )
    finally:
        order_line_passport.unregister("test.resale.pages")


def detail(item: ResaleRequest) -> str:
    return reverse("admin:operator_resale_detail", args=[item.public_id])


def page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def inspection(**changes: str) -> dict[str, str]:
    form = {
        "action": "inspect",
        "grade": "B",
        "check_function": "pass",
        "check_cosmetic": "fail",
        "note_cosmetic": "chipped rim",
        "check_complete": "",
        "photos": f"{PHOTO}\n",
        "price": "",
    }
    form.update(changes)
    return form


def test_the_queue_lists_requests_by_state_and_the_index_links_it(ops: Client, item) -> None:  # type: ignore[no-untyped-def]
    assert reverse("admin:operator_resale") in ops.get(reverse("admin:index")).content.decode()
    queue = page(ops.get(reverse("admin:operator_resale")))  # default: waiting for inspection
    assert item.public_id in queue and detail(item) in queue and "Cup" in queue
    assert "Agora Second Hand" in queue and "requested</a> (1)" in queue
    listed = page(ops.get(reverse("admin:operator_resale") + "?status=listed"))
    assert item.public_id not in listed and "No resale request in this state." in listed


def test_the_detail_shows_the_purchase_and_an_inspection_lists_the_item(ops: Client, item) -> None:  # type: ignore[no-untyped-def]
    body = page(ops.get(detail(item)))
    assert "Cup" in body and "10 Mar 2025" in body and "€12.99" in body
    assert f'href="{LINK}"' in body and 'name="grade" value="C"' in body
    assert "Cosmetic condition" in body  # the fixed checklist

    with clock.frozen_at(INSPECTED_AT):
        r = ops.post(detail(item), inspection())
    assert r.status_code == 302 and r["Location"] == detail(item)
    item.refresh_from_db()
    assert (item.status, item.grade, item.warranty_months) == ("inspected", "B", 6)
    assert item.price_minor == item.suggested_price_minor == 1299 * 85 * 85 // 10_000
    assert item.checklist == {
        "function": {"result": "pass", "note": ""},
        "cosmetic": {"result": "fail", "note": "chipped rim"},
    }
    assert item.photos == [PHOTO] and item.inspected_by == "ops@example.invalid"
    body = page(ops.get(detail(item)))
    assert "Inspected" in body and "6 months warranty" in body and "€9.38" in body
    assert 'id="resale-list"' in body

    r = ops.post(detail(item), {"action": "list"})
    assert r.status_code == 302
    item.refresh_from_db()
    product = Product.objects.get(pk=item.product_id)
    assert item.status == "listed" and product.status == "published"
    assert product.seller.slug == "agora-resale"
    assert f"/p/{product.public_id}/" in page(ops.get(detail(item)))
    assert item.public_id in page(ops.get(reverse("admin:operator_resale") + "?status=listed"))


def test_a_price_override_is_used(ops: Client, item) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen_at(INSPECTED_AT):
        assert ops.post(detail(item), inspection(grade="A", price="11.00")).status_code == 302
    item.refresh_from_db()
    assert (item.price_minor, item.suggested_price_minor) == (1100, 1299 * 85 // 100)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"grade": "D"}, "'D' is not a grade; use one of A, B, C"),
        ({"photos": "http://img.example.org/cup.jpg"}, "is not an https link"),
        ({"price": "13.00"}, "1300 is above the original price 1299"),
        ({"price": "twelve"}, "'twelve' is not an amount in EUR"),
        ({"check_function": "", "check_cosmetic": ""}, "give at least one checked item"),
    ],
)
def test_bad_inspection_input_is_shown_and_the_form_kept(
    ops: Client,
    item,  # type: ignore[no-untyped-def]
    changes: dict[str, str],
    message: str,
) -> None:
    r = ops.post(detail(item), inspection(**changes))
    assert r.status_code == 400
    body = page(r)
    assert message in body
    assert PHOTO in body or "http://img.example.org/cup.jpg" in body  # posted photos kept
    if "check_cosmetic" not in changes:
        assert 'value="chipped rim"' in body  # the posted note is kept
    item.refresh_from_db()
    assert item.status == "requested" and item.grade == ""


def test_reject_needs_a_reason_and_a_rejected_item_cannot_be_listed(ops: Client, item) -> None:  # type: ignore[no-untyped-def]
    r = ops.post(detail(item), {"action": "reject", "reason": "  "})
    assert r.status_code == 400 and "say why the item is not listed" in page(r)
    assert '<li class="error">Reason: say why' in page(r)  # shown as an error message
    r = ops.post(detail(item), {"action": "reject", "reason": "cracked handle"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == "rejected"
    body = page(ops.get(detail(item)))
    assert 'id="resale-inspect"' not in body and 'id="resale-list"' not in body
    r = ops.post(detail(item), {"action": "list"})
    assert r.status_code == 400 and "is rejected; this step needs inspected" in page(r)


def test_operators_may_act_on_a_sellers_own_goods_and_unknown_ids_go_back(
    ops: Client, seller
) -> None:  # type: ignore[no-untyped-def]
    mine = own_goods(seller)
    with clock.frozen_at(INSPECTED_AT):
        assert ops.post(detail(mine), inspection(grade="A")).status_code == 302
    mine.refresh_from_db()
    assert mine.price_minor == 40_000 * (10_000 - 6 * 150) // 10_000
    r = ops.get(reverse("admin:operator_resale_detail", args=["rsr_nope"]))
    assert r.status_code == 302 and r["Location"] == reverse("admin:operator_resale")


def test_a_non_staff_user_is_refused(item) -> None:  # type: ignore[no-untyped-def]
    _, user, _ = (None, item.requester, None)
    client = Client()
    client.force_login(user)
    for url in (reverse("admin:operator_resale"), detail(item)):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("admin:login"))
    r = client.post(detail(item), inspection())
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == "requested"
