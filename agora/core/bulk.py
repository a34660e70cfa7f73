"""Helpers for the bulk services that load history (imports): rows by the hundred thousand, in
the caller's transaction, without per-row audit entries or events.

Each app that can be bulk-loaded keeps its own ``bulk.py`` (``accounts.bulk``,
``catalog.bulk``, ``pricing.bulk``, ``orders.bulk``), so an app's tables are still written only
by that app's code; this module holds what they share: :func:`insert_plain`, :func:`chunks` and
:func:`require_atomic`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connections, router, transaction
from django.db.models import CharField, ForeignKey, IntegerField, Model

CHUNK = 900  # values per IN (...) list: far below every database's parameter limit


class BulkOutsideTransaction(RuntimeError):
    """A bulk service was called outside a transaction: its writes would not be all or
    nothing with the rest of the batch."""


def require_atomic(what: str) -> None:
    """Refuses to go on outside ``transaction.atomic()``. Bulk services write part of a batch
    (buyers, products, prices …); only the caller's transaction makes the batch all or nothing.
    """
    if not transaction.get_connection().in_atomic_block:
        raise BulkOutsideTransaction(f"{what} must be called inside the caller's transaction")


def chunks[T](items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``, for ``__in`` lookups and multi-row statements
    that must stay under the database's limit of bound parameters."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def insert_plain(
    model: type[Model],
    names: list[str],
    rows: list[tuple[Any, ...]],
    *,
    upsert: tuple[list[str], list[str]] | None = None,
) -> None:
    """Inserts ``rows`` (values in the order of the field ``names``) in a few statements; with
    ``upsert=(unique fields, fields to update)`` a row that exists is updated instead.

    Why raw SQL: for the tables an import fills by the hundred thousand (order lines, price
    changes, current prices), building a model instance per row made ``bulk_create`` cost four
    times the database's own work (measured on the Online Retail import; ``bench/import.py``).

    How it stays portable and safe: the SQL is plain ``INSERT … VALUES (%s, …)`` and
    ``ON CONFLICT (…) DO UPDATE SET c = excluded.c``, which SQLite (3.24+) and PostgreSQL
    (9.5+) both accept; table and column names come from the model's ``_meta`` through the
    backend's ``quote_name``, and every value is a bound parameter, never text in the SQL.
    Values pass through the fields' ``get_db_prep_save`` where the type needs it (datetimes), so
    every backend gets what the ORM would send.

    Only for models without ``pre_save`` logic (no public id, no ``auto_now``) and when the
    caller needs no ids back.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(model._meta.get_field(name).column)  # type: ignore[union-attr]

    fields = [model._meta.get_field(name) for name in names]
    prepare = [
        i for i, f in enumerate(fields) if not isinstance(f, (IntegerField, CharField, ForeignKey))
    ]
    if prepare:
        rows = [list(row) for row in rows]  # type: ignore[misc]
        for row in rows:
            for i in prepare:
                row[i] = fields[i].get_db_prep_save(row[i], connection)  # type: ignore[index]
    columns = ", ".join(column(name) for name in names)
    one_row = "(" + ", ".join(["%s"] * len(names)) + ")"
    suffix = ""
    if upsert is not None:
        unique, update = upsert
        assignments = ", ".join(f"{column(n)} = excluded.{column(n)}" for n in update)
        suffix = (
            f" ON CONFLICT ({', '.join(column(n) for n in unique)}) DO UPDATE SET {assignments}"
        )

    def insert(count: int) -> str:
        values = ", ".join([one_row] * count)
        return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}{suffix}"

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite runs one prepared single-row statement fastest, in process.
            for chunk in chunks(rows, 5000):
                cursor.executemany(insert(1), chunk)
            return
        # A server parses every statement it is sent: many rows per statement (under the
        # 65535 bind parameters PostgreSQL allows), as bulk_create does.
        per_statement = max(1, 8000 // len(names))
        for chunk in chunks(rows, per_statement):
            cursor.execute(insert(len(chunk)), [value for row in chunk for value in row])
