"""Helpers for tests that start real Agora processes against the test database."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
from django.db import connection

AGORA = str(Path(sys.executable).with_name("agora"))


def test_database_url() -> str:
    """A DATABASE_URL pointing a child process at the database this test is using."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db.get("PASSWORD") else user
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=test_database_url(), AGORA_DATA_DIR=str(tmp_path), **extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_data(*parts: str) -> Path:
    """A folder of ../shared/data (the real public data sets, read by path, never copied):
    $AGORA_SHARED_DATA, else beside this checkout, else where the workplace keeps it."""
    roots = [
        os.environ.get("AGORA_SHARED_DATA", ""),
        Path(__file__).resolve().parents[2] / "shared" / "data",
        "/work/shared/data",
    ]
    found = next((Path(r) for r in roots if r and Path(r).is_dir()), Path(roots[1]))
    return found.joinpath(*parts)


def skip_without(folder: Path) -> pytest.MarkDecorator:
    """Skip when the shared data is missing, unless CI says it must be there (then fail)."""
    if not folder.is_dir() and os.environ.get("AGORA_REQUIRE_SHARED_DATA"):
        raise RuntimeError(f"{folder} is missing and AGORA_REQUIRE_SHARED_DATA is set")
    return pytest.mark.skipif(not folder.is_dir(), reason=f"{folder} is not available")
