"""``agora trace audit`` finds any changed byte, hash, row or checkpoint; the other commands."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agora.traceability import merkle
from agora.traceability.log import audit as audit_module
from agora.traceability.log import proofs, signing
from agora.traceability.log.audit import audit
from agora.traceability.log.services import checkpoint_sign
from agora.traceability.models import LogCheckpoint, LogEntry, LogNode
from tests.traceability.log.conftest import all_bytes, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """37 entries with checkpoints at 0, 10 and 37, audited in chunks of 8 (so checkpoints and
    chunk ends fall in different places)."""
    monkeypatch.setattr(audit_module, "CHUNK", 8)
    checkpoint_sign()
    fill(10)
    checkpoint_sign()
    fill(27, start=10)
    checkpoint_sign()


def test_an_untouched_log_passes(signed_log: None) -> None:
    report = audit()
    assert report.ok, report.problems
    assert (report.entries, report.checkpoints) == (37, 3)
    assert report.nodes == proofs.perfect_node_count(37)
    assert report.root == merkle.root(all_bytes(37))


def test_a_changed_byte_in_an_entry_is_found(signed_log: None) -> None:
    entry = LogEntry.objects.get(index=23)
    data = bytearray(entry.data)
    data[3] ^= 1
    LogEntry.objects.filter(index=23).update(data=bytes(data))
    report = audit()
    assert not report.ok
    assert "entry #23: its leaf hash does not match its data" in report.problems
    assert any("does not match the entries' hashes" in p for p in report.problems)
    assert any("checkpoint" in p and "root does not match" in p for p in report.problems)


def test_a_changed_subtree_hash_is_found(signed_log: None) -> None:
    LogNode.objects.filter(key=proofs.Node(3, 2).key).update(hash=b"\x00" * 32)
    problems = audit().problems
    assert problems == [
        "subtree level 3 position 2 (leaves 16..23) does not match the entries' hashes"
    ]


def test_missing_and_extra_rows_are_found(signed_log: None) -> None:
    LogNode.objects.filter(key=proofs.Node(1, 5).key).delete()
    assert "subtree level 1 position 5 is missing" in audit().problems
    LogNode.objects.create(key=proofs.Node(1, 5).key, hash=b"\x01" * 32)
    LogNode.objects.create(key=proofs.Node(0, 999).key, hash=b"\x01" * 32)
    assert any("subtree hashes are stored" in p for p in audit().problems)
    LogNode.objects.filter(key=proofs.Node(0, 999).key).delete()
    LogEntry.objects.filter(index=30).delete()
    assert "entry #30 is missing (the next stored is #31)" in audit().problems


def test_a_forged_checkpoint_is_found(signed_log: None) -> None:
    latest = LogCheckpoint.objects.order_by("-id").first()
    assert latest is not None
    LogCheckpoint.objects.filter(pk=latest.pk).update(note=latest.note.replace("37\n", "36\n"))
    problems = audit().problems
    assert any("does not verify with the log's key" in p for p in problems), problems


def test_the_audit_command_fails_on_a_mismatch(signed_log: None) -> None:
    out = StringIO()
    call_command("trace", "audit", stdout=out)
    assert out.getvalue().startswith("ok: 37 entries")
    out = StringIO()
    call_command("trace", "audit", "--json", stdout=out)
    assert json.loads(out.getvalue())["ok"] is True
    LogEntry.objects.filter(index=0).update(data=b"{}")
    with pytest.raises(CommandError, match="audit failed"):
        call_command("trace", "audit", stdout=StringIO(), stderr=StringIO())


def test_the_checkpoint_and_key_commands() -> None:
    fill(3)
    out = StringIO()
    call_command("trace", "checkpoint", stdout=out)
    assert out.getvalue().startswith(f"{signing.origin()}\n3\n")
    out = StringIO()
    call_command("trace", "checkpoint", stdout=out)
    assert out.getvalue().startswith("unchanged: the latest checkpoint already covers 3")
    out = StringIO()
    call_command("trace", "checkpoint", "--force", stdout=out)
    assert "\n3\n" in out.getvalue()
    out = StringIO()
    call_command("trace", "key", stdout=out)
    assert out.getvalue().strip() == signing.verifier_key()
