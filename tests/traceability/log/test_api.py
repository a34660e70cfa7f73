"""The public log endpoints under /api/v1/trace: no key, plain-text notes, RFC 9457 problems."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from agora.traceability import merkle
from agora.traceability.checkpoint import open_checkpoint
from agora.traceability.log import signing
from agora.traceability.log.services import LogRecord, checkpoint_sign, log_append
from agora.traceability.models import LogCheckpoint
from tests.conftest import assert_problem
from tests.traceability.log.conftest import all_bytes, fill

pytestmark = pytest.mark.django_db
BASE = "/api/v1/trace"


def _hashes(body: dict) -> list[bytes]:
    return [base64.b64decode(h) for h in body["hashes"]]


def test_checkpoint_and_key_are_plain_text_a_verifier_reads() -> None:
    client = Client()
    empty = client.get(f"{BASE}/checkpoint")  # before the first is stored: the empty tree
    head = open_checkpoint(empty.content.decode(), signing.verifier_key())
    assert (head.size, head.root_hash) == (0, merkle.EMPTY_ROOT)
    assert not LogCheckpoint.objects.exists()
    fill(9)
    checkpoint_sign()
    response = client.get(f"{BASE}/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    key = client.get(f"{BASE}/key")
    assert key["Content-Type"] == "text/plain; charset=utf-8"
    assert key.content.decode().strip() == signing.verifier_key()
    head = open_checkpoint(response.content.decode(), key.content.decode().strip())
    assert (head.size, head.root_hash) == (9, merkle.root(all_bytes(9)))


def test_inclusion_and_consistency_proofs() -> None:
    fill(21)
    client = Client()
    response = client.get(f"{BASE}/proof/inclusion", {"index": 13, "tree_size": 20})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["index"], body["tree_size"]) == (13, 20)
    assert _hashes(body) == merkle.inclusion_proof(all_bytes(20), 13)
    response = client.get(f"{BASE}/proof/consistency", {"first": 7, "second": 21})
    body = response.json()
    assert (body["first"], body["second"]) == (7, 21)
    assert _hashes(body) == merkle.consistency_proof(all_bytes(21), 7)


def test_out_of_range_requests_are_problems_naming_the_value() -> None:
    fill(5)
    client = Client()
    body = assert_problem(
        client.get(f"{BASE}/proof/inclusion", {"index": 5, "tree_size": 5}),
        400,
        "trace-proof-out-of-range",
    )
    assert "index 5" in body["detail"]
    body = assert_problem(
        client.get(f"{BASE}/proof/inclusion", {"index": 0, "tree_size": 6}),
        404,
        "trace-tree-size-unknown",
    )
    assert "tree_size 6" in body["detail"]
    body = assert_problem(
        client.get(f"{BASE}/proof/consistency", {"first": -1, "second": 3}),
        400,
        "trace-proof-out-of-range",
    )
    assert "first -1" in body["detail"]
    assert_problem(
        client.get(f"{BASE}/proof/consistency", {"first": 2, "second": 99}),
        404,
        "trace-tree-size-unknown",
    )
    assert_problem(client.get(f"{BASE}/proof/inclusion", {"index": "x", "tree_size": 3}), 422)


def test_entries_page() -> None:
    fill(4)
    response = Client().get(f"{BASE}/entries", {"start": 1, "end": 3})
    assert response.status_code == 200
    entries = response.json()["entries"]
    assert [e["index"] for e in entries] == [1, 2]
    assert base64.b64decode(entries[0]["data"]) == all_bytes(4)[1]
    assert entries[0]["kind"] == "test" and entries[0]["ref"] == "ref-1"
    assert_problem(
        Client().get(f"{BASE}/entries", {"start": 9, "end": 12}), 404, "trace-tree-size-unknown"
    )


def test_bundle_of_a_record_whose_ref_holds_slashes() -> None:
    ref = "ni:///sha-256;abc"
    log_append(entries=[LogRecord("epcis.event", ref, b'{"type":"ObjectEvent"}')])
    client = Client()
    assert_problem(
        client.get(f"{BASE}/bundle/epcis.event/{ref}"), 409, "trace-entry-not-yet-signed"
    )
    checkpoint_sign()
    response = client.get(f"{BASE}/bundle/epcis.event/{ref}")
    assert response.status_code == 200, response.content
    bundle = response.json()
    assert bundle["entry"]["ref"] == ref
    assert bundle["inclusion_proof"] == {"tree_size": 1, "hashes": []}
    assert_problem(client.get(f"{BASE}/bundle/epcis.event/other"), 404, "trace-entry-not-logged")
    assert_problem(client.get(f"{BASE}/bundle/epcis.event/a%00b"), 404, "trace-entry-not-logged")
