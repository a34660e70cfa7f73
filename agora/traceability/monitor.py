"""Log monitor: check that each new signed tree head extends the last one seen.

A monitor keeps, between runs, the last verified checkpoint and the *compact range* of the tree
at that size: the hashes of the perfect subtrees along its right edge, at most one per bit of
the size, so O(log n) hashes stand for all entries seen so far. Each run

1. fetches the log's checkpoint and checks its signature (C2SP signed-note);
2. refuses a tree that shrank, a different root at the same size, or an old head the new one
   does not extend (RFC 9162 consistency proof): a rewritten history;
3. downloads the entries added since, hashes them into the compact range and checks that the
   recomputed root is the signed one, so an entry whose stored bytes changed is caught even when
   the log's own hashes were not updated;
4. saves the new state atomically, and only when everything checked.

The core is pure: it talks to the log through a ``Fetcher`` (``HttpFetcher`` by default), keeps
no globals and imports no Django, so it runs on a machine with only the package installed.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from agora.traceability import merkle, note
from agora.traceability.checkpoint import Checkpoint, CheckpointError, parse_checkpoint

STATE_FORMAT = "agora-trace-monitor/1"
ENTRIES_PER_REQUEST = 1000
API_PREFIX = "/api/v1/trace"


class FetchError(Exception):
    """The log could not be reached or answered something unusable (not proof of misbehaviour)."""


class StateError(ValueError):
    """The monitor's own state file is unreadable or inconsistent."""


@dataclass(frozen=True)
class LogEntry:
    index: int
    kind: str
    ref: str
    data: bytes


class Fetcher(Protocol):
    """What the monitor needs from a log; ``HttpFetcher`` speaks our public API."""

    def checkpoint(self) -> str: ...

    def verifier_key(self) -> str: ...

    def consistency_proof(self, first: int, second: int) -> list[bytes]: ...

    def entries(self, start: int, end: int) -> list[LogEntry]: ...


class CompactRange:
    """Right-edge perfect-subtree hashes of a Merkle tree of ``size`` leaves (RFC 9162 shape).

    ``hashes[i]`` is the root of the i-th perfect subtree from the left; their sizes are the set
    bits of ``size`` from the highest down. Appending a leaf merges equal-size subtrees, as in
    binary addition, so extending by k leaves costs O(k) hashes and the state stays O(log n).
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if size < 0 or len(hashes) != bin(size).count("1"):
            raise ValueError(f"a compact range of size {size} has {bin(size).count('1')} hashes")
        if any(not isinstance(h, bytes) or len(h) != merkle.HASH_SIZE for h in hashes):
            raise ValueError(f"compact range hashes must be {merkle.HASH_SIZE} bytes")
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf_hash: bytes) -> None:
        carry, level = leaf_hash, 0
        while self.size >> level & 1:
            carry = merkle.node_hash(self.hashes.pop(), carry)
            level += 1
        self.hashes.append(carry)
        self.size += 1

    def root(self) -> bytes:
        """MTH of the tree: the perfect subtrees folded from the right (RFC 9162 2.1.1)."""
        if not self.hashes:
            return merkle.EMPTY_ROOT
        result = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            result = merkle.node_hash(left, result)
        return result


@dataclass(frozen=True)
class MonitorState:
    """The last tree head a monitor verified, with the compact range at that size."""

    origin: str
    verifier_key: str
    size: int
    root_hash: bytes
    compact_range: tuple[bytes, ...]
    checkpoint: str

    def to_json(self) -> dict[str, Any]:
        return {
            "format": STATE_FORMAT,
            "origin": self.origin,
            "verifier_key": self.verifier_key,
            "size": self.size,
            "root_hash": _b64(self.root_hash),
            "compact_range": [_b64(h) for h in self.compact_range],
            "checkpoint": self.checkpoint,
        }

    @classmethod
    def from_json(cls, value: object) -> MonitorState:
        """Parse and cross-check a saved state: the compact range must give the saved root."""
        if not isinstance(value, dict) or value.get("format") != STATE_FORMAT:
            raise StateError(f"state is not an {STATE_FORMAT} object")
        try:
            origin, key, size = value["origin"], value["verifier_key"], value["size"]
            if not isinstance(origin, str) or not isinstance(key, str):
                raise StateError("state origin and verifier_key must be strings")
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise StateError("state size must be a non-negative integer")
            root_hash = _unb64(value["root_hash"], "state root_hash")
            hashes = tuple(_unb64(h, "state compact_range") for h in value["compact_range"])
            checkpoint = value["checkpoint"]
        except (KeyError, TypeError) as exc:
            raise StateError(f"state is missing or has a bad field: {exc}") from None
        try:
            compact = CompactRange(size, hashes)
        except ValueError as exc:
            raise StateError(f"state compact range: {exc}") from None
        if compact.root() != root_hash:
            raise StateError("state compact range does not hash to the saved root")
        try:
            note.parse_verifier_key(key)
        except note.NoteError as exc:
            raise StateError(f"state verifier key: {exc}") from None
        if not isinstance(checkpoint, str):
            raise StateError("state checkpoint must be the signed note text")
        return cls(origin, key, size, root_hash, hashes, checkpoint)


@dataclass
class MonitorResult:
    """Outcome of one run: ``ok`` only when ``reasons`` is empty; ``state`` is what to save."""

    ok: bool = False
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    old_size: int = 0
    new_size: int | None = None
    entries_checked: int = 0
    origin: str | None = None
    state: MonitorState | None = None


def check_log(
    fetcher: Fetcher,
    *,
    state: MonitorState | None,
    trusted_keys: Sequence[str] | None = None,
    full: bool = False,
) -> MonitorResult:
    """One monitoring run against a live log. ``FetchError`` propagates (log unreachable).

    ``full`` re-downloads every entry from 0 and recomputes the root, so that a changed byte in
    an entry checked on an earlier run is caught too.
    """
    result = MonitorResult(old_size=state.size if state else 0)
    keys = _trusted_keys(fetcher, state, trusted_keys, result)
    if keys is None:
        return result
    signed = fetcher.checkpoint()
    checkpoint = _open(signed, keys, result)
    if checkpoint is None:
        return result
    result.new_size, result.origin = checkpoint.size, checkpoint.origin
    if not _check_heads(state, checkpoint, result, fetcher=fetcher):
        return result

    start = 0 if full or state is None else state.size
    compact = CompactRange() if start == 0 else CompactRange(state.size, state.compact_range)
    for entry in _iter_entries(fetcher, start, checkpoint.size):
        compact.append(merkle.leaf_hash(entry.data))
        result.entries_checked += 1
    if compact.root() != checkpoint.root_hash:
        result.reasons.append(
            f"the root recomputed from entries {start}..{checkpoint.size - 1} is not the signed "
            f"root of tree size {checkpoint.size}: an entry's bytes changed or the log served "
            "other entries than it signed"
            if checkpoint.size > start
            else f"the root at tree size {checkpoint.size} is not the one seen before"
        )
        return result
    result.ok = not result.reasons
    if not result.ok:
        return result
    result.state = MonitorState(
        origin=checkpoint.origin,
        verifier_key=keys[0] if len(keys) == 1 else _signing_key(signed, keys),
        size=checkpoint.size,
        root_hash=checkpoint.root_hash,
        compact_range=tuple(compact.hashes),
        checkpoint=signed,
    )
    return result


def check_offline(
    *,
    state: MonitorState,
    checkpoint_note: str,
    proof: object,
    trusted_keys: Sequence[str] | None = None,
) -> MonitorResult:
    """Check a checkpoint and a consistency proof (API JSON) against the state, no network.

    Without the new entries the compact range cannot be extended, so the state is not
    advanced: this answers only "does this signed head extend the one I saw?".
    """
    result = MonitorResult(old_size=state.size)
    keys = list(trusted_keys) if trusted_keys else [state.verifier_key]
    checkpoint = _open(checkpoint_note, keys, result)
    if checkpoint is None:
        return result
    result.new_size, result.origin = checkpoint.size, checkpoint.origin
    hashes = _parse_consistency(proof, state.size, checkpoint.size, result)
    if hashes is None:
        return result
    if _check_heads(state, checkpoint, result, proof_hashes=hashes):
        result.ok = not result.reasons
    return result


def load_state(path: Path) -> MonitorState | None:
    """The saved state, or None when the file does not exist yet (first run)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError(f"cannot read state file {path}: {exc.strerror or exc}") from None
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise StateError(f"state file {path} is not valid JSON: {exc}") from None
    return MonitorState.from_json(value)


def save_state(path: Path, state: MonitorState) -> None:
    """Write the state atomically: a temporary file in the same directory, then os.replace."""
    payload = json.dumps(state.to_json(), indent=2, sort_keys=True) + "\n"
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class HttpFetcher:
    """Our public log API over HTTP(S) with httpx."""

    def __init__(self, base_url: str, *, timeout: float = 30.0, client: Any = None) -> None:
        import httpx  # only the online monitor needs it

        self._httpx = httpx
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        self._client.close()

    def checkpoint(self) -> str:
        return self._get("/checkpoint").text

    def verifier_key(self) -> str:
        return self._get("/key").text.strip()

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        body = self._json("/proof/consistency", {"first": first, "second": second})
        result = MonitorResult()
        hashes = _parse_consistency(body, first, second, result)
        if hashes is None:
            raise FetchError("; ".join(result.reasons))
        return hashes

    def entries(self, start: int, end: int) -> list[LogEntry]:
        body = self._json("/entries", {"start": start, "end": end})
        if not isinstance(body, dict) or not isinstance(body.get("entries"), list):
            raise FetchError("the entries answer has no 'entries' list")
        entries = []
        for item in body["entries"]:
            if not isinstance(item, dict):
                raise FetchError("an entry in the entries answer is not an object")
            index, kind, ref = item.get("index"), item.get("kind"), item.get("ref")
            if isinstance(index, bool) or not isinstance(index, int):
                raise FetchError(f"entry index {index!r} is not an integer")
            try:
                data = _unb64(item.get("data"), f"entry #{index} data", size=None)
            except StateError as exc:
                raise FetchError(str(exc)) from None
            entries.append(LogEntry(index, str(kind), str(ref), data))
        return entries

    def _json(self, path: str, params: dict[str, int]) -> Any:
        response = self._get(path, params)
        try:
            return response.json()
        except ValueError:
            raise FetchError(f"{response.url} did not answer JSON") from None

    def _get(self, path: str, params: dict[str, int] | None = None) -> Any:
        url = f"{self.base_url}{API_PREFIX}{path}"
        try:
            response = self._client.get(url, params=params)
        except self._httpx.HTTPError as exc:
            raise FetchError(f"cannot reach {url}: {exc}") from None
        if response.status_code != 200:
            raise FetchError(f"{response.url} answered HTTP {response.status_code}")
        return response


def _open(signed: str, keys: Sequence[str], result: MonitorResult) -> Checkpoint | None:
    try:
        return parse_checkpoint(note.open_note(signed, keys))
    except note.NoteError as exc:
        result.reasons.append(f"bad checkpoint signature: {exc}")
    except CheckpointError as exc:
        result.reasons.append(f"malformed checkpoint: {exc}")
    return None


def _trusted_keys(
    fetcher: Fetcher,
    state: MonitorState | None,
    trusted_keys: Sequence[str] | None,
    result: MonitorResult,
) -> list[str] | None:
    if trusted_keys:
        keys = []
        for key in trusted_keys:
            try:
                keys.append(note.parse_verifier_key(key).key)
            except note.NoteError as exc:
                result.reasons.append(f"--key {key!r}: {exc}")
        return keys or None
    if state is not None:
        return [state.verifier_key]
    key = fetcher.verifier_key()
    try:
        verifier = note.parse_verifier_key(key)
    except note.NoteError as exc:
        result.reasons.append(f"the log's published key is not a verifier key: {exc}")
        return None
    result.warnings.append(
        f"first run without --key: trusting the key the log publishes, "
        f"{verifier.name}+{verifier.key_id:08x} (trust on first use); it is kept in the state"
    )
    return [verifier.key]


def _check_heads(
    state: MonitorState | None,
    checkpoint: Checkpoint,
    result: MonitorResult,
    *,
    fetcher: Fetcher | None = None,
    proof_hashes: list[bytes] | None = None,
) -> bool:
    """Same origin, no shrinking, and the new head extends the old one (consistency proof)."""
    if state is None:
        return True
    if checkpoint.origin != state.origin:
        result.reasons.append(
            f"the checkpoint is for log {checkpoint.origin!r}, the state for {state.origin!r}"
        )
        return False
    if checkpoint.size < state.size:
        result.reasons.append(
            f"the tree shrank from {state.size} to {checkpoint.size} entries: "
            "the log dropped entries it had signed"
        )
        return False
    if checkpoint.size == state.size:
        if checkpoint.root_hash != state.root_hash:
            result.reasons.append(
                f"inconsistent heads: two different roots signed for tree size {state.size} "
                "(a forked or rewritten history)"
            )
            return False
        if proof_hashes:
            result.reasons.append("a consistency proof between equal sizes must be empty")
            return False
        return True
    if proof_hashes is None:
        assert fetcher is not None
        proof_hashes = fetcher.consistency_proof(state.size, checkpoint.size)
    try:
        consistent = merkle.verify_consistency(
            state.size, checkpoint.size, state.root_hash, checkpoint.root_hash, proof_hashes
        )
    except ValueError as exc:
        result.reasons.append(f"malformed consistency proof: {exc}")
        return False
    if not consistent:
        result.reasons.append(
            f"inconsistent heads: the tree of size {checkpoint.size} does not extend the tree "
            f"of size {state.size} seen before (the log rewrote its history)"
        )
        return False
    return True


def _iter_entries(fetcher: Fetcher, start: int, end: int):
    """Entries start..end-1 in order, paging; refuses gaps, repeats and surplus entries."""
    expected = start
    while expected < end:
        batch_end = min(end, expected + ENTRIES_PER_REQUEST)
        batch = fetcher.entries(expected, batch_end)
        if not batch:
            raise FetchError(f"the log returned no entries for {expected}..{batch_end - 1}")
        for entry in batch:
            if entry.index != expected or expected >= batch_end:
                raise FetchError(
                    f"the log returned entry #{entry.index} where #{expected} was expected"
                )
            yield entry
            expected += 1


def _parse_consistency(
    proof: object, first: int, second: int, result: MonitorResult
) -> list[bytes] | None:
    if not isinstance(proof, dict):
        result.reasons.append("the consistency proof must be a JSON object")
        return None
    if proof.get("first") != first or proof.get("second") != second:
        result.reasons.append(
            f"the consistency proof is from {proof.get('first')!r} to {proof.get('second')!r}, "
            f"but {first} to {second} is needed (the state's size to the checkpoint's)"
        )
        return None
    hashes = proof.get("hashes")
    if not isinstance(hashes, list):
        result.reasons.append("the consistency proof has no 'hashes' list")
        return None
    try:
        return [
            _unb64(h, f"consistency proof hash {i}", size=merkle.HASH_SIZE)
            for i, h in enumerate(hashes)
        ]
    except StateError as exc:
        result.reasons.append(str(exc))
        return None


def _signing_key(signed: str, keys: Sequence[str]) -> str:
    """Of several trusted keys, the one that signed this checkpoint (kept in the state)."""
    for key in keys:
        try:
            note.open_note(signed, [key])
        except note.NoteError:
            continue
        return key
    return keys[0]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(value: object, what: str, *, size: int | None = merkle.HASH_SIZE) -> bytes:
    if not isinstance(value, str):
        raise StateError(f"{what} is not a base64 string")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise StateError(f"{what} is not valid base64") from None
    if _b64(raw) != value:
        raise StateError(f"{what} is not canonical base64")
    if size is not None and len(raw) != size:
        raise StateError(f"{what} must be {size} bytes, got {len(raw)}")
    return raw
