"""Seller applications and suspensions through the operator console: every decision goes through
``seller_transition``, so it leaves an audit entry by the operator and an event the seller's
webhooks receive, and a reason is required, kept and shown where something is taken away."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from agora.core.models import AuditEntry, OutboxEvent
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_apply
from tests.conftest import SYSTEM, make_seller
from tests.operator.data import operator

pytestmark = pytest.mark.django_db
QUEUE = "admin:operator_applications"
OPS_EMAIL = "ops@example.invalid"


@pytest.fixture
def ops() -> Client:
    client = Client()
    client.force_login(operator(OPS_EMAIL))
    return client


def applicant(name: str = "Linden Tea", vat_id: str = "DE136695976") -> Seller:
    return seller_apply(
        actor=SYSTEM,
        display_name=name,
        legal_name=f"{name} GmbH",
        country="DE",
        payout_currency="EUR",
        vat_id=vat_id,
    )


def events(name: str, seller: Seller) -> list[dict]:
    return [
        e.payload
        for e in OutboxEvent.objects.filter(name=name).order_by("id")
        if e.payload.get("seller_id") == seller.public_id
    ]


def test_the_queue_shows_applications_with_their_vat_check(ops: Client) -> None:
    with_vat, without = applicant(), applicant("Birch Books", vat_id="")
    active = make_seller("already-active")
    page = ops.get(reverse(QUEUE)).content.decode()
    assert with_vat.display_name in page and without.display_name in page
    assert "DE136695976" in page and "Valid format and check digits" in page
    assert "No VAT id given" in page
    assert active.display_name not in page  # decided already


def test_approving_verifies_and_activates_through_the_service(ops: Client) -> None:
    seller = applicant()
    response = ops.post(reverse(QUEUE), {"seller": seller.public_id, "decision": "approve"})
    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.state == "active" and seller.state_reason == ""
    audit = list(
        AuditEntry.objects.filter(target_id=seller.public_id)
        .order_by("id")
        .values_list("action", "actor_label")
    )
    assert audit[-2:] == [("seller.verified", OPS_EMAIL), ("seller.active", OPS_EMAIL)]
    assert events("seller.verified", seller)[0]["previous_state"] == "applied"
    assert events("seller.activated", seller)[0]["state"] == "active"
    assert "Approved Linden Tea" in ops.get(reverse(QUEUE)).content.decode()


def test_verify_only_leaves_the_seller_in_the_queue(ops: Client) -> None:
    seller = applicant()
    ops.post(reverse(QUEUE), {"seller": seller.public_id, "decision": "verify"})
    seller.refresh_from_db()
    assert seller.state == "verified"
    assert seller.display_name in ops.get(reverse(QUEUE)).content.decode()


def test_rejecting_needs_a_reason_and_writes_nothing_without_one(ops: Client) -> None:
    seller = applicant()
    audits, outbox = AuditEntry.objects.count(), OutboxEvent.objects.count()
    response = ops.post(
        reverse(QUEUE), {"seller": seller.public_id, "decision": "reject", "reason": "  "}
    )
    assert response.status_code == 400
    assert "Say why the application is rejected" in response.content.decode()
    seller.refresh_from_db()
    assert seller.state == "applied"
    assert (AuditEntry.objects.count(), OutboxEvent.objects.count()) == (audits, outbox)


def test_rejecting_keeps_the_reason_for_the_seller(ops: Client) -> None:
    seller = applicant()
    why = "The trade register extract does not match the legal name."
    ops.post(reverse(QUEUE), {"seller": seller.public_id, "decision": "reject", "reason": why})
    seller.refresh_from_db()
    assert seller.state == "rejected" and seller.state_reason == why
    entry = AuditEntry.objects.get(action="seller.rejected", target_id=seller.public_id)
    assert entry.actor_label == OPS_EMAIL and entry.changes["reason"] == why
    assert events("seller.rejected", seller) == [
        {
            "seller_id": seller.public_id,
            "previous_state": "applied",
            "state": "rejected",
            "reason": why,
        }
    ]
    page = ops.get(reverse(QUEUE)).content.decode()
    assert why in page  # in the "suspended and rejected" table


def test_a_decided_seller_is_not_decided_twice(ops: Client) -> None:
    seller = make_seller("decided")
    response = ops.post(reverse(QUEUE), {"seller": seller.public_id, "decision": "approve"})
    assert response.status_code == 302
    assert "is not waiting for a decision" in ops.get(reverse(QUEUE)).content.decode()


def _action(ops: Client, action: str, seller: Seller, **extra: str):  # type: ignore[no-untyped-def]
    return ops.post(
        reverse("admin:marketplace_seller_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [seller.pk], **extra},
    )


def test_suspending_from_the_changelist_asks_for_a_reason(ops: Client) -> None:
    seller = make_seller("rowan")
    step_one = _action(ops, "suspend", seller, index="0")
    assert step_one.status_code == 200
    assert 'name="reason"' in step_one.content.decode()
    assert 'name="csrfmiddlewaretoken"' in step_one.content.decode()

    empty = _action(ops, "suspend", seller, apply_reason="1", reason="")
    assert empty.status_code == 200 and "Say why" in empty.content.decode()
    seller.refresh_from_db()
    assert seller.state == "active"

    why = "Counterfeit goods reported by three buyers."
    done = _action(ops, "suspend", seller, apply_reason="1", reason=why)
    assert done.status_code == 302
    seller.refresh_from_db()
    assert seller.state == "suspended" and seller.state_reason == why
    entry = AuditEntry.objects.get(action="seller.suspended", target_id=seller.public_id)
    assert entry.actor_label == OPS_EMAIL and entry.changes["reason"] == why
    assert events("seller.suspended", seller)[0]["reason"] == why


def test_reinstating_clears_the_reason_and_says_so(ops: Client) -> None:
    seller = make_seller("elder")
    _action(ops, "suspend", seller, apply_reason="1", reason="Unpaid fees.")
    response = ops.post(reverse(QUEUE), {"seller": seller.public_id, "note": "fees paid"})
    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.state == "active" and seller.state_reason == ""
    assert events("seller.reinstated", seller)[0]["reason"] == "fees paid"


def test_an_illegal_move_is_reported_by_name(ops: Client) -> None:
    seller = applicant()
    response = _action(ops, "activate", seller)
    assert response.status_code == 302
    page = ops.get(reverse("admin:marketplace_seller_changelist")).content.decode()
    assert "it cannot become active" in page
    seller.refresh_from_db()
    assert seller.state == "applied"
