"""Proof bundles: one log entry with everything needed to check it offline.

A bundle is a JSON object a buyer or auditor downloads and checks on their own machine, without
our database, settings or network::

    {"format": "agora-trace-bundle/1",
     "log": {"origin": ..., "verifier_key": ...},
     "entry": {"index": ..., "kind": ..., "ref": ..., "data": base64 canonical bytes},
     "inclusion_proof": {"tree_size": ..., "hashes": [base64, ...]},
     "checkpoint": "<signed note>",
     "event": <optional: the decoded JSON of entry.data, for people to read>}

``verify_bundle`` checks the signed checkpoint (C2SP signed-note + tlog-checkpoint), that the
inclusion proof is for that very tree, that it leads from SHA-256(0x00 || data) to the signed
root (RFC 9162), and that the readable ``event`` is the logged record. The leaf hashes
``entry.data`` alone; Agora logs every record wrapped with its kind and ref
(``records.log_data``), so the verifier checks ``entry.kind`` and ``entry.ref`` against the
wrapper and they are covered by the proof too (``Verdict.labels_covered``). For bytes that are
not such a wrapper the labels are only finding aids, and the verdict says so. It never raises on
bad input: every problem becomes a reason in the verdict. Pure Python: no Django, no I/O.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from agora.traceability import merkle, note
from agora.traceability.canonical import canonical_bytes
from agora.traceability.checkpoint import CheckpointError, parse_checkpoint
from agora.traceability.records import read_log_data

FORMAT = "agora-trace-bundle/1"
# A bundle holds one entry and a log(n) proof; anything this large is not one of ours.
MAX_BUNDLE_BYTES = 10_000_000
_OMIT = object()


@dataclass
class Verdict:
    """What ``verify_bundle`` found: ``ok`` only when ``reasons`` is empty."""

    ok: bool
    reasons: list[str]
    index: int | None = None
    tree_size: int | None = None
    signer: str | None = None
    origin: str | None = None
    kind: str | None = None
    ref: str | None = None
    key_trusted: bool = False
    labels_covered: bool = False
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "reasons": list(self.reasons),
            "warnings": list(self.warnings),
            "index": self.index,
            "tree_size": self.tree_size,
            "signer": self.signer,
            "origin": self.origin,
            "kind": self.kind,
            "ref": self.ref,
            "key_trusted": self.key_trusted,
            "labels_covered": self.labels_covered,
        }


def build_bundle(
    *,
    index: int,
    kind: str,
    ref: str,
    data: bytes,
    tree_size: int,
    proof: Sequence[bytes],
    checkpoint_note: str,
    verifier_key: str,
    origin: str | None = None,
    event: Any = _OMIT,
) -> dict[str, Any]:
    """Assemble a bundle from a log entry, its inclusion proof and the signed checkpoint.

    ``origin`` defaults to the checkpoint's origin line; ``event`` defaults to the wrapped
    record in ``data`` (``records.log_data``), else ``data`` decoded as JSON (left out when
    ``data`` is not JSON). Raises ``ValueError`` on inputs that could
    never verify (a hash that is not 32 bytes, a checkpoint that does not parse), so a broken
    bundle is caught where it is made rather than by the buyer.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise ValueError(f"data must be bytes, not {type(data).__name__}")
    hashes = [bytes(h) for h in proof]
    if any(len(h) != merkle.HASH_SIZE for h in hashes):
        raise ValueError(f"every proof hash must be {merkle.HASH_SIZE} bytes")
    text, _ = note.split_note(checkpoint_note)
    checkpoint = parse_checkpoint(text)
    if checkpoint.size != tree_size:
        raise ValueError(f"proof tree size {tree_size} is not the checkpoint's {checkpoint.size}")
    note.parse_verifier_key(verifier_key)
    bundle: dict[str, Any] = {
        "format": FORMAT,
        "log": {"origin": origin or checkpoint.origin, "verifier_key": verifier_key},
        "entry": {"index": index, "kind": kind, "ref": ref, "data": _b64(bytes(data))},
        "inclusion_proof": {"tree_size": tree_size, "hashes": [_b64(h) for h in hashes]},
        "checkpoint": checkpoint_note,
    }
    if event is _OMIT:
        logged = read_log_data(bytes(data))
        if logged is not None:
            event = logged.record
        else:
            try:
                event = json.loads(bytes(data))
            except (ValueError, RecursionError):
                event = _OMIT
    if event is not _OMIT:
        bundle["event"] = event
    return bundle


def verify_bundle(
    bundle: dict[str, Any] | bytes | str, *, trusted_keys: Sequence[str] | None = None
) -> Verdict:
    """Check a bundle offline; never raises, every problem is a reason."""
    try:
        return _verify(bundle, trusted_keys)
    except Exception as exc:  # a verifier must answer, not crash
        return Verdict(False, [f"the bundle could not be checked: {type(exc).__name__}: {exc}"])


def load_bundle(raw: bytes | str) -> dict[str, Any]:
    """Parse bundle JSON; ``ValueError`` names the problem (truncated, not JSON, too large)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_BUNDLE_BYTES:
        raise ValueError(f"the bundle is {len(raw)} bytes, more than {MAX_BUNDLE_BYTES}")
    if not raw.strip():
        raise ValueError("the bundle is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the bundle is not UTF-8 text (byte {exc.start})") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        at_end = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        hint = " (the file looks truncated)" if at_end else ""
        raise ValueError(
            f"the bundle is not valid JSON: {exc.msg}: line {exc.lineno} column {exc.colno}{hint}"
        ) from None
    except RecursionError:
        raise ValueError("the bundle is not valid JSON: nested too deeply") from None
    if not isinstance(value, dict):
        raise ValueError(f"the bundle must be a JSON object, not {type(value).__name__}")
    return value


def _verify(bundle: dict[str, Any] | bytes | str, trusted_keys: Sequence[str] | None) -> Verdict:
    verdict = Verdict(False, [])
    reasons = verdict.reasons
    if isinstance(bundle, (bytes, bytearray, str)):
        try:
            bundle = load_bundle(bytes(bundle) if isinstance(bundle, bytearray) else bundle)
        except ValueError as exc:
            return Verdict(False, [str(exc)])
    if not isinstance(bundle, dict):
        return Verdict(False, [f"the bundle must be a JSON object, not {type(bundle).__name__}"])
    if bundle.get("format") != FORMAT:
        reasons.append(f"format is {bundle.get('format')!r}, expected {FORMAT!r}")
        return verdict

    log = _object(bundle, "log", reasons)
    entry = _object(bundle, "entry", reasons)
    proof = _object(bundle, "inclusion_proof", reasons)
    signed = bundle.get("checkpoint")
    if not isinstance(signed, str):
        reasons.append("checkpoint must be the signed note text")

    origin = _string(log, "log", "origin", reasons)
    bundle_key = _string(log, "log", "verifier_key", reasons)
    index = _size(entry, "entry", "index", reasons)
    verdict.kind = _string(entry, "entry", "kind", reasons)
    verdict.ref = _string(entry, "entry", "ref", reasons)
    data = None
    if entry is not None:
        data = _base64(entry.get("data"), "entry.data", reasons, size=None)
    tree_size = _size(proof, "inclusion_proof", "tree_size", reasons)
    hashes = _hashes(proof, reasons) if proof is not None else None
    verdict.index, verdict.tree_size, verdict.origin = index, tree_size, origin

    checkpoint = None
    if isinstance(signed, str) and (bundle_key is not None or trusted_keys is not None):
        checkpoint = _check_signature(signed, bundle_key, trusted_keys, verdict)

    if checkpoint is not None:
        if origin is not None and checkpoint.origin != origin:
            reasons.append(
                f"the checkpoint is for log {checkpoint.origin!r}, but the bundle says {origin!r}"
            )
        if tree_size is not None and tree_size != checkpoint.size:
            reasons.append(
                f"the inclusion proof is for a tree of size {tree_size}, but the checkpoint "
                f"is for size {checkpoint.size}: a proof for another tree"
            )
        elif index is not None and index >= checkpoint.size:
            reasons.append(f"entry #{index} is beyond the tree size {checkpoint.size}")
        elif None not in (index, data, hashes) and not _included(
            data, index, checkpoint.size, hashes, checkpoint.root_hash
        ):
            reasons.append(
                f"the inclusion proof does not lead from entry #{index} to the signed root of "
                f"tree size {checkpoint.size}: the entry data, the proof or the root was altered"
            )

    logged = read_log_data(data) if data is not None else None
    if logged is not None:
        for label, claimed, actual in (
            ("kind", verdict.kind, logged.kind),
            ("ref", verdict.ref, logged.ref),
        ):
            if claimed is not None and claimed != actual:
                reasons.append(
                    f"entry.{label} {claimed!r} is not the logged record's {label} {actual!r}"
                )
        verdict.labels_covered = True
    else:
        verdict.warnings.append(
            "the entry's kind and ref are not inside its logged bytes: only the data is proven"
        )

    if "event" in bundle and data is not None:
        try:
            readable = canonical_bytes(bundle["event"])
            logged_readable = canonical_bytes(logged.record) if logged is not None else data
        except Exception as exc:  # whatever a JSON parser gave us
            reasons.append(f"the readable event cannot be canonicalised: {exc}")
        else:
            if readable != logged_readable:
                reasons.append(
                    "the readable event does not match the logged entry data "
                    "(its canonical JSON differs)"
                )

    verdict.ok = not reasons
    return verdict


def _check_signature(
    signed: str,
    bundle_key: str | None,
    trusted_keys: Sequence[str] | None,
    verdict: Verdict,
):
    """Open the checkpoint note with the trusted keys (or, failing those, the bundle's key)."""
    reasons = verdict.reasons
    bundle_verifier = None
    if bundle_key is not None:
        try:
            bundle_verifier = note.parse_verifier_key(bundle_key)
        except note.NoteError as exc:
            reasons.append(f"log.verifier_key is not a valid verifier key: {exc}")
    if trusted_keys is None:
        if bundle_verifier is None:
            return None
        keys = [bundle_key]
        verdict.warnings.append(
            f"the log key {bundle_verifier.name}+{bundle_verifier.key_id:08x} was taken from "
            "the bundle itself (trust on first use): pass --key with the log's published key "
            "to be sure who signed"
        )
    else:
        keys = []
        for key in trusted_keys:
            try:
                keys.append(note.parse_verifier_key(key).key)
            except note.NoteError as exc:
                reasons.append(f"trusted key {key!r} is not a valid verifier key: {exc}")
        if not keys:
            return None
        verdict.key_trusted = True
        if bundle_verifier is not None and bundle_verifier.key not in keys:
            reasons.append(
                f"the bundle's log key {bundle_verifier.name}+{bundle_verifier.key_id:08x} is "
                "not one of the trusted keys"
            )
    try:
        opened = note.open_signed_note(signed, keys)
    except note.NoteError as exc:
        reasons.append(f"checkpoint signature: {exc}")
        return None
    verdict.signer = opened.signer_names[0]
    try:
        return parse_checkpoint(opened.text)
    except CheckpointError as exc:
        reasons.append(f"checkpoint body: {exc}")
        return None


def _included(data: bytes, index: int, size: int, hashes: list[bytes], root: bytes) -> bool:
    try:
        return merkle.verify_inclusion(merkle.leaf_hash(data), index, size, hashes, root)
    except ValueError:
        return False


def _object(bundle: dict[str, Any], key: str, reasons: list[str]) -> dict[str, Any] | None:
    value = bundle.get(key)
    if not isinstance(value, dict):
        reasons.append(f"{key} is missing or not an object")
        return None
    return value


def _string(obj: dict[str, Any] | None, where: str, key: str, reasons: list[str]) -> str | None:
    if obj is None:
        return None
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        reasons.append(f"{where}.{key} is missing or not a non-empty string")
        return None
    return value


def _size(obj: dict[str, Any] | None, where: str, key: str, reasons: list[str]) -> int | None:
    if obj is None:
        return None
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        reasons.append(f"{where}.{key} is missing or not an integer")
        return None
    if not 0 <= value <= merkle.MAX_TREE_SIZE:
        reasons.append(f"{where}.{key} {value} is outside 0..2**64-1")
        return None
    return value


def _hashes(proof: dict[str, Any], reasons: list[str]) -> list[bytes] | None:
    value = proof.get("hashes")
    if not isinstance(value, list):
        reasons.append("inclusion_proof.hashes is missing or not a list")
        return None
    if len(value) > 64:
        reasons.append(f"inclusion_proof.hashes has {len(value)} hashes; at most 64 are possible")
        return None
    hashes = [
        _base64(h, f"inclusion_proof.hashes[{i}]", reasons, size=merkle.HASH_SIZE)
        for i, h in enumerate(value)
    ]
    return None if None in hashes else hashes  # type: ignore[return-value]


def _base64(value: object, where: str, reasons: list[str], *, size: int | None) -> bytes | None:
    if not isinstance(value, str):
        reasons.append(f"{where} is missing or not a base64 string")
        return None
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        reasons.append(f"{where} is not valid base64")
        return None
    if _b64(raw) != value:
        reasons.append(f"{where} is not canonical base64")
        return None
    if size is not None and len(raw) != size:
        reasons.append(f"{where} must be {size} bytes, got {len(raw)}")
        return None
    return raw


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
