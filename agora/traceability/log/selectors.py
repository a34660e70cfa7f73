"""Reads of the transparency log: proofs from stored subtree hashes, entries, checkpoints,
the offline bundle of one logged record, and a record's proof status for passports.

Proofs never touch the leaves: ``log/proofs.py`` says which O(log n) perfect subtrees a proof
needs, one primary-key query fetches them, and the right edge is folded in memory. Bad sizes
and indices raise ``AgoraError`` with the log's problem types, naming the value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agora.core.errors import AgoraError
from agora.traceability import merkle
from agora.traceability.bundle import build_bundle
from agora.traceability.checkpoint import Checkpoint, open_checkpoint
from agora.traceability.log import proofs, signing
from agora.traceability.log.errors import (
    ENTRY_NOT_LOGGED,
    ENTRY_NOT_YET_SIGNED,
    PROOF_OUT_OF_RANGE,
    TREE_SIZE_UNKNOWN,
)
from agora.traceability.models import LogCheckpoint, LogEntry, LogHead, LogNode

MAX_ENTRIES = 1000


@dataclass(frozen=True)
class ProofStatus:
    """What a passport says about a record: logged at ``index``, and whether its inclusion proof
    checks against the latest signed checkpoint (of ``checkpoint_size`` entries)."""

    logged: bool
    index: int | None
    checkpoint_size: int | None
    verified: bool


def log_size() -> int:
    """How many entries the log holds now (0 before the first append)."""
    size = LogHead.objects.filter(pk=1).values_list("size", flat=True).first()
    return size or 0


def inclusion_proof(*, index: int, tree_size: int) -> list[bytes]:
    """PATH(index, D[0:tree_size]) of RFC 9162, leaf to root, from O(log n) stored nodes."""
    _require_natural(index=index, tree_size=tree_size)
    if index >= tree_size:
        raise AgoraError(PROOF_OUT_OF_RANGE, f"index {index} is not below tree_size {tree_size}")
    _require_logged(tree_size, "tree_size")
    return _proof(proofs.inclusion_ranges(index, tree_size))


def consistency_proof(*, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 9162: the older tree is a prefix of the newer one."""
    _require_natural(first=first, second=second)
    if first > second:
        raise AgoraError(PROOF_OUT_OF_RANGE, f"first {first} is larger than second {second}")
    _require_logged(second, "second")
    return _proof(proofs.consistency_ranges(first, second))


def subtree_hash(*, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a range that is a subtree of the log's tree (``start`` a multiple
    of the largest power of two not above its length), from stored nodes only."""
    _require_natural(start=start, end=end)
    if start >= end:
        raise AgoraError(PROOF_OUT_OF_RANGE, f"range [{start}, {end}) is empty")
    _require_logged(end, "end")
    try:
        proofs.range_nodes(start, end)
    except ValueError as exc:
        raise AgoraError(PROOF_OUT_OF_RANGE, str(exc)) from None
    return _proof([(start, end)])[0]


def root_hash(*, tree_size: int) -> bytes:
    """The root of the first ``tree_size`` entries (SHA-256 of nothing for the empty tree)."""
    _require_natural(tree_size=tree_size)
    _require_logged(tree_size, "tree_size")
    return subtree_hash(start=0, end=tree_size) if tree_size else merkle.EMPTY_ROOT


def entries(*, start: int, end: int) -> list[LogEntry]:
    """Entries ``start`` to ``end`` (exclusive), at most ``MAX_ENTRIES`` of them: a shorter
    answer ends at the log's size or at the limit, and the caller asks again from there."""
    _require_natural(start=start, end=end)
    if end < start:
        raise AgoraError(PROOF_OUT_OF_RANGE, f"end {end} is before start {start}")
    size = log_size()
    if start > size:
        raise AgoraError(TREE_SIZE_UNKNOWN, f"start {start} is past the log's {size} entries")
    stop = min(end, size, start + MAX_ENTRIES)
    return list(LogEntry.objects.filter(index__gte=start, index__lt=stop).order_by("index"))


def latest_checkpoint() -> LogCheckpoint | None:
    """The newest signed tree head (the largest size; the latest signature of that size)."""
    return LogCheckpoint.objects.order_by("-size", "-id").first()


def checkpoint_note() -> str:
    """The signed note of the latest checkpoint; before the first one is stored, the empty tree
    signed now (true of every log at its start and consistent with every later head), so the
    endpoint always answers and a GET never writes."""
    latest = latest_checkpoint()
    if latest is not None:
        return latest.note
    empty = Checkpoint(origin=signing.origin(), size=0, root_hash=merkle.EMPTY_ROOT)
    return empty.sign(signing.signing_key())


def entry_for(*, kind: str, ref: str) -> LogEntry | None:
    """The newest entry logged for ``kind``/``ref`` (a record logged again, such as a
    certificate after a transfer, is answered by its latest state)."""
    if any(c < " " for c in kind + ref):  # never logged (appends refuse them); NUL breaks SQL
        return None
    return LogEntry.objects.filter(kind=kind, ref=ref).order_by("-index").first()


# Where each kind's record is kept for people to read (the EPCIS event table, the certificate
# table), registered by the part that owns it. A bundle shows that stored copy next to the
# logged bytes, so a copy changed after logging fails ``agora trace verify``.
_RECORD_SOURCES: dict[str, Callable[[str], Any]] = {}


def record_source(kind: str) -> Callable[[Callable[[str], Any]], Callable[[str], Any]]:
    """Register ``fn(ref) -> record or None`` as where ``kind``'s readable records live."""

    def register(fn: Callable[[str], Any]) -> Callable[[str], Any]:
        _RECORD_SOURCES[kind] = fn
        return fn

    return register


def bundle_for(*, kind: str, ref: str) -> dict[str, Any]:
    """The offline bundle of one record (format ``agora-trace-bundle/1``): its bytes, their
    inclusion proof in the latest signed checkpoint, the checkpoint and the log's public key,
    everything ``agora trace verify`` needs without us."""
    entry = entry_for(kind=kind, ref=ref)
    if entry is None:
        raise AgoraError(ENTRY_NOT_LOGGED, f"nothing of kind {kind!r} with ref {ref!r} is logged")
    checkpoint = latest_checkpoint()
    if checkpoint is None or entry.index >= checkpoint.size:
        signed = checkpoint.size if checkpoint else 0
        raise AgoraError(
            ENTRY_NOT_YET_SIGNED,
            f"entry #{entry.index} is not yet in a signed checkpoint (the latest covers "
            f"{signed} entries); try again in a minute",
        )
    return build_bundle(
        index=entry.index,
        kind=entry.kind,
        ref=entry.ref,
        data=bytes(entry.data),
        tree_size=checkpoint.size,
        proof=inclusion_proof(index=entry.index, tree_size=checkpoint.size),
        checkpoint_note=checkpoint.note,
        verifier_key=signing.verifier_key(),
        origin=checkpoint.origin,
        **_stored_record(kind, ref),
    )


def _stored_record(kind: str, ref: str) -> dict[str, Any]:
    """``{"event": the stored copy}`` when the kind's owner keeps one, else nothing (the bundle
    then shows the record decoded from the logged bytes)."""
    source = _RECORD_SOURCES.get(kind)
    record = source(ref) if source is not None else None
    return {} if record is None else {"event": record}


def proof_status(*, kind: str, ref: str, data: bytes | None = None) -> ProofStatus:
    """Whether ``kind``/``ref`` is logged and its inclusion proof checks, from the stored bytes
    up, against the latest checkpoint whose signature checks with the log's key.

    ``data``, when given, is what the caller is about to show as that record (re-wrapped with
    ``records.log_data``): it must be the very bytes logged, or the record is not verified. So
    a page never says "verified" next to a copy that was changed after it was logged.
    """
    entry = entry_for(kind=kind, ref=ref)
    checkpoint = latest_checkpoint()
    size = checkpoint.size if checkpoint else None
    if entry is None:
        return ProofStatus(logged=False, index=None, checkpoint_size=size, verified=False)
    verified = False
    same_record = data is None or bytes(data) == bytes(entry.data)
    if same_record and checkpoint is not None and entry.index < checkpoint.size:
        try:
            head = open_checkpoint(checkpoint.note, signing.verifier_key())
            verified = head.size == checkpoint.size and merkle.verify_inclusion(
                merkle.leaf_hash(bytes(entry.data)),
                entry.index,
                head.size,
                inclusion_proof(index=entry.index, tree_size=head.size),
                head.root_hash,
            )
        except (AgoraError, ValueError, KeyError):  # a broken store or key is "not verified"
            verified = False
    return ProofStatus(logged=True, index=entry.index, checkpoint_size=size, verified=verified)


def _proof(ranges: list[proofs.Range]) -> list[bytes]:
    """Fetch every node the ranges need in one query and fold them into the proof hashes."""
    keys = [node.key for node in proofs.nodes_for(ranges)]
    stored = {
        key: bytes(digest)
        for key, digest in LogNode.objects.filter(key__in=keys).values_list("key", "hash")
    }
    return proofs.assemble(ranges, stored)


def _require_natural(**values: int) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise AgoraError(PROOF_OUT_OF_RANGE, f"{name} must be an integer, got {value!r}")
        if value < 0:
            raise AgoraError(PROOF_OUT_OF_RANGE, f"{name} {value} is negative")


def _require_logged(size: int, name: str) -> None:
    logged = log_size()
    if size > logged:
        raise AgoraError(
            TREE_SIZE_UNKNOWN, f"{name} {size} is larger than the log ({logged} entries)"
        )
