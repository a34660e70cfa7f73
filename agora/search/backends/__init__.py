"""The full-text backend for the database in use: SQLite FTS5 or PostgreSQL full text."""

from __future__ import annotations

from django.db import connection

from agora.search.backends.base import Backend, Fragment, MatchPlan


def backend() -> Backend:
    """The backend of the default database's vendor (chosen per call: tests may switch)."""
    if connection.vendor == "postgresql":
        from agora.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from agora.search.backends.sqlite import SqliteBackend

    return SqliteBackend()


__all__ = ["Backend", "Fragment", "MatchPlan", "backend"]
