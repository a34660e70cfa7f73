"""Retention: every kind's rows older than its period are deleted (or, for orders, cut loose
from the buyer), younger ones and kept kinds stay; a dry run changes nothing; the job is
bounded, idempotent and scheduled daily; ``AGORA_RETENTION`` overrides a period and a bad value
is refused by the system check; ``agora retention`` prints the counts and fails on bad input;
the privacy page lists the table."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings

from agora.accounts.models import LoginThrottle, RateCounter, SecurityEvent, User, UserSession
from agora.api.models import IdempotencyRecord
from agora.checkout.models import Cart, Checkout
from agora.core import clock, schedule
from agora.core.models import AuditEntry, EventDelivery, OutboxEvent, Person
from agora.core.vault.people import person_create
from agora.orders.models import Order
from agora.privacy.models import ConsentRecord
from agora.privacy.retention.rules import all_rules, setting_problems
from agora.privacy.retention.sweep import retention_sweep
from agora.privacy.tasks import privacy_retention_sweep
from agora.recommendations.models import Signal
from agora.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.helpers import child_env
from tests.orders.factories import place

pytestmark = pytest.mark.django_db
NOW = datetime(2031, 3, 15, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with clock.frozen_at(NOW):
        yield


@pytest.fixture
def ada() -> User:
    return User.objects.create_user("ada@example.org", "a long passphrase")


def security_event(at: datetime) -> SecurityEvent:
    return SecurityEvent.objects.create(at=at, kind=SecurityEvent.Kind.LOGIN_OK)


def cart(updated: datetime, *, buyer: User | None = None, status: str = "open") -> Cart:
    return Cart.objects.create(
        buyer=buyer, currency="EUR", status=status, created_at=updated, updated_at=updated
    )


def checkout(of: Cart, state: str, updated: datetime, key: str) -> Checkout:
    return Checkout.objects.create(
        cart=of, owner="guest:abc", idempotency_key=key, state=state, currency="EUR",
        created_at=updated, updated_at=updated,
    )  # fmt: skip


def outbox_event(dispatched: datetime | None) -> OutboxEvent:
    event = OutboxEvent.objects.create(
        name="order.placed", payload={"buyer": "user:1"}, occurred_at=ago(days=60),
        dispatched_at=dispatched, next_attempt_at=ago(days=60),
    )  # fmt: skip
    EventDelivery.objects.create(event=event, handler="tests.handler", status="done")
    return event


def delivery(endpoint: WebhookEndpoint, created: datetime, status: str, n: int) -> WebhookDelivery:
    row = WebhookDelivery.objects.create(
        endpoint=endpoint, msg_id=f"evt_{n}", event_type="order.placed", body="{}",
        status=status, created_at=created,
    )  # fmt: skip
    WebhookAttempt.objects.create(
        delivery=row, cycle=1, number=1, attempted_at=created, succeeded=True, duration_ms=5
    )
    return row


def signal(kind: int, day: datetime, product: int) -> Signal:
    return Signal.objects.create(
        buyer="user:1", product_id=product, kind=kind, weight=1, day=day.date()
    )


@pytest.fixture
def store(frozen, ada, seller):  # type: ignore[no-untyped-def]
    """One old and one young row of every kind (or a row a rule must not touch), by name."""
    rows: dict[str, object] = {"ada": ada}
    rows["event_old"], rows["event_young"] = (
        security_event(ago(days=400)),
        security_event(ago(days=300)),
    )
    rows["throttle_old"] = LoginThrottle.objects.create(
        scope="ip", key="old", window_started_at=ago(days=8), last_failure_at=ago(days=8)
    )
    rows["throttle_young"] = LoginThrottle.objects.create(
        scope="ip", key="young", window_started_at=ago(days=2), last_failure_at=ago(days=2)
    )
    rows["counter_old"] = RateCounter.objects.create(
        bucket="login:ip:x", window_start=int(ago(days=2).timestamp()), hits=3
    )
    rows["counter_young"] = RateCounter.objects.create(
        bucket="login:ip:x", window_start=int(ago(minutes=1).timestamp()), hits=1
    )
    Session.objects.create(session_key="expired" * 4, session_data="", expire_date=ago(days=2))
    Session.objects.create(session_key="live" * 8, session_data="", expire_date=ago(days=-3))
    for key, seen in (("ended" * 4, 40), ("live" * 8, 40), ("recent" * 4, 10)):
        UserSession.objects.create(
            session_key=key, user=ada, created_at=ago(days=seen), last_seen_at=ago(days=seen)
        )
    rows["guest_cart_old"], rows["guest_cart_young"] = cart(ago(days=40)), cart(ago(days=10))
    rows["buyer_cart_old"] = cart(ago(days=400), buyer=ada, status="merged")
    rows["buyer_cart_young"] = cart(ago(days=40), buyer=ada)
    bob = User.objects.create_user("bob@example.org", "another passphrase")
    rows["buyer_cart_idle"] = cart(ago(days=400), buyer=bob)
    rows["failed_cart"] = cart(ago(days=100))
    rows["failed_old"] = checkout(rows["failed_cart"], "failed", ago(days=100), "k1")  # type: ignore[arg-type]
    rows["held_cart"] = cart(ago(days=100))  # its checkout is younger: the cart stays
    rows["failed_young"] = checkout(rows["held_cart"], "compensated", ago(days=20), "k2")  # type: ignore[arg-type]
    rows["outbox_old"] = outbox_event(ago(days=40))
    rows["outbox_young"] = outbox_event(ago(days=10))
    rows["outbox_pending"] = outbox_event(None)
    endpoint = WebhookEndpoint.objects.create(
        seller=seller, url="https://hooks.example.com/x", secret="s", created_at=ago(days=90),
        updated_at=ago(days=90),
    )  # fmt: skip
    rows["delivery_old"] = delivery(endpoint, ago(days=40), "succeeded", 1)
    rows["delivery_young"] = delivery(endpoint, ago(days=10), "failed", 2)
    rows["delivery_pending"] = delivery(endpoint, ago(days=40), "pending", 3)
    rows["view_old"] = signal(Signal.Kind.VIEW, ago(days=200), 1)
    rows["view_young"] = signal(Signal.Kind.VIEW, ago(days=100), 2)
    rows["purchase_old"] = signal(Signal.Kind.PURCHASE, ago(days=900), 3)
    rows["consent_old"] = ConsentRecord.objects.create(
        subject="user:1", purpose="analytics", granted=True, text_version=1, method="banner",
        created_at=ago(days=5000),
    )  # fmt: skip
    rows["audit_old"] = AuditEntry.objects.create(
        at=ago(days=5000), actor_kind="system", actor_label="t", action="x.y", target_type="t",
        target_id="1",
    )  # fmt: skip
    with clock.frozen_at(ago(days=11 * 365 + 10)):
        rows["order_old"] = place(seller, buyer=ada, buyer_ref=f"user:{ada.pk}")
    with clock.frozen_at(ago(days=5 * 365)):
        rows["order_young"] = place(seller, buyer=ada, buyer_ref=f"user:{ada.pk}")
    rows["answer_old"] = IdempotencyRecord.objects.create(
        principal="p", key="old", fingerprint="f", state="done", created_at=ago(days=2)
    )
    rows["answer_young"] = IdempotencyRecord.objects.create(
        principal="p", key="young", fingerprint="f", state="done", created_at=ago(hours=2)
    )
    return rows


def exists(row) -> bool:  # type: ignore[no-untyped-def]
    return type(row)._base_manager.filter(pk=row.pk).exists()


EXPECTED = {
    "accounts.security_events": 1,
    "accounts.login_throttles": 1,
    "accounts.rate_counters": 1,
    "accounts.sessions": 1,
    "accounts.devices": 1,
    "checkout.unfinished_checkouts": 1,
    "checkout.guest_carts": 2,  # the old guest cart, and the failed checkout's cart once freed
    "checkout.buyer_carts": 1,
    "checkout.closed_carts": 1,
    "core.outbox_events": 1,
    "webhooks.deliveries": 1,
    "recommendations.page_signals": 1,
    "orders.orders": 1,
    "api.idempotency_records": 1,
}


def test_rows_past_their_period_go_younger_ones_and_kept_kinds_stay(store) -> None:  # type: ignore[no-untyped-def]
    report = retention_sweep()
    done = {k.kind: k.done for k in report.kinds if k.done}
    assert done == EXPECTED
    assert not report.errors
    gone = [
        "event_old", "throttle_old", "counter_old", "guest_cart_old", "buyer_cart_old",
        "buyer_cart_idle", "failed_old", "failed_cart", "outbox_old", "delivery_old", "view_old",
        "answer_old",
    ]  # fmt: skip
    kept = [
        "event_young", "throttle_young", "counter_young", "guest_cart_young", "buyer_cart_young",
        "held_cart", "failed_young", "outbox_young", "outbox_pending", "delivery_young",
        "delivery_pending", "view_young", "purchase_old", "consent_old", "audit_old",
        "order_old", "order_young", "answer_young",
    ]  # fmt: skip
    assert [name for name in gone if exists(store[name])] == []
    assert [name for name in kept if not exists(store[name])] == []
    # cascades: the old event's handler state and the old delivery's attempt log went with them
    assert not EventDelivery.objects.filter(event_id=store["outbox_old"].pk).exists()
    assert not WebhookAttempt.objects.filter(delivery_id=store["delivery_old"].pk).exists()
    assert set(Session.objects.values_list("session_key", flat=True)) == {"live" * 8}
    # a device whose session still lives stays, however long unused; an ended recent one too
    assert set(UserSession.objects.values_list("session_key", flat=True)) == {
        "live" * 8,
        "recent" * 4,
    }
    old, young = (Order.objects.get(pk=store[n].pk) for n in ("order_old", "order_young"))
    assert (old.buyer_id, old.buyer_ref) == (None, "")
    assert "name" not in old.ship_to and "line1" not in old.ship_to
    assert old.total_minor == store["order_old"].total_minor and old.lines.count() == 1
    assert old.ship_country == "DE"  # the figures stay
    assert young.buyer_id == store["ada"].pk  # type: ignore[attr-defined]
    assert young.ship_to["name"] == "Ada Buyer"
    audit = {e.target_id: e.changes for e in AuditEntry.objects.filter(actor_label="retention")}
    assert audit["accounts.security_events"] == {"rows": 1, "older_than_days": 365}
    assert audit["orders.orders"]["rows"] == 1
    assert set(audit) == set(EXPECTED)


def test_a_dry_run_counts_and_changes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    before = {name: exists(row) for name, row in store.items()}
    report = retention_sweep(dry_run=True)
    assert report.done == 0
    due = {k.kind: k.due for k in report.kinds if k.due}
    # the failed checkout's cart is not due yet: the checkout still holds it
    assert due == {**EXPECTED, "checkout.guest_carts": 1}
    assert {name: exists(row) for name, row in store.items()} == before
    assert Order.objects.get(pk=store["order_old"].pk).ship_to["name"] == "Ada Buyer"
    assert not AuditEntry.objects.filter(actor_label="retention").exists()


def test_the_job_is_idempotent_and_bounded_per_run(frozen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        security_event(ago(days=500))
    runs = [retention_sweep(batch=2, max_batches=1) for _ in range(4)]
    done = [next(k.done for k in r.kinds if k.kind == "accounts.security_events") for r in runs]
    due = [next(k.due for k in r.kinds if k.kind == "accounts.security_events") for r in runs]
    assert done == [2, 2, 1, 0] and due == [5, 3, 1, 0]
    assert not SecurityEvent.objects.exists()
    assert AuditEntry.objects.filter(target_id="accounts.security_events").count() == 3
    again = retention_sweep()
    assert again.done == 0 and again.due == 0


def test_the_daily_job_is_registered_and_runs_the_sweep(frozen) -> None:  # type: ignore[no-untyped-def]
    [job] = [j for j in schedule.jobs() if j.name == "privacy.retention"]
    assert job.every == timedelta(days=1) and job.task is privacy_retention_sweep
    security_event(ago(days=400))
    result = privacy_retention_sweep.call()
    assert result["done"] == 1 and result["dry_run"] is False
    assert {k["kind"]: k["done"] for k in result["kinds"]}["accounts.security_events"] == 1


def test_the_setting_overrides_a_period(frozen, settings) -> None:  # type: ignore[no-untyped-def]
    young = security_event(ago(days=300))
    settings.AGORA_RETENTION = {"accounts.security_events": 200}
    assert setting_problems() == []
    report = retention_sweep()
    line = next(k for k in report.kinds if k.kind == "accounts.security_events")
    assert (line.days, line.done) == (200, 1)
    assert not exists(young)


@pytest.mark.parametrize(
    ("setting", "error_id", "words"),
    [
        ({"accounts.security_event": 30}, "privacy.E002", "unknown kind 'accounts.security_event'"),
        ({"accounts.security_events": 0}, "privacy.E004", "is 0: the period must be a positive"),
        ({"accounts.security_events": -3}, "privacy.E004", "is -3"),
        ({"accounts.security_events": "30"}, "privacy.E004", "is '30'"),
        ({"accounts.security_events": True}, "privacy.E004", "is True"),
        ({"privacy.consent_records": 30}, "privacy.E003", "which is kept, not expired"),
        ({"checkout.guest_carts": 3}, "privacy.E005", "shorter than the 14 days"),
        ([("accounts.security_events", 30)], "privacy.E001", "must be a dict"),
    ],
)
def test_a_bad_setting_is_refused_at_start_up(settings, setting, error_id, words) -> None:  # type: ignore[no-untyped-def]
    settings.AGORA_RETENTION = setting
    errors = [e for e in checks.run_checks() if e.id.startswith("privacy.")]
    assert [e.id for e in errors] == [error_id]
    assert words in errors[0].msg and errors[0].hint
    with pytest.raises(ImproperlyConfigured, match=re.escape(words)):
        retention_sweep(dry_run=True)
    with pytest.raises(SystemCheckError):
        call_command("retention", "--dry-run", skip_checks=False, stdout=StringIO())


def test_the_minimum_follows_the_apps_own_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_AGE = 60 * 86400  # sessions live 60 days: guest carts must too
    assert [p.id for p in setting_problems()] == []  # the default 30 is below, but not set
    settings.AGORA_RETENTION = {"checkout.guest_carts": 45}
    assert "shorter than the 60 days" in setting_problems()[0].msg


def test_every_rule_has_a_unique_kind_and_a_reason() -> None:
    rules = all_rules()
    kinds = [r.kind for r in rules]
    assert len(kinds) == len(set(kinds)) >= 15
    assert {"privacy.consent_records", "core.audit_log"} <= {
        r.kind for r in rules if r.days is None
    }
    for rule in rules:
        assert str(rule.reason) and str(rule.title), rule.kind
        assert rule.days is None or rule.days >= rule.minimum_days, rule.kind


def test_privacy_does_not_import_other_apps_models() -> None:
    """Privacy reaches other apps' rows only through the rules they register."""
    folder = ROOT / "agora" / "privacy" / "retention"
    for path in folder.glob("*.py"):
        text = path.read_text()
        for app in ("accounts", "checkout", "orders", "webhooks", "recommendations", "api"):
            assert f"agora.{app}" not in text, f"{path.name} imports agora.{app}"


def test_the_command_prints_counts_per_kind(store) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "dry run, nothing changed" in text
    assert "rows past their period" in text
    line = next(x for x in text.splitlines() if "accounts.security_events" in x)
    assert line.split()[1:] == ["delete", "365", "d", "1", "0"]
    assert exists(store["event_old"])
    out = StringIO()
    call_command("retention", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["dry_run"] is False and data["done"] == sum(EXPECTED.values())
    kinds = {k["kind"]: k for k in data["kinds"]}
    assert kinds["orders.orders"]["action"] == "pseudonymise"
    assert kinds["privacy.consent_records"] == {
        "kind": "privacy.consent_records", "model": "privacy.ConsentRecord", "action": "keep",
        "days": None, "due": 0, "done": 0, "error": "",
    }  # fmt: skip
    assert not exists(store["event_old"])


def test_the_command_refuses_a_bad_option(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "agora", "retention", "--dry-rum"],
        capture_output=True, text=True, cwd=ROOT, env=child_env(tmp_path), timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "--dry-rum" in result.stderr and result.stdout == ""


def test_the_privacy_page_lists_how_long_we_keep_what(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AGORA_RETENTION = {"accounts.security_events": 180}
    html = Client().get("/privacy/").content.decode()
    assert "How long we keep what" in html
    row = html.split('id="retention-accounts.security_events"')[1].split("</tr>")[0]
    assert "180 days, from the event" in row and "deleted" in row
    orders = html.split('id="retention-orders.orders"')[1].split("</tr>")[0]
    assert "11 years, from the order" in orders and "§147 AO" in orders
    assert "pseudonymised" in orders
    consent = html.split('id="retention-privacy.consent_records"')[1].split("</tr>")[0]
    assert "No time limit" in consent and "Art. 7(1)" in consent


PO = ROOT / "agora/privacy/locale/zh_Hans/LC_MESSAGES/django.po"


def _catalog():  # type: ignore[no-untyped-def]
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def test_every_rule_reads_in_chinese() -> None:
    catalog = _catalog()
    for rule in all_rules():
        for text in (rule.title, rule.counted_from, rule.reason):
            if str(text):
                message = catalog.get(str(text))
                assert message is not None and message.string, (rule.kind, str(text))


@pytest.fixture
def chinese(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "django.mo").open("wb") as handle:
        write_mo(handle, _catalog())
    with override_settings(LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        yield


def test_the_privacy_page_lists_the_table_in_chinese(chinese) -> None:  # type: ignore[no-untyped-def]
    html = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/privacy/").content.decode()
    assert "我们保存哪些数据、保存多久" in html
    orders = html.split('id="retention-orders.orders"')[1].split("</tr>")[0]
    assert "11 年，自下单起" in orders and "假名化" in orders  # noqa: RUF001
    events = html.split('id="retention-accounts.security_events"')[1].split("</tr>")[0]
    assert "1 年，自事件发生起" in events  # noqa: RUF001


def test_a_guest_person_goes_once_nothing_refers_to_it() -> None:
    """Orphaned vault persons (guests whose orders and checkouts went) are deleted after the
    period; a person an order or an account refers to stays."""
    old = clock.now() - timedelta(days=40)
    orphan = person_create(email="gone@example.org")
    account = User.objects.create_user("kept@example.org", "a long passphrase").person
    Person.objects.filter(pk__in=[orphan.pk, account.pk]).update(created_at=old)
    retention_sweep()
    assert not Person.objects.filter(pk=orphan.pk).exists()
    assert Person.objects.filter(pk=account.pk).exists()
