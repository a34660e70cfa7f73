"""Lock-out and exponential back-off after failed sign-ins (moved clock, never sleeps)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from agora.accounts import throttle
from agora.accounts.models import SecurityEvent, User
from agora.accounts.services import user_create
from agora.core import clock

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _try(client: Client, email: str, password: str) -> object:
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_pure_rule_doubles_and_caps():
    policy = throttle.policies()[throttle.LoginThrottle.Scope.ACCOUNT]
    assert [throttle.lock_duration(n, policy).total_seconds() / 60 for n in range(1, 9)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
    ]
    state = None
    for _ in range(4):
        state = throttle.after_failure(state, T0, policy)
    assert state.locked_until is None and state.failures == 4
    state = throttle.after_failure(state, T0, policy)
    assert state.locked_until == T0 + timedelta(minutes=1)
    # Failures spread wider than the window never lock.
    spread = None
    for i in range(10):
        spread = throttle.after_failure(spread, T0 + i * timedelta(minutes=16), policy)
    assert spread.locked_until is None


def test_five_failures_lock_with_back_off_and_say_when():
    user_create(email="ada@example.org", password=PASSWORD)
    client = Client()
    with clock.frozen_at(T0):
        for _ in range(4):
            assert _try(client, "ada@example.org", "wrong guess").status_code == 200
        locked = _try(client, "ada@example.org", "wrong guess")
        assert locked.status_code == 429 and locked["Retry-After"] == "61"
        assert "Try again after" in locked.content.decode()
        # Even the right password is refused while locked.
        assert _try(client, "ada@example.org", PASSWORD).status_code == 429
        assert "_auth_user_id" not in client.session

        clock.advance(timedelta(minutes=1, seconds=1))
        for _ in range(5):
            r = _try(client, "ada@example.org", "wrong again")
        assert r.status_code == 429
        assert 120 <= int(r["Retry-After"]) <= 121  # second lock-out: 2 minutes
        clock.advance(timedelta(minutes=2, seconds=1))
        assert _try(client, "ada@example.org", PASSWORD).status_code == 302
    kinds = list(SecurityEvent.objects.values_list("kind", flat=True))
    assert kinds.count("login.locked_out") == 2 and "login.ok" in kinds


def test_unknown_email_gets_the_same_answers():
    user_create(email="ada@example.org", password=PASSWORD)
    known, unknown = Client(), Client(REMOTE_ADDR="10.0.0.2")
    with clock.frozen_at(T0):
        answers = [
            (
                _try(known, "ada@example.org", "nope").status_code,
                _try(unknown, "nobody@example.org", "nope").status_code,
            )
            for _ in range(5)
        ]
    assert all(a == b for a, b in answers)
    assert answers[-1] == (429, 429)


def test_the_ip_is_locked_across_accounts(settings):
    settings.AGORA_LOGIN_LOCKOUT = {"ip_failures": 3, "account_failures": 50}
    client = Client(REMOTE_ADDR="203.0.113.9")
    with clock.frozen_at(T0):
        for n in range(3):
            r = _try(client, f"guess{n}@example.org", "nope")
        assert r.status_code == 429
        assert (
            _try(Client(REMOTE_ADDR="203.0.113.10"), "guess9@example.org", "nope").status_code
            == 200
        )


def _admin(client: Client, email: str, password: str) -> object:
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password})


def test_the_admin_login_says_sign_in_is_locked_and_until_when():
    """The console's login refused by LockoutBackend (PermissionDenied, swallowed by
    ``authenticate``) says it is locked and until when, not "enter a correct email"."""
    User.objects.create_superuser("ops@example.org", PASSWORD)
    client = Client()
    generic = "Please enter the correct email"
    with clock.frozen_at(T0):
        for _ in range(4):
            wrong = _admin(client, "ops@example.org", "wrong guess")
            assert wrong.status_code == 200 and generic in wrong.content.decode()
        locked = _admin(client, "ops@example.org", "wrong guess")  # the fifth starts the lock
        text = locked.content.decode()
        assert locked.status_code == 429 and locked["Retry-After"] == "61"
        assert "Sign-in is locked after too many failed attempts." in text
        assert "Try again after 1 Mar 2026, 12:01:00 (in 2 minutes)" in text
        assert generic not in text
        # the right password is refused the same way while the lock lasts
        right = _admin(client, "ops@example.org", PASSWORD)
        assert right.status_code == 429 and "Sign-in is locked" in right.content.decode()
        assert "_auth_user_id" not in client.session
        clock.advance(timedelta(minutes=1, seconds=1))
        done = _admin(client, "ops@example.org", PASSWORD)
        assert done.status_code == 302 and done["Location"] == "/admin/"
    assert SecurityEvent.objects.filter(kind="login.locked_out").count() == 1


def test_the_admin_login_says_so_when_the_client_is_locked(settings):
    """A client locked by its IP gets the message for an address it never tried."""
    settings.AGORA_LOGIN_LOCKOUT = {"ip_failures": 3, "account_failures": 50}
    client = Client(REMOTE_ADDR="203.0.113.9")
    with clock.frozen_at(T0):
        for n in range(3):
            _admin(client, f"guess{n}@example.org", "nope")
        fresh = _admin(client, "someone-else@example.org", "nope")
        assert fresh.status_code == 429 and "Sign-in is locked" in fresh.content.decode()
        other = _admin(Client(REMOTE_ADDR="203.0.113.10"), "someone-else@example.org", "nope")
        assert other.status_code == 200 and "Please enter the correct email" in (
            other.content.decode()
        )
