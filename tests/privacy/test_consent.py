"""Consent by purpose: recorded with time, text version and method; withdrawn as easily as
given; refused when sent for an old text; and the gate every consumer goes through — here
recommendations, which keep nothing about a buyer without consent to personalisation and forget
what they kept when it is withdrawn."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts.models import User
from agora.core import consent
from agora.core.errors import AgoraError
from agora.core.models import OutboxEvent
from agora.core.outbox import dispatch_pending
from agora.privacy.models import ConsentRecord
from agora.privacy.purposes import current_versions
from agora.privacy.selectors import consent_state
from agora.privacy.services import consent_set
from agora.recommendations.models import Signal
from agora.recommendations.serving import is_profiled
from agora.recommendations.signals import product_viewed, signals_refresh_orders
from tests.checkout.flow_helpers import Guest
from tests.conftest import assert_problem, make_product
from tests.orders.factories import paid

pytestmark = pytest.mark.django_db
V = current_versions()


@pytest.fixture
def ada() -> User:
    return User.objects.create_user("ada@example.org", "a long passphrase")


def subject(user: User) -> str:
    return f"user:{user.pk}"


def give(user: User, granted: bool, purpose: str = "personalisation") -> None:
    consent_set(subject=subject(user), choices={purpose: granted}, versions=V, method="account")


def test_a_decision_is_recorded_with_time_version_and_method(ada) -> None:  # type: ignore[no-untyped-def]
    give(ada, True)
    give(ada, True)  # the same again writes nothing
    [row] = ConsentRecord.objects.all()
    assert (row.purpose, row.granted, row.text_version, row.method) == (
        "personalisation", True, 1, "account"
    )  # fmt: skip
    assert row.created_at is not None
    event = OutboxEvent.objects.get(name="consent.changed")
    assert event.payload["purpose"] == "personalisation" and event.payload["granted"] is True
    give(ada, False)
    state = consent_state(subject(ada))
    assert not state["personalisation"].counts and not state["marketing"].granted
    assert ConsentRecord.objects.count() == 2  # the history keeps both decisions


def test_bad_choices_are_refused_by_name(ada) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AgoraError) as caught:
        consent_set(subject=subject(ada), choices={"personalisation": True},
                    versions={"personalisation": 0}, method="api")  # fmt: skip
    assert caught.value.problem.slug == "consent-text-outdated"
    assert "version 0" in caught.value.detail and "version 1" in caught.value.detail
    for choices, field in (
        ({"necessary": False}, "choices.necessary"),
        ({"tracking": True}, "choices.tracking"),
        ({}, "choices"),
    ):
        with pytest.raises(AgoraError) as caught:
            consent_set(subject=subject(ada), choices=choices, versions=V, method="api")
        assert caught.value.errors[0].field == field
    assert not ConsentRecord.objects.exists()


def test_the_gate_fails_closed_and_follows_the_current_decision(ada) -> None:  # type: ignore[no-untyped-def]
    assert consent.allowed(subject(ada), "necessary")
    assert not consent.allowed(subject(ada), "personalisation")  # never asked: no
    assert not consent.allowed("", "personalisation")
    give(ada, True)
    assert consent.allowed(subject(ada), "personalisation")
    assert not consent.allowed(subject(ada), "marketing")
    give(ada, False)
    assert not consent.allowed(subject(ada), "personalisation")


def test_recommendations_keep_nothing_without_consent_and_forget_on_withdrawal(ada, seller) -> None:  # type: ignore[no-untyped-def]
    tea = make_product(seller, "Tea", publish=True)
    order = paid(seller, buyer=ada)
    signals_refresh_orders(order_public_ids=[order.public_id])
    product_viewed(user_id=ada.pk, product_public_id=tea.public_id)
    assert not Signal.objects.filter(buyer=subject(ada)).exists()
    assert not is_profiled(ada.pk)

    give(ada, True)
    dispatch_pending()  # consent.changed: the orders' signals come back
    product_viewed(user_id=ada.pk, product_public_id=tea.public_id)
    kinds = set(Signal.objects.filter(buyer=subject(ada)).values_list("kind", flat=True))
    assert kinds == {Signal.Kind.PURCHASE, Signal.Kind.VIEW}
    assert is_profiled(ada.pk)

    give(ada, False)
    assert not is_profiled(ada.pk)  # at once, before any handler runs
    dispatch_pending()
    assert not Signal.objects.filter(buyer=subject(ada)).exists()


def test_the_banner_asks_until_answered_and_the_page_withdraws(ada) -> None:  # type: ignore[no-untyped-def]
    browser = Client()
    assert "consent-banner" in browser.get("/").content.decode()
    versions = {f"{code}_version": v for code, v in V.items()}
    r = browser.post("/privacy/consent/", {"answer": "necessary", "next": "/", **versions})
    assert r.status_code == 302 and r["Location"] == "/"
    assert "consent-banner" not in browser.get("/").content.decode()
    rows = ConsentRecord.objects.all()
    assert {r.method for r in rows} == {"banner"} and not any(r.granted for r in rows)
    assert all(r.subject.startswith("guest:") for r in rows)

    browser.force_login(ada)
    assert "consent-banner" in browser.get("/").content.decode()  # the account never answered
    page = browser.post("/privacy/", {"personalisation": "on", **versions})
    assert page.status_code == 302
    assert consent.allowed(subject(ada), "personalisation")
    page = browser.post("/privacy/", versions)  # everything unticked: withdrawn
    assert page.status_code == 302
    assert not consent.allowed(subject(ada), "personalisation")
    history = browser.get("/privacy/").content.decode()
    assert "withdrawn or refused" in history and "given" in history


def test_the_api_reads_and_changes_consent_and_refuses_an_old_text() -> None:
    guest = Guest()
    listed = guest.client.get("/api/v1/me/consents").json()
    assert {c["purpose"] for c in listed} == {"analytics", "personalisation", "marketing"}
    assert all(c["current_version"] == 1 and not c["counts"] for c in listed)
    old = {"choices": {"marketing": {"granted": True, "version": 0}}}
    body = assert_problem(
        guest.send("put", "/api/v1/me/consents", old), 409, "consent-text-outdated"
    )
    assert "marketing" in body["detail"]
    assert not ConsentRecord.objects.exists()
    ok = {"choices": {"marketing": {"granted": True, "version": 1}}}
    r = guest.send("put", "/api/v1/me/consents", ok)
    assert r.status_code == 200, r.content
    assert next(c for c in r.json() if c["purpose"] == "marketing")["counts"] is True
