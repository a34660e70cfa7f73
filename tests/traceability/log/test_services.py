"""log_append and checkpoint_sign against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from agora.core import clock
from agora.traceability import merkle
from agora.traceability.checkpoint import open_checkpoint
from agora.traceability.log import proofs, selectors, signing
from agora.traceability.log.audit import audit
from agora.traceability.log.services import LogRecord, checkpoint_sign, log_append
from agora.traceability.models import LogCheckpoint, LogEntry, LogHead, LogNode
from tests.traceability.log.conftest import all_bytes, entry_bytes, fill

pytestmark = pytest.mark.django_db


def test_append_returns_consecutive_indices_across_batches() -> None:
    assert fill(5) == [0, 1, 2, 3, 4]
    assert fill(3, start=5) == [5, 6, 7]
    entry = LogEntry.objects.get(index=6)
    assert (entry.kind, entry.ref, bytes(entry.data)) == ("test", "ref-6", entry_bytes(6))
    assert bytes(entry.leaf_hash) == merkle.leaf_hash(entry_bytes(6))
    assert LogHead.objects.get().size == 8
    assert LogNode.objects.count() == proofs.perfect_node_count(8)


def test_stored_proofs_match_the_reference_for_every_index_and_size() -> None:
    """The log is filled in uneven batches; every proof of every size up to 40 is checked."""
    total = 40
    for start, count in [(0, 1), (1, 2), (3, 7), (10, 6), (16, 1), (17, 23)]:
        fill(count, start=start)
    leaves = all_bytes(total)
    for size in range(1, total + 1):
        assert selectors.root_hash(tree_size=size) == merkle.root(leaves[:size])
        for index in range(size):
            assert selectors.inclusion_proof(index=index, tree_size=size) == merkle.inclusion_proof(
                leaves[:size], index
            )
        for old in range(size + 1):
            assert selectors.consistency_proof(first=old, second=size) == merkle.consistency_proof(
                leaves[:size], old
            )


def test_a_proof_reads_the_stored_nodes_in_one_query() -> None:
    fill(1000, batch=250)
    with CaptureQueriesContext(connection) as queries:
        proof = selectors.inclusion_proof(index=617, tree_size=999)
    node_queries = [q for q in queries.captured_queries if "trace_log_node" in q["sql"]]
    assert len(node_queries) == 1
    assert not [q for q in queries.captured_queries if "trace_log_entry" in q["sql"]]
    assert proof == merkle.inclusion_proof(all_bytes(999), 617)


def test_a_bad_record_appends_nothing() -> None:
    fill(3)
    bad_batches = [
        ([LogRecord("test", "ok", b"1"), LogRecord("", "x", b"2")], r"entries\[1\]\.kind"),
        ([LogRecord("test", "x" * 513, b"1")], r"entries\[0\]\.ref is 513 characters"),
        ([LogRecord("test", "x", "text")], r"entries\[0\]\.data must be bytes"),  # type: ignore[arg-type]
        ([LogRecord("test", "a\nb", b"1")], "control character"),
        (["not a record"], r"entries\[0\] must be a LogRecord"),
    ]
    for batch, message in bad_batches:
        with pytest.raises(ValueError, match=message):
            log_append(entries=batch)  # type: ignore[arg-type]
    assert LogHead.objects.get().size == 3
    assert LogEntry.objects.count() == 3


def test_an_empty_batch_writes_nothing() -> None:
    assert log_append(entries=[]) == []
    assert not LogHead.objects.exists()


def test_append_belongs_to_the_callers_transaction() -> None:
    fill(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        fill(5, start=2)
        raise RuntimeError("the caller fails after logging")
    assert LogHead.objects.get().size == 2
    assert LogNode.objects.count() == proofs.perfect_node_count(2)
    assert fill(1, start=2) == [2]
    assert selectors.root_hash(tree_size=3) == merkle.root(all_bytes(3))


def test_the_first_checkpoint_signs_the_empty_tree() -> None:
    signed = checkpoint_sign()
    assert signed is not None
    head = open_checkpoint(signed.note, signing.verifier_key())
    assert (head.size, head.root_hash, head.origin) == (0, merkle.EMPTY_ROOT, signing.origin())


def test_checkpoint_signs_only_when_the_log_grew_unless_forced() -> None:
    fill(11)
    first = checkpoint_sign()
    assert first is not None and first.size == 11
    assert checkpoint_sign() is None
    again = checkpoint_sign(force=True)
    assert again is not None and again.size == 11 and again.pk != first.pk
    fill(6, start=11)
    grown = checkpoint_sign()
    assert grown is not None
    head = open_checkpoint(grown.note, signing.verifier_key())
    assert head.size == 17
    assert head.root_hash == bytes(grown.root_hash) == merkle.root(all_bytes(17))
    assert LogCheckpoint.objects.count() == 3
    assert selectors.latest_checkpoint() == grown


def test_checkpoint_refuses_a_log_smaller_than_its_last_checkpoint() -> None:
    fill(4)
    checkpoint_sign()
    LogHead.objects.update(size=2)
    with pytest.raises(RuntimeError, match="the last checkpoint says 4 entries"):
        checkpoint_sign()


def test_append_refuses_a_store_with_a_missing_peak() -> None:
    fill(6)
    LogNode.objects.filter(key=proofs.Node(2, 0).key).delete()
    with pytest.raises(RuntimeError, match="level 2 position 0"):
        fill(1, start=6)
    assert LogHead.objects.get().size == 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_get_distinct_consecutive_indices() -> None:
    """Writers in their own connections: the head-row lock puts them in one order."""
    errors: list[BaseException] = []
    got: list[list[int]] = []
    lock = threading.Lock()

    def writer(name: str) -> None:
        try:
            for round_ in range(5):
                batch = [
                    LogRecord("race", f"{name}-{round_}-{i}", b"%b" % name.encode())
                    for i in range(20)
                ]
                with transaction.atomic():
                    indices = log_append(entries=batch)
                with lock:
                    got.append(indices)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    flat = sorted(i for batch in got for i in batch)
    assert flat == list(range(400))
    for batch in got:
        assert batch == list(range(batch[0], batch[0] + 20)), "a batch was interleaved"
    report = audit()
    assert report.ok, report.problems


def test_entries_keep_the_time_they_were_logged() -> None:
    moment = datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=UTC)
    with clock.frozen_at(moment):
        fill(2)
    assert [e.logged_at for e in LogEntry.objects.order_by("index")] == [moment, moment]
