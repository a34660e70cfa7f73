"""The log's key and origin: generated once, private, overridable from the environment; and
the scheduled signing job."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from agora.core import schedule
from agora.traceability import note
from agora.traceability.log import signing
from agora.traceability.log.tasks import checkpoint_sign_task, log_grew
from tests.traceability.log.conftest import fill


def test_the_key_is_created_once_with_mode_0600(key_dir: Path) -> None:
    key = signing.signing_key()
    path = key_dir / "trace" / "log-signing.key"
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.signing_key() == key
    assert note.key_name(key) == signing.origin()
    assert signing.verifier_key() == note.verifier_key(key)


def test_the_environment_overrides_the_key_by_value_or_path(
    key_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = note.generate_signing_key("example.org/log")
    monkeypatch.setenv("AGORA_TRACE_SIGNING_KEY", key)
    assert signing.signing_key() == key
    path = key_dir / "elsewhere.key"
    path.write_text(key + "\n")
    monkeypatch.setenv("AGORA_TRACE_SIGNING_KEY", str(path))
    assert signing.signing_key() == key
    assert not (key_dir / "trace").exists()


def test_an_unusable_key_is_a_configuration_error(
    key_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGORA_TRACE_SIGNING_KEY", str(key_dir / "missing.key"))
    with pytest.raises(ImproperlyConfigured, match="neither a PRIVATE"):
        signing.signing_key()
    monkeypatch.delenv("AGORA_TRACE_SIGNING_KEY")
    (key_dir / "trace").mkdir()
    (key_dir / "trace" / "log-signing.key").write_text("PRIVATE+KEY+broken\n")
    with pytest.raises(ImproperlyConfigured, match=r"log-signing\.key is unusable"):
        signing.signing_key()


def test_origin_from_the_environment_or_the_first_real_host(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["shop.example.org", "localhost"]
    assert signing.origin() == "shop.example.org/agora/log"
    settings.ALLOWED_HOSTS = ["*"]
    assert signing.origin() == "localhost/agora/log"
    monkeypatch.setenv("AGORA_TRACE_ORIGIN", "trace.example.org/log")
    assert signing.origin() == "trace.example.org/log"


def test_signing_is_scheduled_every_minute() -> None:
    job = next(j for j in schedule.jobs() if j.name == "trace.checkpoint")
    assert job.every == timedelta(minutes=1)
    assert job.task.module_path == checkpoint_sign_task.module_path


@pytest.mark.django_db
def test_the_task_signs_when_the_log_grew() -> None:
    assert log_grew()
    assert checkpoint_sign_task.call() == {"signed": True, "size": 0}
    assert not log_grew()
    assert checkpoint_sign_task.call() == {"signed": False}
    fill(2)
    assert log_grew()
    assert checkpoint_sign_task.call() == {"signed": True, "size": 2}
