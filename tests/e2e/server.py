"""A real Agora for the browser tests: a fresh SQLite store in its own data directory with the
demo catalogue (``agora migrate``, ``agora demo``), then ``agora serve`` (web, task worker and
scheduler, as ``make run`` starts it) on a free port."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.browser import REPO
from tests.helpers import AGORA, free_port

SERVER_START_SECONDS = 120


@dataclass(frozen=True)
class AgoraServer:
    url: str
    data_dir: Path
    log: Path


def _server_env(data_dir: Path) -> dict[str, str]:
    """Its own data directory and SQLite file, whatever the caller's environment says (CI's
    PostgreSQL DATABASE_URL must not leak into the browser tests' store)."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(AGORA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="agora.settings", DEBUG="0")
    return env


def log_tail(log: Path, lines: int = 50) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _agora(args: list[str], env: dict[str, str], log: Path) -> None:
    started = time.monotonic()
    with log.open("a") as out:
        out.write(f"\n$ agora {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [AGORA, *args], env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, check=False
        )
        out.write(
            f"[agora {args[0]}: {time.monotonic() - started:.1f} s, exit {done.returncode}]\n"
        )
    if done.returncode != 0:
        pytest.fail(f"agora {' '.join(args)} exited with {done.returncode}:\n{log_tail(log)}")


def _wait_until_answering(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        if proc.poll() is not None:
            pytest.fail(f"agora serve exited with {proc.returncode}:\n{log_tail(log)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/")
            status = conn.getresponse().status
            conn.close()
        except OSError:
            status = None
        if status == 200:
            return
        if status is not None:
            pytest.fail(f"GET / answered {status} while agora serve started:\n{log_tail(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"agora serve did not answer within {SERVER_START_SECONDS} s")
        time.sleep(0.3)


@contextlib.contextmanager
def running_store(data_dir: Path) -> Iterator[AgoraServer]:
    """The demo store served until the block ends; everything the set-up commands and the
    server print goes to ``server.log`` in ``data_dir``."""
    log = data_dir / "server.log"
    env = _server_env(data_dir)
    _agora(["migrate", "--noinput"], env, log)
    _agora(["demo"], env, log)  # it builds the search index at the end, too
    port = free_port()
    with log.open("a") as out:
        proc = subprocess.Popen(
            [AGORA, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_answering(proc, port, log)
        yield AgoraServer(url=f"http://127.0.0.1:{port}", data_dir=data_dir, log=log)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
