"""A buyer's export (issue 8 item 3): one click from the privacy page to a JSON file with
everything, or the same as a readable page; the link is signed for the account and an hour,
so a changed, borrowed or old link is refused by name."""

from __future__ import annotations

import json
import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client

from agora.accounts.addresses import AddressInput, address_create
from agora.accounts.services import user_create
from agora.privacy.models import Erasure
from agora.privacy.rights.links import SALT
from tests.conftest import assert_problem, post_json
from tests.orders.factories import paid

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase 2026"


@pytest.fixture
def ada(seller):  # type: ignore[no-untyped-def]
    user = user_create(email="ada@example.org", password=PASSWORD, display_name="Ada <b>L</b>")
    address_create(
        user=user,
        data=AddressInput(name="Ada L", line1="Main St 1", city="Berlin", country="DE"),
    )
    paid(seller, buyer=user)
    return user


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def links(client: Client) -> dict[str, str]:
    page = client.get("/privacy/").content.decode()
    return dict(
        (m.group(2), m.group(0).split('"')[0])
        for m in re.finditer(r"/privacy/export/([^/\"]+)/my-data\.(json|html)", page)
    )


def test_one_click_downloads_everything_as_json_and_as_a_page(ada) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(ada)
    found = links(client)
    assert set(found) == {"json", "html"}
    response = client.get(found["json"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="agora-my-data-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["Account"]["email"] == "ada@example.org"
    assert data["Account"]["addresses"][0]["line1"] == "Main St 1"
    assert len(data["Orders"]) == 1 and data["Orders"][0]["lines"]
    assert "Consent" in data
    page = client.get(found["html"]).content.decode()
    assert "ada@example.org" in page and "Main St 1" in page
    assert "Ada &lt;b&gt;L&lt;/b&gt;" in page and "<script" not in page


def test_a_changed_borrowed_or_old_link_is_refused_by_name(ada) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(ada)
    url = links(client)["json"]
    token = url.split("/")[3]
    tampered = url.replace(token, token[:-2] + ("aa" if not token.endswith("aa") else "bb"))
    response = client.get(tampered)
    assert response.status_code == 400 and "was changed" in response.content.decode()

    bob = user_create(email="bob@example.org", password=PASSWORD)
    response = signed_in(bob).get(url)
    assert response.status_code == 400 and "another account" in response.content.decode()
    assert "ada@example.org" not in response.content.decode()

    with mock.patch("django.core.signing.time.time", return_value=time.time() - 7200):
        old = signing.TimestampSigner(salt=SALT).sign(ada.public_id)
    response = client.get(f"/privacy/export/{old}/my-data.json")
    assert response.status_code == 400 and "expired" in response.content.decode()

    assert client.get(url.replace(".json", ".xml")).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_the_api_exports_to_the_account_only_and_erases_with_the_password(ada) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(ada)
    data = client.get("/api/v1/me/export").json()
    assert data["Account"]["email"] == "ada@example.org"
    assert_problem(Client().get("/api/v1/me/export"), 401, "unauthenticated")

    wrong = post_json(client, "/api/v1/me/erasure", {"password": "nope", "confirm": True})
    assert_problem(wrong, 422, field="password")
    unconfirmed = post_json(client, "/api/v1/me/erasure", {"password": PASSWORD, "confirm": False})
    assert_problem(unconfirmed, 422, field="confirm")
    assert not Erasure.objects.exists()

    done = post_json(client, "/api/v1/me/erasure", {"password": PASSWORD, "confirm": True})
    assert done.status_code == 200 and done.json()["erased"] == ada.public_id
    assert done.json()["persons"] >= 1
    # The session is gone with the account: the next call is anonymous.
    assert_problem(client.get("/api/v1/me/export"), 401, "unauthenticated")
