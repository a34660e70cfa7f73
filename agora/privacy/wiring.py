"""What privacy plugs in at start-up: the answer to ``privacy.consent``."""

from __future__ import annotations


def connect() -> None:
    from agora.core.extension_points import consent
    from agora.privacy.selectors import consent_allows

    consent.register(consent_allows, key="privacy.consent")
