"""Pages served by the storefront for now: home, problem types, and session login."""

from __future__ import annotations

import pytest

from agora.accounts.services import user_create


@pytest.mark.django_db
def test_home_lists_published_products(api, client):
    api.post(
        "/api/v1/seller/products",
        {"title": "Celadon bowl", "publish": True,
         "variants": [{"sku": "B-1", "prices": [{"currency": "EUR", "amount_minor": 2400}]}]},
        content_type="application/json",
    )  # fmt: skip
    page = client.get("/")
    assert page.status_code == 200
    assert "Celadon bowl" in page.content.decode()


@pytest.mark.django_db
def test_login_with_email_starts_a_session_and_logout_ends_it(client):
    user_create(email="ada@example.org", password="correct horse battery")
    wrong = client.post("/accounts/login/", {"username": "ada@example.org", "password": "nope"})
    assert wrong.status_code == 200
    assert 'role="alert"' in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    ok = client.post(
        "/accounts/login/", {"username": "ada@example.org", "password": "correct horse battery"}
    )
    assert ok.status_code == 302
    assert client.session["_auth_user_id"]
    assert "ada@example.org" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_passwords_are_stored_with_argon2():
    user = user_create(email="grace@example.org", password="another long passphrase")
    assert user.password.startswith("argon2$")
