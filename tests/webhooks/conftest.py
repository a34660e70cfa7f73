"""The webhook tests deliver to a real receiver on 127.0.0.1, which production refuses
(agora/webhooks/destinations.py); they allow loopback as local development does."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def loopback_allowed(settings):  # type: ignore[no-untyped-def]
    settings.AGORA_WEBHOOK_ALLOW_LOOPBACK = True
