"""The provider registry: ``settings.AGORA_PAYMENT_PROVIDERS`` maps a name to a class path."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from agora.payments.providers.base import PaymentProvider

DEFAULT_PROVIDERS = {"test": "agora.payments.providers.test.TestProvider"}


def configured() -> dict[str, str]:
    return dict(getattr(settings, "AGORA_PAYMENT_PROVIDERS", None) or DEFAULT_PROVIDERS)


@cache
def _load(name: str, path: str) -> PaymentProvider:
    provider = import_string(path)()
    provider.name = name
    return provider


def get_provider(name: str) -> PaymentProvider:
    """The provider registered under ``name``; raises ``KeyError`` naming the known ones."""
    providers = configured()
    if name not in providers:
        raise KeyError(f"payment provider {name!r} is not configured (known: {sorted(providers)})")
    return _load(name, providers[name])
