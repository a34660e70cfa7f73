"""Fixtures of the log's tests: a private key directory, and helpers to fill the log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agora.traceability.log.services import LogRecord, log_append


@pytest.fixture(autouse=True)
def key_dir(tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """Each test gets its own DATA_DIR (so its own generated signing key) and no key or origin
    from the environment of whoever runs the tests."""
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("AGORA_TRACE_SIGNING_KEY", raising=False)
    monkeypatch.delenv("AGORA_TRACE_ORIGIN", raising=False)
    yield tmp_path


def entry_bytes(i: int) -> bytes:
    """Distinct canonical-JSON bytes for entry ``i``."""
    return b'{"n":%d}' % i


def fill(count: int, *, start: int = 0, kind: str = "test", batch: int | None = None) -> list[int]:
    """Append ``count`` entries numbered from ``start`` (in batches of ``batch``)."""
    indices: list[int] = []
    step = batch or count or 1
    for first in range(start, start + count, step):
        last = min(first + step, start + count)
        indices += log_append(
            entries=[LogRecord(kind, f"ref-{i}", entry_bytes(i)) for i in range(first, last)]
        )
    return indices


def all_bytes(count: int) -> list[bytes]:
    return [entry_bytes(i) for i in range(count)]
