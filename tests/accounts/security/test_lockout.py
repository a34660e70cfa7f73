"""Lock-out and exponential back-off after failed sign-ins (moved clock, never sleeps)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from agora.accounts import throttle
from agora.accounts.models import SecurityEvent
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
