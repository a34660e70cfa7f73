"""The `agora` command as a user runs it: real processes, real database."""

from __future__ import annotations

import subprocess
import time
from io import StringIO

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.helpers import AGORA, child_env, free_port

SUBCOMMANDS = [
    "serve",
    "migrate",
    "demo",
    "worker",
    "scheduler",
    "import",
    "check",
    "outbox",
    "apikey",
]


def test_agora_help_lists_the_subcommands():
    result = subprocess.run([AGORA, "--help"], capture_output=True, text=True, check=True)
    for name in SUBCOMMANDS:
        assert f"  {name}" in result.stdout


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help(name, tmp_path):
    result = subprocess.run(
        [AGORA, name, "--help"], capture_output=True, text=True, env=child_env(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert "usage: agora" in result.stdout


def test_a_bad_environment_variable_is_one_line_on_stderr(tmp_path):
    env = {**child_env(tmp_path), "AGORA_RETENTION": "{not json"}
    result = subprocess.run([AGORA, "check"], capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("agora: configuration error: AGORA_RETENTION is not JSON")
    assert "Traceback" not in result.stderr


def test_unknown_subcommand_fails_on_stderr(tmp_path):
    result = subprocess.run(
        [AGORA, "no-such-thing"], capture_output=True, text=True, env=child_env(tmp_path)
    )
    assert result.returncode != 0
    assert "no-such-thing" in result.stderr


@pytest.mark.django_db
def test_check_reports_database_and_broker():
    out = StringIO()
    call_command("check", stdout=out)
    assert "ok   database:" in out.getvalue()
    assert "migrations applied" in out.getvalue()
    assert "ok   broker:" in out.getvalue()


@pytest.mark.django_db
def test_check_fails_when_the_broker_does_not_answer():
    out = StringIO()
    with (
        override_settings(AGORA_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0"),
        pytest.raises(CommandError, match="1 check"),
    ):
        call_command("check", stdout=out)
    assert "FAIL broker" in out.getvalue()


@pytest.mark.django_db
def test_check_refuses_an_unknown_broker_scheme():
    out = StringIO()
    with override_settings(AGORA_BROKER_URL="carrier-pigeon://loft"), pytest.raises(CommandError):
        call_command("check", stdout=out)
    assert "scheme 'carrier-pigeon'" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_serve_answers_with_an_openapi_3_1_document(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [AGORA, "serve", "--port", str(port), "--workers", "1"],
        env=child_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        response = None
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read()  # type: ignore[union-attr]
                time.sleep(0.3)
        assert response is not None and response.status_code == 200
        assert response.json()["openapi"].startswith("3.1")
        docs = httpx.get(f"http://127.0.0.1:{port}/api/v1/docs", timeout=5)
        assert docs.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert server.returncode == 0 or server.returncode is not None
