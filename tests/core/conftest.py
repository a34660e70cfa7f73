"""The kernel's outbox tests count handler runs on their own test events, so handlers that apps
register for every event (``"*"``, e.g. ``webhooks.fan_out``) are set aside while they run."""

from __future__ import annotations

import pytest

from agora.core import events

_OUTBOX_MODULES = ("test_outbox", "test_outbox_concurrency")


@pytest.fixture(autouse=True)
def _outbox_without_app_wildcard_handlers(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if request.module.__name__.rpartition(".")[2] in _OUTBOX_MODULES:
        monkeypatch.setitem(events._HANDLERS, events.WILDCARD, {})
