"""TOTP enrolment, the sign-in code step, single-use recovery codes, turning 2FA off."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from django.test import Client

from agora.accounts import mfa
from agora.accounts.models import RecoveryCode, SecurityEvent, TotpDevice
from agora.accounts.services import user_create
from agora.core import clock

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase"
T0 = datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)


def _code(secret: str) -> str:
    return pyotp.TOTP(secret).at(clock.now())


def _enrol(client: Client) -> tuple[str, list[str]]:
    page = client.get("/account/security/2fa/")
    assert page.status_code == 200
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    assert "<svg" in page.content.decode()  # the QR code
    done = client.post("/account/security/2fa/", {"code": _code(secret)})
    assert done.status_code == 201
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.content.decode())
    return secret, codes


def _signed_in(email: str = "ada@example.org") -> tuple[Client, object]:
    user = user_create(email=email, password=PASSWORD)
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": email, "password": PASSWORD}).status_code
        == 302
    )
    return client, user


def test_enrol_then_sign_in_asks_for_the_code():
    with clock.frozen_at(T0):
        client, user = _signed_in()
        assert client.get("/account/security/2fa/").status_code == 200
        # Until confirmed, the device protects nothing.
        assert not mfa.totp_is_enabled(user=user)
        secret, codes = _enrol(client)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert mfa.totp_is_enabled(user=user)
        device = TotpDevice.objects.get(user=user)
        assert secret.encode() not in bytes(device.secret_encrypted)  # encrypted at rest
        assert all(
            c.replace("-", "") not in r.code_hash
            for c, r in zip(codes, RecoveryCode.objects.all(), strict=True)
        )

        browser = Client()
        step1 = browser.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
        assert step1.status_code == 302 and step1["Location"] == "/accounts/login/verify/"
        assert "_auth_user_id" not in browser.session  # not signed in yet
        assert browser.get("/account/").status_code == 302

        clock.advance(timedelta(seconds=60))  # a later step than the enrolment's code
        wrong = browser.post("/accounts/login/verify/", {"code": "000000"})
        assert wrong.status_code == 422 and 'role="alert"' in wrong.content.decode()
        assert "_auth_user_id" not in browser.session
        code = _code(secret)
        ok = browser.post("/accounts/login/verify/", {"code": code})
        assert ok.status_code == 302
        assert browser.get("/account/").status_code == 200

        # The same code cannot be replayed by someone who saw it.
        other = Client()
        other.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
        replay = other.post("/accounts/login/verify/", {"code": code})
        assert replay.status_code == 422 and "_auth_user_id" not in other.session
    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {"mfa.enabled", "mfa.failed", "login.ok"} <= kinds


def test_recovery_code_works_once():
    with clock.frozen_at(T0):
        client, user = _signed_in()
        _secret, codes = _enrol(client)
        first = Client()
        first.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
        used = first.post("/accounts/login/verify/", {"code": codes[0].upper()})
        assert used.status_code == 302 and first.get("/account/").status_code == 200
        assert mfa.recovery_codes_left(user=user) == 9

        again = Client()
        again.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
        refused = again.post("/accounts/login/verify/", {"code": codes[0]})
        assert refused.status_code == 422 and "_auth_user_id" not in again.session
    assert SecurityEvent.objects.filter(user=user, kind="mfa.recovery_code_used").count() == 1


def test_admin_login_cannot_skip_the_code():
    with clock.frozen_at(T0):
        client, user = _signed_in()
        _enrol(client)
        user.is_staff = True
        user.save()
        admin = Client()
        admin.post(
            "/admin/login/", {"username": user.email, "password": PASSWORD, "next": "/admin/"}
        )
        # The next request, whatever it is, is turned into the code step.
        r = admin.get("/admin/")
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/verify/")
        assert "_auth_user_id" not in admin.session


def test_disable_needs_a_valid_code():
    with clock.frozen_at(T0):
        client, user = _signed_in()
        secret, _codes = _enrol(client)
        client.post("/account/security/2fa/off/", {"code": "123456"})
        assert mfa.totp_is_enabled(user=user)
        clock.advance(timedelta(seconds=30))
        client.post("/account/security/2fa/off/", {"code": _code(secret)})
        assert not mfa.totp_is_enabled(user=user)
        assert not RecoveryCode.objects.filter(user=user).exists()
    assert SecurityEvent.objects.filter(user=user, kind="mfa.disabled").exists()


def test_wrong_confirmation_code_keeps_2fa_off():
    with clock.frozen_at(T0):
        client, user = _signed_in()
        client.get("/account/security/2fa/")
        r = client.post("/account/security/2fa/", {"code": "999999"})
        assert r.status_code == 422
        assert not mfa.totp_is_enabled(user=user)
