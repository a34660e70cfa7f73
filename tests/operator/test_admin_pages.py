"""Every admin page an operator uses renders with data present, in a number of queries that does
not grow with the rows; non-staff users are turned away."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agora.accounts.models import User
from tests.operator.data import operator, populate

pytestmark = pytest.mark.django_db

# A changelist costs the session, the user, a count or two, the rows, and one query per related
# filter; with every foreign key in list_display joined, that stays the same for any row count.
MAX_CHANGELIST_QUERIES = 14


def _models() -> list[type]:
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


def _changelist(model: type) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.fixture
def ops() -> Client:
    client = Client()
    client.force_login(operator())
    return client


def test_every_changelist_renders_in_a_constant_number_of_queries(ops: Client) -> None:
    populate()
    first = {m: _queries(ops, _changelist(m)) for m in _models()}
    populate()
    populate()
    for model in _models():
        again = _queries(ops, _changelist(model))
        assert model.objects.count() >= 1, f"{model._meta.label} has no rows to show"
        assert again <= first[model], f"{model._meta.label}: {first[model]} → {again} queries"
        assert again <= MAX_CHANGELIST_QUERIES, f"{model._meta.label}: {again} queries"


def test_every_change_page_and_add_page_renders(ops: Client) -> None:
    populate()
    for model, model_admin in admin.site._registry.items():
        obj = model.objects.order_by("pk").first()
        assert obj is not None, f"{model._meta.label} has no rows"
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        response = ops.get(reverse(f"{info}_change", args=[obj.pk]))
        assert response.status_code == 200, model._meta.label
        if model_admin.has_add_permission(response.wsgi_request):
            response = ops.get(reverse(f"{info}_add"))
            assert response.status_code == 200, model._meta.label


def test_secrets_are_never_shown(ops: Client) -> None:
    from agora.webhooks.models import WebhookEndpoint

    populate()
    endpoint = WebhookEndpoint.objects.first()
    page = ops.get(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]))
    assert endpoint.secret not in page.content.decode()


def test_index_links_the_operator_pages(ops: Client) -> None:
    page = ops.get(reverse("admin:index")).content.decode()
    assert reverse("admin:operator_applications") in page
    assert reverse("admin:operator_sales") in page


@pytest.mark.parametrize(
    "url",
    [
        "admin:index",
        "admin:operator_applications",
        "admin:operator_sales",
        "admin:orders_order_changelist",
        "admin:marketplace_seller_changelist",
    ],
)
def test_a_non_staff_user_is_refused(url: str) -> None:
    buyer = User.objects.create_user("buyer@example.invalid", "a buyer passphrase 42")
    client = Client()
    client.force_login(buyer)
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    anonymous = Client().get(reverse(url))
    assert anonymous.status_code == 302


def test_operator_pages_need_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator())
    response = client.post(
        reverse("admin:operator_applications"), {"seller": "sel_x", "decision": "approve"}
    )
    assert response.status_code == 403
