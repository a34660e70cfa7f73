"""429 with Retry-After (login, checkout, API keys), the session list with remote sign-out, the
CSP and other headers, and password rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from agora.accounts.models import SecurityEvent, UserSession
from agora.accounts.services import user_create
from agora.core import clock
from tests.conftest import assert_problem, key_client, post_json

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase"
T0 = datetime(2026, 3, 1, 12, 0, 10, tzinfo=UTC)


def test_login_flood_gets_429_with_retry_after(settings):
    settings.AGORA_RATE_LIMITS = {"login": {"limit": 3, "window": 60}}
    settings.AGORA_LOGIN_LOCKOUT = {"account_failures": 100, "ip_failures": 100}
    client = Client()
    with clock.frozen_at(T0):
        codes = [
            client.post(
                "/accounts/login/", {"username": f"u{n}@example.org", "password": "x"}
            ).status_code
            for n in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        r = client.post("/accounts/login/", {"username": "a@example.org", "password": "x"})
        assert r.status_code == 429 and r["Retry-After"] == "50"
        assert "try again" in r.content.decode().lower()


def test_checkout_flood_gets_429_in_api_and_page(settings):
    settings.AGORA_RATE_LIMITS = {"checkout": {"limit": 2, "window": 60}}
    client = Client()
    with clock.frozen_at(T0):
        client.get("/api/v1/cart")
        for _ in range(2):
            assert post_json(client, "/api/v1/checkout", {}).status_code != 429
        r = post_json(client, "/api/v1/checkout", {})
        assert_problem(r, 429, "rate-limited")
        assert r["Retry-After"] == "50" and r.json()["retry_after"] == 50
        page = client.post("/checkout/", {})
        assert page.status_code == 429 and page["Retry-After"] == "50"
        assert page["Content-Type"].startswith("text/html")


def test_api_key_flood_gets_429_per_key(settings, seller):
    settings.AGORA_RATE_LIMITS = {"api_key": {"limit": 3, "window": 60}}
    api, other = key_client(seller), key_client(seller)
    with clock.frozen_at(T0):
        for _ in range(3):
            assert api.get("/api/v1/seller/products").status_code == 200
        r = api.get("/api/v1/seller/products")
        assert_problem(r, 429, "rate-limited")
        assert r["Retry-After"] == "50"
        assert other.get("/api/v1/seller/products").status_code == 200  # its own budget
    assert SecurityEvent.objects.filter(kind="api_key.rate_limited").count() == 1


def test_remote_sign_out_ends_the_other_session():
    user_create(email="ada@example.org", password=PASSWORD)
    laptop = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/605.1")
    for c in (laptop, phone):
        assert (
            c.post(
                "/accounts/login/", {"username": "ada@example.org", "password": PASSWORD}
            ).status_code
            == 302
        )
    page = laptop.get("/account/security/").content.decode()
    assert "Firefox on Linux" in page and "Safari on iOS" in page and "127.0.0.0" in page
    phone_row = UserSession.objects.get(session_key=phone.session.session_key)
    assert laptop.post(f"/account/security/sessions/{phone_row.pk}/revoke/").status_code == 302
    assert phone.get("/account/").status_code == 302  # signed out
    assert laptop.get("/account/").status_code == 200
    assert SecurityEvent.objects.filter(kind="session.revoked").count() == 1


def test_sign_out_everywhere_else():
    user_create(email="ada@example.org", password=PASSWORD)
    clients = [Client() for _ in range(3)]
    for c in clients:
        c.post("/accounts/login/", {"username": "ada@example.org", "password": PASSWORD})
    assert clients[0].post("/account/security/sessions/revoke-others/").status_code == 302
    assert [c.get("/account/").status_code for c in clients] == [200, 302, 302]
    assert UserSession.objects.count() == 1


def test_another_users_session_cannot_be_revoked():
    user_create(email="ada@example.org", password=PASSWORD)
    user_create(email="bob@example.org", password=PASSWORD)
    ada, bob = Client(), Client()
    ada.post("/accounts/login/", {"username": "ada@example.org", "password": PASSWORD})
    bob.post("/accounts/login/", {"username": "bob@example.org", "password": PASSWORD})
    row = UserSession.objects.get(session_key=bob.session.session_key)
    assert ada.post(f"/account/security/sessions/{row.pk}/revoke/").status_code == 404
    assert bob.get("/account/").status_code == 200


def test_security_headers_on_pages(client):
    r = client.get("/accounts/login/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert r["X-Frame-Options"] == "DENY"


def test_common_and_short_passwords_are_refused(client):
    for bad in ("password123", "short", "12345678901"):
        r = client.post(
            "/accounts/register/",
            {"email": "new@example.org", "password1": bad, "password2": bad},
        )
        assert r.status_code == 422, bad
    ok = "a long passphrase"
    assert (
        client.post(
            "/accounts/register/", {"email": "new@example.org", "password1": ok, "password2": ok}
        ).status_code
        == 302
    )


def test_password_change_is_on_the_trail_and_ends_other_sessions():
    user_create(email="ada@example.org", password=PASSWORD)
    here, there = Client(), Client()
    for c in (here, there):
        c.post("/accounts/login/", {"username": "ada@example.org", "password": PASSWORD})
    new = "an even longer passphrase"
    r = here.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert r.status_code == 302
    assert there.get("/account/").status_code == 302
    assert "Password changed" in here.get("/account/security/").content.decode() or (
        SecurityEvent.objects.filter(kind="password.changed").exists()
    )


def test_a_forged_or_replayed_session_is_nobody():
    """A made-up session id, one with a byte changed, and one replayed after signing out all
    reach the site as an anonymous visitor: the account page sends them to sign in."""
    user_create(email="ada@example.org", password=PASSWORD)
    ada = Client()
    ada.post("/accounts/login/", {"username": "ada@example.org", "password": PASSWORD})
    stolen = ada.cookies["sessionid"].value
    assert ada.get("/account/").status_code == 200

    for forged in ("x" * 32, stolen[:-1] + ("a" if stolen[-1] != "a" else "b")):
        intruder = Client()
        intruder.cookies["sessionid"] = forged
        assert intruder.get("/account/").status_code == 302

    ada.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = stolen
    response = replay.get("/account/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
