"""Reads of the log: range checks, entries, bundles and proof status."""

from __future__ import annotations

import base64
import json

import pytest

from agora.core.errors import AgoraError
from agora.traceability import merkle
from agora.traceability.checkpoint import open_checkpoint
from agora.traceability.log import proofs, selectors, signing
from agora.traceability.log.errors import (
    ENTRY_NOT_LOGGED,
    ENTRY_NOT_YET_SIGNED,
    PROOF_OUT_OF_RANGE,
    TREE_SIZE_UNKNOWN,
)
from agora.traceability.log.services import LogRecord, checkpoint_sign, log_append
from agora.traceability.models import LogEntry, LogNode
from tests.traceability.log.conftest import all_bytes, fill

pytestmark = pytest.mark.django_db


def _problem(call, problem) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(AgoraError) as caught:
        call()
    assert caught.value.problem == problem
    return caught.value.detail


def test_out_of_range_proofs_name_the_value() -> None:
    fill(10)
    detail = _problem(lambda: selectors.inclusion_proof(index=10, tree_size=10), PROOF_OUT_OF_RANGE)
    assert "index 10" in detail
    detail = _problem(lambda: selectors.inclusion_proof(index=1, tree_size=11), TREE_SIZE_UNKNOWN)
    assert "tree_size 11" in detail and "10 entries" in detail
    detail = _problem(lambda: selectors.inclusion_proof(index=-1, tree_size=5), PROOF_OUT_OF_RANGE)
    assert "index -1 is negative" in detail
    detail = _problem(lambda: selectors.consistency_proof(first=6, second=5), PROOF_OUT_OF_RANGE)
    assert "first 6" in detail
    detail = _problem(lambda: selectors.consistency_proof(first=3, second=12), TREE_SIZE_UNKNOWN)
    assert "second 12" in detail
    assert selectors.consistency_proof(first=0, second=10) == []
    assert selectors.consistency_proof(first=10, second=10) == []


def test_subtree_hash_of_an_aligned_range_and_refusal_of_others() -> None:
    fill(13)
    leaves = all_bytes(13)
    assert selectors.subtree_hash(start=8, end=13) == merkle.root(leaves[8:13])
    assert selectors.subtree_hash(start=4, end=8) == merkle.root(leaves[4:8])
    detail = _problem(lambda: selectors.subtree_hash(start=3, end=7), PROOF_OUT_OF_RANGE)
    assert "[3, 7)" in detail
    assert selectors.root_hash(tree_size=0) == merkle.EMPTY_ROOT


def test_entries_are_clipped_to_the_log_and_to_the_page_limit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fill(12)
    got = selectors.entries(start=3, end=50)
    assert [e.index for e in got] == list(range(3, 12))
    assert selectors.entries(start=12, end=20) == []
    monkeypatch.setattr(selectors, "MAX_ENTRIES", 4)
    assert [e.index for e in selectors.entries(start=2, end=12)] == [2, 3, 4, 5]
    _problem(lambda: selectors.entries(start=13, end=14), TREE_SIZE_UNKNOWN)
    _problem(lambda: selectors.entries(start=5, end=4), PROOF_OUT_OF_RANGE)


def test_a_bundle_holds_what_an_offline_verifier_needs() -> None:
    fill(6)
    log_append(entries=[LogRecord("epcis.event", "ni:///sha-256;abc", b'{"type":"ObjectEvent"}')])
    fill(3, start=7)
    checkpoint_sign()
    bundle = selectors.bundle_for(kind="epcis.event", ref="ni:///sha-256;abc")
    assert bundle["format"] == "agora-trace-bundle/1"
    assert bundle["event"] == {"type": "ObjectEvent"}
    assert bundle["entry"]["index"] == 6
    assert bundle["log"]["verifier_key"] == signing.verifier_key()
    head = open_checkpoint(bundle["checkpoint"], bundle["log"]["verifier_key"])
    assert head.size == bundle["inclusion_proof"]["tree_size"] == 10
    data = base64.b64decode(bundle["entry"]["data"])
    proof = [base64.b64decode(h) for h in bundle["inclusion_proof"]["hashes"]]
    assert merkle.verify_inclusion(merkle.leaf_hash(data), 6, 10, proof, head.root_hash)
    json.dumps(bundle)  # serialisable as it is


def test_a_bundle_verifies_with_the_offline_verifier() -> None:
    bundle_module = pytest.importorskip("agora.traceability.bundle")
    fill(5)
    checkpoint_sign()
    bundle = selectors.bundle_for(kind="test", ref="ref-2")
    verdict = bundle_module.verify_bundle(bundle, trusted_keys=[signing.verifier_key()])
    assert verdict.ok, verdict


def test_a_bundle_needs_a_logged_and_signed_entry() -> None:
    _problem(lambda: selectors.bundle_for(kind="test", ref="ref-0"), ENTRY_NOT_LOGGED)
    fill(2)
    checkpoint_sign()
    fill(1, start=2)
    detail = _problem(lambda: selectors.bundle_for(kind="test", ref="ref-2"), ENTRY_NOT_YET_SIGNED)
    assert "entry #2" in detail and "covers 2 entries" in detail


def test_proof_status_checks_the_stored_bytes_against_the_signed_head() -> None:
    status = selectors.proof_status(kind="test", ref="ref-1")
    assert (status.logged, status.verified) == (False, False)
    fill(4)
    status = selectors.proof_status(kind="test", ref="ref-1")
    assert (status.logged, status.index, status.checkpoint_size, status.verified) == (
        True,
        1,
        None,
        False,
    )
    checkpoint_sign()
    status = selectors.proof_status(kind="test", ref="ref-1")
    assert (status.index, status.checkpoint_size, status.verified) == (1, 4, True)
    LogEntry.objects.filter(index=1).update(data=b'{"n":2}')
    assert not selectors.proof_status(kind="test", ref="ref-1").verified


def test_proof_status_is_not_verified_with_a_checkpoint_of_another_key(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fill(3)
    checkpoint_sign()
    settings.DATA_DIR = tmp_path / "other"  # a new key: the stored checkpoint no longer verifies
    assert not selectors.proof_status(kind="test", ref="ref-0").verified


def test_the_latest_entry_of_a_ref_answers() -> None:
    log_append(entries=[LogRecord("certificate", "crt_1", b'{"holder":"a"}')])
    fill(2, start=1)
    log_append(entries=[LogRecord("certificate", "crt_1", b'{"holder":"b"}')])
    entry = selectors.entry_for(kind="certificate", ref="crt_1")
    assert entry is not None and entry.index == 3


def test_proof_status_is_not_verified_when_a_stored_subtree_hash_changed() -> None:
    fill(8)
    checkpoint_sign()
    assert selectors.proof_status(kind="test", ref="ref-5").verified
    LogNode.objects.filter(key=proofs.Node(2, 0).key).update(hash=b"\x00" * 32)
    assert not selectors.proof_status(kind="test", ref="ref-5").verified


def test_proof_status_is_not_verified_for_a_copy_other_than_the_logged_bytes() -> None:
    """A page passes the record it shows: a copy changed after logging is never "verified"."""
    fill(3)
    checkpoint_sign()
    logged = bytes(LogEntry.objects.get(index=2).data)
    assert selectors.proof_status(kind="test", ref="ref-2", data=logged).verified
    assert not selectors.proof_status(kind="test", ref="ref-2", data=logged + b" ").verified
