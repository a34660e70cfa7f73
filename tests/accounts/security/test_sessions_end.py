"""Turning two-factor authentication on and changing the password end the account's other
sessions, keep the current one, and say so on the security trail; the device list then shows
this device alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import pytest
from django.test import Client

from agora.accounts.models import SecurityEvent, UserSession
from agora.accounts.services import user_create
from agora.core import clock

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase"
T0 = datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/605.1"
TABLET = "Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Safari/537.36"


def _three_devices() -> tuple[object, Client, Client, Client]:
    user = user_create(email="ada@example.org", password=PASSWORD)
    clients = [Client(HTTP_USER_AGENT=agent) for agent in (LAPTOP, PHONE, TABLET)]
    for c in clients:
        answer = c.post("/accounts/login/", {"username": "ada@example.org", "password": PASSWORD})
        assert answer.status_code == 302
    assert UserSession.objects.filter(user=user).count() == 3
    return user, *clients


def _devices(page: str) -> list[str]:
    table = page.split('id="sessions-title"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)


def test_turning_on_two_factor_signs_the_other_devices_out():
    with clock.frozen_at(T0):
        user, laptop, phone, tablet = _three_devices()
        page = laptop.get("/account/security/2fa/").content.decode()
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
        done = laptop.post("/account/security/2fa/", {"code": pyotp.TOTP(secret).at(clock.now())})
        assert done.status_code == 201
        assert laptop.get("/account/").status_code == 200  # this device stays signed in
        assert phone.get("/account/").status_code == 302  # the others must sign in again,
        assert tablet.get("/account/").status_code == 302  # now with a code
        rows = _devices(laptop.get("/account/security/").content.decode())
    assert len(rows) == 1 and "This device" in rows[0] and "Firefox on Linux" in rows[0]
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        laptop.session.session_key
    ]
    ended = SecurityEvent.objects.filter(user=user, kind="session.revoked")
    assert sorted(e.detail["device"] for e in ended) == ["Chrome on Android", "Safari on iOS"]
    assert {e.detail["reason"] for e in ended} == {"mfa.enabled"}
    assert SecurityEvent.objects.filter(user=user, kind="mfa.enabled").count() == 1


def test_changing_the_password_keeps_this_device_in_the_list():
    user, laptop, phone, tablet = _three_devices()
    new = "an even longer passphrase"
    changed = laptop.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/").status_code == 302 and tablet.get("/account/").status_code == 302
    rows = _devices(laptop.get("/account/security/").content.decode())
    assert len(rows) == 1 and "This device" in rows[0] and "Firefox on Linux" in rows[0]
    ended = SecurityEvent.objects.filter(user=user, kind="session.revoked")
    assert ended.count() == 2 and {e.detail["reason"] for e in ended} == {"password.changed"}
    assert SecurityEvent.objects.filter(user=user, kind="password.changed").count() == 1
    # signing the other devices out again finds none left
    assert laptop.post("/account/security/sessions/revoke-others/").status_code == 302
    assert SecurityEvent.objects.filter(user=user, kind="session.revoked").count() == 2
    assert UserSession.objects.filter(user=user).count() == 1
