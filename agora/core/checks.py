"""System checks for settings that would make Agora unsafe or broken."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_debug_hosts(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    errors = []
    if "*" in settings.ALLOWED_HOSTS and not settings.DEBUG:
        errors.append(
            checks.Warning(
                "ALLOWED_HOSTS contains '*': any Host header is accepted",
                hint="Set ALLOWED_HOSTS to the site's host names.",
                id="agora.W001",
            )
        )
    return errors


@checks.register(checks.Tags.database)
def check_pool_conn_age(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    db = settings.DATABASES["default"]
    if db.get("OPTIONS", {}).get("pool") and db.get("CONN_MAX_AGE"):
        return [
            checks.Error(
                "a PostgreSQL pool cannot be combined with CONN_MAX_AGE",
                hint="Leave CONN_MAX_AGE at 0 or set AGORA_DB_POOL=0.",
                id="agora.E001",
            )
        ]
    return []
