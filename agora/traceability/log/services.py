"""The log's two writers: ``log_append`` (entries and their subtree hashes) and
``checkpoint_sign`` (signed tree heads). Nothing else writes the log's tables.

Both lock the one log-head row first (``select_for_update``), so appends are serialised in one
order and a checkpoint sees a size whose nodes are all written; it is the only row they lock, so
two writers cannot deadlock. On SQLite the IMMEDIATE transaction's write lock already does this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Model

from agora.core import clock
from agora.traceability import merkle
from agora.traceability.checkpoint import Checkpoint
from agora.traceability.log import proofs, signing
from agora.traceability.models import LogCheckpoint, LogEntry, LogHead, LogNode

MAX_KIND = 64
MAX_REF = 512
MAX_DATA = 1_000_000


@dataclass(frozen=True)
class LogRecord:
    """What a caller logs: a ``kind`` (``epcis.event``, ``certificate``...), the record's public
    ``ref`` within that kind, and ``data``, the canonical bytes whose leaf hash enters the tree."""

    kind: str
    ref: str
    data: bytes


def log_append(*, entries: Sequence[LogRecord]) -> list[int]:
    """Append ``entries`` in the given order, in the caller's transaction; returns their indices.

    Every record is checked before anything is written (a bad one raises ``ValueError`` naming
    it, and nothing is appended). One batch costs one lock on the head row, one read of the old
    tree's peaks (at most log2(n) nodes), and two bulk inserts: the entries, and every perfect
    subtree they complete (amortised two nodes an entry).
    """
    records = list(entries)
    for position, record in enumerate(records):
        _check_record(record, position)
    if not records:
        return []
    now = clock.now()
    leaf_hashes = [merkle.leaf_hash(bytes(record.data)) for record in records]
    with transaction.atomic():
        head = _locked_head()
        size = head.size
        if size + len(records) > proofs.MAX_LEAVES:
            raise ValueError(f"the log holds {size} entries; {len(records)} more would overflow")
        completed = proofs.extend(size, _peak_hashes(size), leaf_hashes)
        logged_at = connection.ops.adapt_datetimefield_value(now)
        _insert(
            LogEntry,
            ["index", "kind", "ref", "data", "leaf_hash", "logged_at"],
            [
                (size + offset, record.kind, record.ref, bytes(record.data), leaf, logged_at)
                for offset, (record, leaf) in enumerate(zip(records, leaf_hashes, strict=True))
            ],
        )
        _insert(LogNode, ["key", "hash"], [(node.key, digest) for node, digest in completed])
        head.size = size + len(records)
        head.updated_at = now
        head.save(update_fields=["size", "updated_at"])
    return list(range(size, size + len(records)))


def checkpoint_sign(*, force: bool = False) -> LogCheckpoint | None:
    """Sign the current tree head as a C2SP checkpoint note when the log grew since the last one
    (or none exists yet, even at size 0: an empty log has a root too). ``force`` signs again at
    the same size, e.g. after the key changed. Returns the new checkpoint row, or None."""
    key = signing.signing_key()
    origin = signing.origin()
    with transaction.atomic():
        head = _locked_head()
        latest = LogCheckpoint.objects.order_by("-size", "-id").first()
        if latest is not None and latest.size > head.size:
            raise RuntimeError(
                f"the last checkpoint says {latest.size} entries but the log holds {head.size}"
            )
        if latest is not None and latest.size == head.size and not force:
            return None
        root = proofs.fold(_peak_hashes(head.size))
        body = Checkpoint(origin=origin, size=head.size, root_hash=root)
        return LogCheckpoint.objects.create(
            size=head.size,
            root_hash=root,
            origin=origin,
            note=body.sign(key),
            signed_at=clock.now(),
        )


def _insert(model: type[Model], fields: list[str], rows: list[tuple[object, ...]]) -> None:
    """Insert rows with one ``executemany`` through Django's connection.

    The log's rows are plain values (ints, short strings, bytes, one timestamp adapted once), so
    the ORM's ``bulk_create`` has nothing to add but its per-value SQL compilation, which
    profiling showed to be three quarters of an append's time (bench/trace_log.py). The
    statement is built from the model's own table and column names, so it follows the schema.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _locked_head() -> LogHead:
    """The head row, locked for this transaction (created by the first writer ever)."""
    head, _ = LogHead.objects.select_for_update().get_or_create(pk=1)
    return head


def _peak_hashes(size: int) -> list[bytes]:
    """The hashes of the old tree's peaks, largest first, in one query."""
    wanted = proofs.peaks(size)
    rows = dict(LogNode.objects.filter(key__in=[n.key for n in wanted]).values_list("key", "hash"))
    missing = [n for n in wanted if n.key not in rows]
    if missing:
        raise RuntimeError(
            f"the log store is incomplete: subtree level {missing[0].level} position "
            f"{missing[0].position} of a tree of {size} entries is missing"
        )
    return [bytes(rows[n.key]) for n in wanted]


def _check_record(record: object, position: int) -> None:
    if not isinstance(record, LogRecord):
        raise ValueError(f"entries[{position}] must be a LogRecord, not {type(record).__name__}")
    for name, value, limit in (("kind", record.kind, MAX_KIND), ("ref", record.ref, MAX_REF)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"entries[{position}].{name} must be a non-empty string")
        if len(value) > limit:
            raise ValueError(
                f"entries[{position}].{name} is {len(value)} characters; at most {limit}"
            )
        if any(c < " " or c == "\x7f" for c in value):
            raise ValueError(f"entries[{position}].{name} {value!r} contains a control character")
    if not isinstance(record.data, (bytes, bytearray)):
        raise ValueError(
            f"entries[{position}].data must be bytes, not {type(record.data).__name__}"
        )
    if len(record.data) > MAX_DATA:
        raise ValueError(
            f"entries[{position}].data is {len(record.data)} bytes; at most {MAX_DATA}"
        )
