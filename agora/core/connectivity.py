"""Reachability probes for `agora check`: the database and the optional message broker."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@dataclass(frozen=True)
class Probe:
    name: str
    ok: bool
    detail: str


def probe_database() -> Probe:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        vendor = connection.vendor
        if connection.vendor == "sqlite":
            vendor = (
                f"sqlite {connection.Database.sqlite_version} at {connection.settings_dict['NAME']}"
            )
        elif connection.vendor == "postgresql":
            version = connection.pg_version
            host = connection.settings_dict["HOST"]
            vendor = f"postgresql {version // 10000}.{version % 10000} at {host}"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return Probe(
                "database",
                False,
                f"{vendor}: {len(pending)} migration(s) not applied; run `agora migrate`",
            )
        return Probe("database", True, f"{vendor}, migrations applied")
    except Exception as exc:
        return Probe(
            "database", False, f"cannot query {settings.DATABASES['default']['ENGINE']}: {exc}"
        )


def probe_broker(url: str | None = None, timeout: float = 3.0) -> Probe:
    url = settings.AGORA_BROKER_URL if url is None else url
    if not url:
        return Probe("broker", True, "none configured; fan-out uses the database")
    parts = urlsplit(url)
    try:
        if parts.scheme in {"redis", "rediss"}:
            import redis

            redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout).ping()
            return Probe(
                "broker", True, f"redis at {parts.hostname}:{parts.port or 6379} answers PING"
            )
        if parts.scheme in {"nats", "tls"}:
            import nats

            async def ping() -> None:
                client = await nats.connect(
                    url, connect_timeout=timeout, max_reconnect_attempts=0, allow_reconnect=False
                )
                await client.flush(timeout=timeout)
                await client.close()

            asyncio.run(ping())
            return Probe("broker", True, f"nats at {parts.hostname}:{parts.port or 4222} answers")
        if parts.scheme in {"mqtt", "tcp"}:
            with socket.create_connection((parts.hostname, parts.port or 1883), timeout=timeout):
                return Probe(
                    "broker", True, f"mqtt port {parts.hostname}:{parts.port or 1883} open"
                )
        return Probe(
            "broker",
            False,
            f"AGORA_BROKER_URL scheme {parts.scheme!r} is not one of redis, nats, mqtt",
        )
    except Exception as exc:
        return Probe("broker", False, f"{url} is not reachable: {type(exc).__name__}: {exc}")
