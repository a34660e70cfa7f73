"""What scripts/api-fuzz (schemathesis) found, kept as plain tests so it cannot come back."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts.services import actor_for_api_key
from agora.core.errors import AgoraError
from agora.marketplace.models import Seller
from agora.webhooks.models import WebhookEndpoint
from agora.webhooks.services import webhook_endpoint_update
from tests.conftest import assert_problem, post_json
from tests.webhooks.test_delivery import app_endpoint

# Buyer endpoints check CSRF on unsafe methods, which makes Django parse a form body.
BUYER_POSTS = ["/api/v1/trade-ins/tri_x/cancel", "/api/v1/rentals/bookings/0/cancel"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", BUYER_POSTS)
def test_multipart_without_boundary_is_400_not_500(path: str) -> None:
    """`Content-Type: multipart/form-data` with no boundary crashed the CSRF check (500)."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        path, b"{}", content_type="multipart/form-data", HTTP_X_CSRFTOKEN="a" * 32
    )
    body = assert_problem(response, 400, "malformed-request")
    assert "multipart" in body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/nothing\n", "/api/v1/trace/bundle/image/q%0A"])
def test_unknown_path_with_a_newline_is_a_problem_not_html(path: str) -> None:
    """The catch-all route's `.` did not match a newline, so Django's HTML 404 answered."""
    assert_problem(Client().get(path), 404, "not-found")


@pytest.mark.django_db
@pytest.mark.parametrize("currency", ["\u00e7\u000f\u00e7", "ZZZ", "12"])
def test_payout_in_an_unknown_currency_is_422_naming_it(
    seller: Seller, api: Client, currency: str
) -> None:
    """`{"currency": "ç\\x0fç"}` reached Money() and crashed (500) instead of being refused."""
    response = post_json(api, "/api/v1/seller/payouts", {"currency": currency})
    assert_problem(response, 422, field="currency")


@pytest.mark.django_db
def test_changing_an_endpoint_deleted_meanwhile_is_not_found() -> None:
    """A PATCH that lost the race with a DELETE of the same endpoint (two requests at once):
    404 like one that came after it, not a 500."""
    endpoint = app_endpoint(["orders:read"])
    actor = actor_for_api_key(endpoint.api_key)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()  # the other request's DELETE
    with pytest.raises(AgoraError) as caught:
        webhook_endpoint_update(actor=actor, endpoint=endpoint, changes={"description": ""})
    assert caught.value.problem.status == 404 and endpoint.public_id in caught.value.detail
