"""What privacy plugs in at start-up: the answer to ``privacy.consent``, its own retention
rules, the check of ``AGORA_RETENTION`` and the daily retention sweep."""

from __future__ import annotations

from datetime import timedelta


def connect() -> None:
    from agora.core import schedule
    from agora.core.extension_points import consent, retention_rules
    from agora.privacy.retention import checks  # noqa: F401  (registers the system check)
    from agora.privacy.retention.rules import own_rules
    from agora.privacy.selectors import consent_allows
    from agora.privacy.tasks import privacy_retention_sweep

    consent.register(consent_allows, key="privacy.consent")
    retention_rules.register(own_rules, key="privacy")
    schedule.every(timedelta(days=1), privacy_retention_sweep, name="privacy.retention")
