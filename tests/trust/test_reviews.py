"""Verified-purchase reviews: only a buyer whose order of the product was delivered may review
it, once (editing replaces it), with a rating of 1-5 and bounded plain text; the product page
shows it through the ``storefront.product_reviews`` extension point, escaped."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.core.models import OutboxEvent
from agora.marketplace.models import Seller
from agora.trust.models import Review
from tests.conftest import assert_problem, make_product, put_json
from tests.orders.factories import make_buyer, paid
from tests.trust.helpers import bought, signed_in

pytestmark = pytest.mark.django_db
BODY = {"rating": 4, "title": "Keeps tea hot", "body": "Arrived well packed."}


def review_url(product_id: str) -> str:
    return f"/api/v1/products/{product_id}/review"


def test_a_verified_buyer_reviews_once_and_edits(seller: Seller) -> None:
    product, buyer = bought(seller)
    client = signed_in(buyer)
    first = put_json(client, review_url(product.public_id), BODY)
    assert first.status_code == 200, first.content
    again = put_json(client, review_url(product.public_id), {**BODY, "rating": 2})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Review.objects.get().rating == 2  # edited, not a second review
    events = OutboxEvent.objects.filter(name="review.posted").order_by("id")
    assert [e.payload["edited"] for e in events] == [False, True]
    assert events[0].payload["product_id"] == product.public_id
    listed = Client().get(f"/api/v1/products/{product.public_id}/reviews").json()
    assert listed["count"] == 1 and listed["reviews"][0]["rating"] == 2


def test_others_are_refused_by_name(seller: Seller) -> None:
    product, _ = bought(seller)
    anonymous = put_json(Client(), review_url(product.public_id), BODY)
    assert_problem(anonymous, 403, "review-not-verified-purchase")
    stranger = put_json(signed_in(make_buyer()), review_url(product.public_id), BODY)
    body = assert_problem(stranger, 403, "review-not-verified-purchase")
    assert product.title in body["detail"]
    # paid but not delivered is not a verified purchase yet
    waiting = make_buyer()
    other = make_product(seller, "Teapot", sku="teapot", publish=True)
    paid(seller, buyer=waiting)
    refused = put_json(signed_in(waiting), review_url(other.public_id), BODY)
    assert_problem(refused, 403, "review-not-verified-purchase")
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": "x" * 5001}, "body"),
        ({"rating": 6}, "rating"),
        ({"rating": 0}, "rating"),
        ({"title": "t" * 121}, "title"),
        ({"body": "\x01\x02"}, "body"),  # nothing left once control characters are stripped
    ],
)
def test_huge_or_malformed_reviews_name_the_field(seller: Seller, change: dict, field: str) -> None:
    product, buyer = bought(seller)
    response = put_json(signed_in(buyer), review_url(product.public_id), {**BODY, **change})
    assert_problem(response, 422, field=field)
    assert not Review.objects.exists()


def test_the_page_form_says_what_is_wrong(seller: Seller) -> None:
    product, buyer = bought(seller)
    page = signed_in(buyer).post(
        f"/reviews/{product.public_id}/write/", {"rating": "9", "title": "ok", "body": "fine"}
    )
    assert page.status_code == 422
    assert "rating" in page.content.decode() and "give 1 to 5 stars" in page.content.decode()


def test_html_is_escaped_on_the_product_page(seller: Seller) -> None:
    product, buyer = bought(seller)
    client = signed_in(buyer)
    posted = client.post(
        f"/reviews/{product.public_id}/write/",
        {"rating": "5", "title": "<b>bold</b>", "body": "<script>alert(1)</script>\x07fine"},
    )
    assert posted.status_code == 302
    page = Client().get(f"/p/{product.public_id}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;fine" in page
    assert "<script>alert(1)" not in page and "<b>bold</b>" not in page
    assert "5 out of 5" in page
