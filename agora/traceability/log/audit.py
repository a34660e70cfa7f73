"""Recompute the whole log from the stored bytes and compare with what is stored and signed.

The stored subtree hashes make proofs cheap, but they are only as good as their agreement with
the entries: a byte changed in an entry, a hash changed in a node, a missing or extra row, or a
checkpoint whose root or signature no longer matches are all found here. The entries are read
in index order in chunks, the tree is rebuilt with the same compact-range algorithm appends use,
and each chunk's expected nodes are compared with the stored ones; memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agora.traceability import merkle, note
from agora.traceability.checkpoint import CheckpointError, open_checkpoint
from agora.traceability.log import proofs, signing
from agora.traceability.models import LogCheckpoint, LogEntry, LogHead, LogNode

CHUNK = 5000
MAX_PROBLEMS = 50


@dataclass
class AuditReport:
    """What the audit checked and every mismatch it found (the first ``MAX_PROBLEMS``)."""

    size: int = 0
    entries: int = 0
    nodes: int = 0
    checkpoints: int = 0
    root: bytes = merkle.EMPTY_ROOT
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)


def audit(*, progress: Callable[[int, int], None] | None = None) -> AuditReport:
    """Check every entry, node and checkpoint; ``progress(done, total)`` after each chunk."""
    report = AuditReport()
    head = LogHead.objects.filter(pk=1).first()
    report.size = head.size if head else 0
    checkpoints = list(LogCheckpoint.objects.order_by("size", "id"))
    report.checkpoints = len(checkpoints)
    by_size: dict[int, list[LogCheckpoint]] = {}
    for checkpoint in checkpoints:
        by_size.setdefault(checkpoint.size, []).append(checkpoint)
    verifier = _verifier(report)

    peak_hashes: dict[int, bytes] = {}  # node key -> hash of the peaks of the tree so far
    index = 0
    _check_checkpoints(report, by_size.pop(0, []), 0, merkle.EMPTY_ROOT, verifier)
    rows = LogEntry.objects.order_by("index").values_list("index", "data", "leaf_hash")
    while chunk := list(rows.filter(index__gte=index)[:CHUNK]):
        leaves: list[bytes] = []
        for offset, (stored_index, data, stored_leaf) in enumerate(chunk):
            if stored_index != index + offset:
                report.problem(
                    f"entry #{index + offset} is missing (the next stored is #{stored_index})"
                )
                return _finish(report, index)
            leaf = merkle.leaf_hash(bytes(data))
            if bytes(stored_leaf) != leaf:
                report.problem(f"entry #{stored_index}: its leaf hash does not match its data")
            leaves.append(leaf)
        start, end = index, index + len(leaves)
        cuts = sorted(size for size in by_size if start < size < end)
        expected: dict[int, bytes] = {}
        for cut in [*cuts, end]:
            old = [peak_hashes[node.key] for node in proofs.peaks(index)]
            segment = leaves[index - start : cut - start]
            expected.update((n.key, h) for n, h in proofs.extend(index, old, segment))
            index = cut
            peak_hashes = {
                n.key: expected.get(n.key) or peak_hashes[n.key] for n in proofs.peaks(index)
            }
            root = proofs.fold(list(peak_hashes.values()))
            _check_checkpoints(report, by_size.pop(index, []), index, root, verifier)
        _compare_nodes(report, expected)
        report.entries = index
        if progress:
            progress(index, report.size)
    for size, pending in by_size.items():
        for checkpoint in pending:
            report.problem(f"checkpoint #{checkpoint.pk} says {size} entries; the log has {index}")
    return _finish(report, index)


def _compare_nodes(report: AuditReport, expected: dict[int, bytes]) -> None:
    keys = sorted(expected)
    for start in range(0, len(keys), 1000):
        batch = keys[start : start + 1000]
        stored = dict(LogNode.objects.filter(key__in=batch).values_list("key", "hash"))
        for key in batch:
            node = proofs.node_at_key(key)
            if key not in stored:
                report.problem(f"subtree level {node.level} position {node.position} is missing")
            elif bytes(stored[key]) != expected[key]:
                report.problem(
                    f"subtree level {node.level} position {node.position} (leaves "
                    f"{node.start}..{node.end - 1}) does not match the entries' hashes"
                )


def _finish(report: AuditReport, index: int) -> AuditReport:
    report.entries = index
    if index != report.size:
        report.problem(f"the log head says {report.size} entries; {index} are stored")
    report.nodes = LogNode.objects.count()
    if report.nodes != proofs.perfect_node_count(index):
        report.problem(
            f"{report.nodes} subtree hashes are stored; a tree of {index} entries has "
            f"{proofs.perfect_node_count(index)}"
        )
    return report


def _verifier(report: AuditReport) -> str | None:
    try:
        return signing.verifier_key()
    except Exception as exc:  # a broken key is a finding, not a crash
        report.problem(f"the log's signing key cannot be loaded: {exc}")
        return None


def _check_checkpoints(
    report: AuditReport,
    checkpoints: list[LogCheckpoint],
    size: int,
    root: bytes,
    verifier: str | None,
) -> None:
    report.root = root
    for checkpoint in checkpoints:
        label = f"checkpoint #{checkpoint.pk} (size {size})"
        if bytes(checkpoint.root_hash) != root:
            report.problem(f"{label}: its stored root does not match the entries")
        if verifier is None:
            continue
        try:
            head = open_checkpoint(checkpoint.note, verifier)
        except (note.NoteError, CheckpointError) as exc:
            report.problem(f"{label}: its note does not verify with the log's key: {exc}")
            continue
        if head.size != size or head.root_hash != root:
            report.problem(f"{label}: the signed note names another tree than the entries")
