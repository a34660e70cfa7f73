"""Erasure that really erases (issue 8 item 3): a buyer with a name, email and phone buys,
saves an address, files a report, challenges a label, signs in (and fails once), gives consent
and gets recommendation signals; then erases the account from the privacy page. Every table of
the database and the log file of the whole run are scanned for the name, the email and the
phone: zero matches. Before erasure the same scan finds the challenge's contact email (it is
the one plaintext copy), so the scan is known to see what it looks for."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from agora.accounts.addresses import AddressInput, address_create
from agora.accounts.models import User
from agora.accounts.services import actor_for_user, user_create
from agora.checkout.flow.place import checkout_start
from agora.checkout.models import Cart
from agora.core.errors import AgoraError
from agora.core.models import OutboxEvent, Person
from agora.core.outbox import dispatch_pending
from agora.core.vault.people import person_profile
from agora.orders.models import Order
from agora.privacy.models import Erasure
from agora.privacy.purposes import current_versions
from agora.privacy.rights.erasure import erasure_run
from agora.privacy.rights.export import export_data
from agora.privacy.services import consent_set
from agora.recommendations.models import Signal
from agora.sustainability.labels.services import label_challenge, label_request, label_review
from agora.trust.services import notice_submit
from tests.checkout.flow_helpers import setup_two_sellers
from tests.conftest import post_json, put_json
from tests.sustainability.labels.helpers import OPERATOR, product_with_passport, seller_actor

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.quillfeather@example.org"
PHONE = "+49 151 73920468"
PASSWORD = "a long passphrase 2026"
NEEDLES = ("Zephyrine", "Quillfeather", "zephyrine.quillfeather", "73920468")


def scan_tables() -> list[str]:
    """Every row of every table, every column as text (bytes decoded leniently): where a
    needle appears, as 'table.column'."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        text = bytes(value).decode("latin-1")
                    else:
                        text = str(value)
                    lowered = text.lower()
                    found += [f"{table}.{column}" for n in NEEDLES if n.lower() in lowered]
    return sorted(set(found))


@pytest.fixture
def log_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Everything every logger says during the test, at DEBUG, into a file: the run's log."""
    path = tmp_path / "agora.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(old_level)
    handler.close()


def sign_in(email: str, password: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302, response.content[:500]
    return client


def test_erasure_leaves_no_trace_in_any_table_or_log(seller, other_seller, log_file) -> None:  # type: ignore[no-untyped-def]
    world = setup_two_sellers(seller, other_seller)
    user = user_create(email=EMAIL, password=PASSWORD, display_name=NAME)
    actor = actor_for_user(user)
    consent_set(
        subject=f"user:{user.pk}",
        choices={"personalisation": True, "analytics": True, "marketing": True},
        versions=current_versions(),
        method="account",
    )
    address_create(
        user=user,
        data=AddressInput(
            name=NAME, line1="Kastanienallee 7", city="Berlin", country="DE", phone=PHONE
        ),
    )
    # A failed sign-in, then a real one (sessions, devices, security events, throttles).
    assert (
        Client().post("/accounts/login/", {"username": EMAIL, "password": "wrong"}).status_code
        == 200
    )
    browser = sign_in(EMAIL, PASSWORD)

    # A paid order shipped to the buyer's name and phone.
    added = post_json(
        browser, "/api/v1/cart/lines", {"variant_id": world["cup"].public_id, "quantity": 1}
    )
    assert added.status_code == 201, added.content
    cart_json = put_json(
        browser, "/api/v1/cart/destination", {"country": "DE", "postcode": "10115"}
    ).json()
    cart = Cart.objects.get(buyer=user, status="open")
    shipping = {
        g["seller"]["id"]: g["shipping"]["options"][0]["method_id"] for g in cart_json["sellers"]
    }
    checkout = checkout_start(
        buyer=user,
        cart=cart,
        shipping_choices=shipping,
        card="4242424242424242",
        email=EMAIL,
        idempotency_key="erase-me",
        address={"name": NAME, "line1": "Kastanienallee 7", "city": "Berlin", "phone": PHONE},
    )
    assert checkout.state == "paid", checkout.state
    dispatch_pending()
    order = Order.objects.get(buyer=user)
    assert order.ship_to["name"] == NAME and order.ship_to["phone"] == PHONE
    assert Signal.objects.filter(buyer=f"user:{user.pk}").exists()

    # A report and a label challenge that leaves a contact email.
    notice_submit(
        reporter=user,
        reporter_ref="",
        target_kind="product",
        target_id=world["cup"].product.public_id,
        reason="counterfeit",
        explanation="The cup's handle breaks off.",
    )
    product = product_with_passport(seller)
    label = label_request(
        actor=seller_actor(seller), product=product, kind="repairable", use_rule=True
    )
    label_review(actor=OPERATOR, label=label, grant=True)
    label_challenge(
        actor=actor, label=label, reason="No spare parts to be had.", contact_email=EMAIL
    )

    # Before: the export holds everything, and the scan sees the one plaintext copy.
    exported = str(export_data(user.pk))
    assert NAME in exported and EMAIL in exported and PHONE in exported
    assert scan_tables() == ["sustainability_labelchallenge.contact_email"]

    # Erase through the privacy page, confirmed with the password.
    response = browser.post("/privacy/erase/", {"password": PASSWORD, "confirm": "erase"})
    assert response.status_code == 302 and response["Location"] == "/privacy/erased/"
    dispatch_pending()

    assert scan_tables() == []
    logged = log_file.read_text(encoding="utf-8").lower()
    assert logged, "the log captured nothing: the scan would prove nothing"
    assert [n for n in NEEDLES if n.lower() in logged] == []

    # What stays: the order as an invoice, without personal fields; the erasure's record.
    order.refresh_from_db()
    kept = Order.objects.get(pk=order.pk)
    assert kept.total_minor == order.total_minor and kept.ship_to == {"country": "DE"}
    assert all(p.wrapped_key is None for p in Person.objects.filter(pk=order.person_id))
    assert person_profile(kept.person).erased
    [record] = Erasure.objects.all()
    assert record.user_public_id == user.public_id and record.persons
    assert OutboxEvent.objects.filter(name="erasure.completed").count() == 1
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    # The old session is gone and the account cannot sign in again.
    assert browser.get("/account/").status_code == 302
    assert (
        Client().post("/accounts/login/", {"username": EMAIL, "password": PASSWORD}).status_code
        == 200
    )
    # Erasing again is refused by name, and changes nothing.
    with pytest.raises(AgoraError) as again:
        erasure_run(actor=actor, user_id=user.pk)
    assert again.value.problem.slug == "erasure-already-done"
    assert Erasure.objects.count() == 1


def test_erasure_needs_the_password_and_the_tick(db) -> None:  # type: ignore[no-untyped-def]
    user_create(email=EMAIL, password=PASSWORD, display_name=NAME)
    browser = sign_in(EMAIL, PASSWORD)
    for form, why in (
        ({"password": PASSWORD}, "Tick the box"),
        ({"password": "nope", "confirm": "erase"}, "password is not right"),
    ):
        response = browser.post("/privacy/erase/", form, follow=True)
        assert why in response.content.decode()
    assert not Erasure.objects.exists()
    assert User.objects.by_email(EMAIL).get().is_active
