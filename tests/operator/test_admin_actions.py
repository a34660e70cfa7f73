"""Admin actions change operational rows only through the owning app's service (audited, with
their events); configuration edits are validated and audited."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from agora.catalog.models import Product
from agora.checkout.models import TaxRate
from agora.core.models import AuditEntry, EventDelivery, OutboxEvent
from agora.fulfillment.models import Carrier
from agora.orders.models import OrderReturn
from agora.payments.models import LedgerAccount, Payout
from agora.webhooks.models import WebhookEndpoint
from agora.webhooks.services import webhook_endpoint_update
from tests.conftest import SYSTEM
from tests.operator.data import operator, populate

pytestmark = pytest.mark.django_db
OPS_EMAIL = "ops@example.invalid"


@pytest.fixture
def ops() -> Client:
    client = Client()
    client.force_login(operator(OPS_EMAIL))
    return client


def act(ops: Client, model: str, action: str, pks: list[int], **extra: str):  # type: ignore[no-untyped-def]
    return ops.post(
        reverse(f"admin:{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: pks, **extra},
    )


def test_take_off_sale_unpublishes_through_the_service(ops: Client) -> None:
    product = populate()["product"]
    assert act(ops, "catalog_product", "take_off_sale", [product.pk]).status_code == 302
    assert Product.objects.get(pk=product.pk).status == "draft"
    assert AuditEntry.objects.get(action="product.draft").actor_label == OPS_EMAIL
    assert OutboxEvent.objects.filter(name="product.unpublished").exists()


def test_return_reject_needs_a_reason_and_approve_takes_a_note(ops: Client) -> None:
    populate()
    ret = OrderReturn.objects.get()
    page = act(ops, "orders_orderreturn", "reject", [ret.pk], apply_reason="1", reason="")
    assert page.status_code == 200 and "Say why" in page.content.decode()
    assert OrderReturn.objects.get(pk=ret.pk).status == "requested"
    act(ops, "orders_orderreturn", "reject", [ret.pk], apply_reason="1", reason="Worn.")
    ret.refresh_from_db()
    assert ret.status == "rejected" and ret.decision_note == "Worn."
    assert AuditEntry.objects.get(action="return.rejected").actor_label == OPS_EMAIL
    # A second decision on the same return is refused by the service, and said so.
    act(ops, "orders_orderreturn", "approve", [ret.pk], apply_reason="1", reason="")
    page = ops.get(reverse("admin:orders_orderreturn_changelist")).content.decode()
    assert f"return {ret.public_id}: it is rejected; it cannot become approved" in page
    assert OrderReturn.objects.get(pk=ret.pk).status == "rejected"


def test_reenable_a_disabled_webhook_endpoint(ops: Client) -> None:
    populate()
    endpoint = WebhookEndpoint.objects.get()
    webhook_endpoint_update(actor=SYSTEM, endpoint=endpoint, changes={"enabled": False})
    act(ops, "webhooks_webhookendpoint", "enable", [endpoint.pk])
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.disabled_reason == ""
    entry = AuditEntry.objects.filter(action="webhook_endpoint.updated").latest("id")
    assert entry.actor_label == OPS_EMAIL and entry.changes["enabled"] == [False, True]


def test_retry_dead_deliveries(ops: Client) -> None:
    populate()
    dead = EventDelivery.objects.get(status="dead")
    act(ops, "core_eventdelivery", "retry", [dead.pk])
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.attempts == 0
    assert dead.event.dispatched_at is None


def test_pay_out_a_seller_payable_balance(ops: Client) -> None:
    seller = populate()["seller"]
    payouts = Payout.objects.count()
    payable = LedgerAccount.objects.filter(kind="seller_payable", seller=seller)
    act(ops, "payments_ledgeraccount", "pay_out", list(payable.values_list("pk", flat=True)))
    # populate() paid the seller out already: nothing is payable, and the service says so.
    assert Payout.objects.count() == payouts
    page = ops.get(reverse("admin:payments_ledgeraccount_changelist")).content.decode()
    assert "nothing to pay" in page


def test_tax_rate_edits_are_validated_and_audited(ops: Client) -> None:
    url = reverse("admin:checkout_taxrate_add")
    bad = ops.post(
        url,
        {
            "country": "EL",
            "category": "Standard rate",
            "rate": "120",
            "postcode_pattern": "(35|38",
            "valid_from": "2026-01-01",
        },
    )
    html = bad.content.decode()
    assert bad.status_code == 200
    assert "EL is not an ISO 3166-1 alpha-2 country code" in html
    assert "Use a rate name such as standard" in html
    assert "Not a valid regular expression" in html
    assert not TaxRate.objects.exists()
    good = ops.post(
        url,
        {
            "country": "es",
            "category": "standard",
            "rate": "0",
            "postcode_pattern": "(35|38)[0-9]{3}",
            "name": "Canary Islands",
            "valid_from": "2026-01-01",
        },
    )
    assert good.status_code == 302
    rate = TaxRate.objects.get()
    assert rate.country == "ES"
    entry = AuditEntry.objects.get(action="taxrate.created")
    assert entry.actor_label == OPS_EMAIL and entry.target_id == str(rate.pk)


def test_a_new_carrier_goes_through_the_service(ops: Client) -> None:
    url = reverse("admin:fulfillment_carrier_add")
    bad = ops.post(url, {"code": "gls", "name": "GLS", "tracking_url_template": "https://gls"})
    assert "Put {tracking_number} where the tracking number goes" in bad.content.decode()
    ops.post(
        url,
        {
            "code": "gls",
            "name": "GLS",
            "tracking_url_template": "https://gls.example/{tracking_number}",
            "is_active": "on",
        },
    )
    assert Carrier.objects.get(code="gls").name == "GLS"
    assert AuditEntry.objects.get(action="carrier.created").actor_label == OPS_EMAIL
