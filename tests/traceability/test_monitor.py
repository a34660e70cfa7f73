"""The log monitor against a real in-memory log served over HTTP by a real server in a thread.

The log here is built from the pure merkle functions and signs real C2SP checkpoints; it speaks
the API of agora/traceability/log/api.py (checkpoint, key, consistency proofs, entries in pages
of at most 1000). Misbehaviours are played by the log itself: rewriting an entry and re-signing,
serving other bytes than it signed, shrinking, forking, signing with another key.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agora.traceability import merkle, monitor_cli, note
from agora.traceability.checkpoint import Checkpoint
from agora.traceability.monitor import (
    CompactRange,
    MonitorState,
    StateError,
    load_state,
    save_state,
)

REPO = Path(__file__).resolve().parents[2]
ORIGIN = "shop.example/agora/log"
KEY = note.generate_signing_key(ORIGIN)
VKEY = note.verifier_key(KEY)


class FakeLog:
    """A small honest log whose misbehaviours are switched on by the tests."""

    def __init__(self, size: int = 0) -> None:
        self.leaves: list[bytes] = []
        self.key = KEY
        self.served: dict[int, bytes] = {}  # bytes served instead of the signed ones
        self.signed_size: int | None = None  # sign a smaller tree than stored
        self.checkpoint_text: str | None = None  # serve this note instead
        self.append(size)

    def append(self, n: int) -> None:
        start = len(self.leaves)
        self.leaves += [
            json.dumps({"eventID": f"urn:uuid:{i}", "n": i}).encode()
            for i in range(start, start + n)
        ]

    def size(self) -> int:
        return len(self.leaves) if self.signed_size is None else self.signed_size

    def checkpoint(self) -> str:
        if self.checkpoint_text is not None:
            return self.checkpoint_text
        leaves = self.leaves[: self.size()]
        return Checkpoint(ORIGIN, len(leaves), merkle.root(leaves)).sign(self.key)

    def consistency(self, first: int, second: int) -> dict:
        hashes = merkle.consistency_proof(self.leaves[:second], first)
        return {"first": first, "second": second, "hashes": [_b64(h) for h in hashes]}

    def entries(self, start: int, end: int) -> dict:
        end = min(end, start + 1000, len(self.leaves))
        return {
            "entries": [
                {
                    "index": i,
                    "kind": "epcis",
                    "ref": f"urn:uuid:{i}",
                    "data": _b64(self.served.get(i, self.leaves[i])),
                }
                for i in range(start, end)
            ]
        }


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _handler(log: FakeLog) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            q = {k: int(v[0]) for k, v in parse_qs(url.query).items()}
            routes = {
                "/api/v1/trace/checkpoint": lambda: ("text/plain", log.checkpoint()),
                "/api/v1/trace/key": lambda: ("text/plain", note.verifier_key(log.key) + "\n"),
                "/api/v1/trace/proof/consistency": lambda: (
                    "application/json",
                    json.dumps(log.consistency(q["first"], q["second"])),
                ),
                "/api/v1/trace/entries": lambda: (
                    "application/json",
                    json.dumps(log.entries(q["start"], q["end"])),
                ),
            }
            if url.path not in routes:
                self.send_error(404)
                return
            try:
                content_type, body = routes[url.path]()
            except (KeyError, ValueError) as exc:
                self.send_error(400, str(exc))
                return
            payload = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def log() -> FakeLog:
    return FakeLog(5)


@pytest.fixture
def url(log: FakeLog) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(log))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def monitor(capsys, *args: str) -> tuple[int, str, str]:
    code = monitor_cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- compact range ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=70), st.integers(min_value=0, max_value=70))
def test_compact_range_extends_to_the_root_of_every_size(first, more):
    leaves = [bytes([i % 256, i // 256]) for i in range(first + more)]
    compact = CompactRange()
    for leaf in leaves[:first]:
        compact.append(merkle.leaf_hash(leaf))
    assert compact.root() == merkle.root(leaves[:first])
    assert len(compact.hashes) == bin(first).count("1")
    resumed = CompactRange(compact.size, compact.hashes)
    for leaf in leaves[first:]:
        resumed.append(merkle.leaf_hash(leaf))
    assert resumed.root() == merkle.root(leaves)


def test_compact_range_rejects_a_wrong_number_of_hashes():
    with pytest.raises(ValueError):
        CompactRange(3, [merkle.EMPTY_ROOT])


# -- online runs -----------------------------------------------------------------------------


def test_first_run_downloads_everything_and_saves_state(capsys, tmp_path, log, url):
    state = tmp_path / "state.json"
    code, out, err = monitor(capsys, "--log", url, "--state", str(state), "--key", VKEY)
    assert code == 0, err
    assert "tree size 5" in out and "5 entries hashed" in out
    saved = load_state(state)
    assert saved is not None and saved.size == 5
    assert saved.root_hash == merkle.root(log.leaves)
    assert len(saved.compact_range) == 2  # 5 = 4 + 1


def test_growth_downloads_only_new_entries(capsys, tmp_path, log, url):
    state = tmp_path / "state.json"
    assert monitor(capsys, "--log", url, "--state", str(state), "--key", VKEY)[0] == 0
    log.append(7)
    code, out, err = monitor(capsys, "--log", url, "--state", str(state), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["old_size"], result["new_size"], result["entries_checked"]) == (5, 12, 7)
    assert load_state(state).root_hash == merkle.root(log.leaves)


def test_first_run_without_a_key_trusts_the_published_one_and_says_so(capsys, tmp_path, log, url):
    state = tmp_path / "state.json"
    code, _, err = monitor(capsys, "--log", url, "--state", str(state))
    assert code == 0
    assert "trust on first use" in err
    assert load_state(state).verifier_key == VKEY
    # Later runs hold the log to that key, even if it starts publishing another one.
    log.key = note.generate_signing_key(ORIGIN)
    log.append(1)
    code, _, err = monitor(capsys, "--log", url, "--state", str(state))
    assert code == 1 and "bad checkpoint signature" in err


def test_paging_over_more_than_1000_entries(capsys, tmp_path, url, log):
    log.append(2495)
    state = tmp_path / "state.json"
    code, out, err = monitor(capsys, "--log", url, "--state", str(state), "--key", VKEY)
    assert code == 0, err
    assert "2500 entries hashed" in out


def test_unchanged_log(capsys, tmp_path, url):
    state = tmp_path / "state.json"
    monitor(capsys, "--log", url, "--state", str(state), "--key", VKEY)
    code, out, _ = monitor(capsys, "--log", url, "--state", str(state))
    assert code == 0 and "0 entries hashed" in out


# -- misbehaviour: exit 1, reasons on stderr, state untouched ---------------------------------


@pytest.fixture
def seen(capsys, tmp_path, url) -> Path:
    """A state file after a good first run at size 5."""
    state = tmp_path / "state.json"
    assert monitor(capsys, "--log", url, "--state", str(state), "--key", VKEY)[0] == 0
    return state


def _fails(capsys, url: str, state: Path, *extra: str) -> str:
    before = state.read_bytes()
    code, out, err = monitor(capsys, "--log", url, "--state", str(state), *extra)
    assert code == 1, (out, err)
    assert "state not updated" in err
    assert state.read_bytes() == before
    return err


def test_bad_signature(capsys, url, log, seen):
    log.key = note.generate_signing_key(ORIGIN)
    assert "bad checkpoint signature" in _fails(capsys, url, seen)


def test_tampered_checkpoint_text(capsys, url, log, seen):
    log.append(2)
    log.checkpoint_text = log.checkpoint().replace("\n7\n", "\n6\n")
    assert "invalid signature for key" in _fails(capsys, url, seen)


def test_rewritten_history_is_inconsistent(capsys, url, log, seen):
    log.leaves[2] = b'{"eventID": "urn:uuid:2", "n": 666}'
    log.append(3)
    assert "inconsistent heads" in _fails(capsys, url, seen)


def test_same_size_different_root_is_a_fork(capsys, url, log, seen):
    log.leaves[4] = b"forked"
    assert "two different roots signed for tree size 5" in _fails(capsys, url, seen)


def test_tree_shrank(capsys, url, log, seen):
    log.signed_size = 3
    assert "the tree shrank from 5 to 3" in _fails(capsys, url, seen)


def test_new_entry_with_changed_bytes(capsys, url, log, seen):
    log.append(6)
    log.served[8] = b'{"eventID": "urn:uuid:8", "n": 9}'
    assert "root recomputed from entries 5..10" in _fails(capsys, url, seen)


def test_full_rescan_catches_a_changed_old_entry(capsys, url, log, seen):
    """An old entry's stored bytes change while the log's hashes stay: only a rescan sees it."""
    log.append(2)
    log.served[1] = b'{"eventID": "urn:uuid:1", "n": 10}'
    assert "root recomputed from entries 0..6" in _fails(capsys, url, seen, "--full")
    code, _, _ = monitor(capsys, "--log", url, "--state", str(seen))
    assert code == 0  # without --full the entries before 5 are not downloaded again


def test_missing_entries(capsys, url, log, seen):
    log.append(3)
    log.leaves = log.leaves[:6]  # signed 8 (below) but only 6 are served
    log.signed_size = None
    log.checkpoint_text = None
    full = FakeLog(8)
    log.checkpoint_text = full.checkpoint()
    log.consistency = full.consistency  # type: ignore[method-assign]
    code, _, err = monitor(capsys, "--log", url, "--state", str(seen))
    assert code == 3 and "no entries for 6..7" in err


def test_wrong_key_on_the_command_line(capsys, url, seen):
    other = note.verifier_key(note.generate_signing_key(ORIGIN))
    assert "no verifiable signatures" in _fails(capsys, url, seen, "--key", other)


# -- unreachable log and bad files ----------------------------------------------------------


def test_unreachable_log(capsys, tmp_path):
    state = tmp_path / "state.json"
    code, _, err = monitor(capsys, "--log", "http://127.0.0.1:9", "--state", str(state))
    assert code == 3 and "cannot reach" in err
    assert not state.exists()


def test_log_answering_404(capsys, tmp_path, url):
    code, _, err = monitor(capsys, "--log", url + "/nope", "--state", str(tmp_path / "s.json"))
    assert code == 3 and "HTTP 404" in err


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{", "not valid JSON"),
        ('{"format": "other"}', "is not an agora-trace-monitor/1"),
        ("corrupt-root", "does not hash to the saved root"),
        ("missing-field", "missing or has a bad field"),
    ],
)
def test_corrupt_state_is_a_usage_error(capsys, tmp_path, url, seen, content, reason):
    value = json.loads(seen.read_text())
    if content == "corrupt-root":
        value["root_hash"] = _b64(b"\x00" * 32)
        content = json.dumps(value)
    elif content == "missing-field":
        del value["compact_range"]
        content = json.dumps(value)
    seen.write_text(content)
    code, _, err = monitor(capsys, "--log", url, "--state", str(seen))
    assert code == 2 and reason in err


def test_usage(capsys, tmp_path):
    assert monitor(capsys, "--state", str(tmp_path / "s"))[0] == 2
    assert monitor(capsys, "--log", "http://x", "--state", "s", "--checkpoint", "c")[0] == 2
    assert monitor(capsys, "--log", "http://x")[0] == 2  # --state is required


def test_save_state_is_atomic_and_leaves_no_temporary_files(tmp_path):
    leaves = [b"a", b"b", b"c"]
    compact = CompactRange()
    for leaf in leaves:
        compact.append(merkle.leaf_hash(leaf))
    state = MonitorState(ORIGIN, VKEY, 3, compact.root(), tuple(compact.hashes), "checkpoint\n")
    path = tmp_path / "state.json"
    save_state(path, state)
    save_state(path, state)
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
    assert load_state(path) == state
    assert load_state(tmp_path / "absent.json") is None
    with pytest.raises(StateError):
        MonitorState.from_json({**state.to_json(), "size": 4})


# -- offline mode ----------------------------------------------------------------------------


def _offline_files(tmp_path: Path, log: FakeLog, first: int, proof: dict | None = None):
    checkpoint = tmp_path / "checkpoint.txt"
    checkpoint.write_text(log.checkpoint())
    proof_path = tmp_path / "proof.json"
    proof_path.write_text(json.dumps(proof or log.consistency(first, len(log.leaves))))
    return str(checkpoint), str(proof_path)


def test_offline_consistent(capsys, tmp_path, log, seen):
    log.append(4)
    checkpoint, proof = _offline_files(tmp_path, log, 5)
    before = seen.read_bytes()
    code, out, err = monitor(
        capsys, "--state", str(seen), "--checkpoint", checkpoint, "--proof", proof
    )
    assert code == 0, err
    assert "tree size 9 extends the head of size 5" in out
    assert seen.read_bytes() == before  # offline never advances the state


def test_offline_rewritten_history(capsys, tmp_path, log, seen):
    log.leaves[0] = b"rewritten"
    log.append(4)
    checkpoint, proof = _offline_files(tmp_path, log, 5)
    code, _, err = monitor(
        capsys, "--state", str(seen), "--checkpoint", checkpoint, "--proof", proof
    )
    assert code == 1 and "inconsistent heads" in err


def test_offline_proof_for_other_sizes(capsys, tmp_path, log, seen):
    log.append(4)
    checkpoint, proof = _offline_files(tmp_path, log, 5, proof=log.consistency(4, 9))
    code, _, err = monitor(
        capsys, "--state", str(seen), "--checkpoint", checkpoint, "--proof", proof
    )
    assert code == 1 and "from 4 to 9, but 5 to 9 is needed" in err


def test_offline_flipped_proof_hash(capsys, tmp_path, log, seen):
    log.append(4)
    proof = log.consistency(5, 9)
    raw = bytearray(base64.b64decode(proof["hashes"][0]))
    raw[0] ^= 0x80
    proof["hashes"][0] = _b64(bytes(raw))
    checkpoint, proof_path = _offline_files(tmp_path, log, 5, proof=proof)
    code, _, err = monitor(
        capsys, "--state", str(seen), "--checkpoint", checkpoint, "--proof", proof_path
    )
    assert code == 1 and "inconsistent heads" in err


def test_offline_needs_a_state(capsys, tmp_path, log):
    checkpoint, proof = _offline_files(tmp_path, log, 0)
    code, _, err = monitor(
        capsys, "--state", str(tmp_path / "none"), "--checkpoint", checkpoint, "--proof", proof
    )
    assert code == 2 and "needs a state file" in err


def test_offline_unreadable_proof(capsys, tmp_path, log, seen):
    checkpoint, _ = _offline_files(tmp_path, log, 5)
    code, _, err = monitor(
        capsys, "--state", str(seen), "--checkpoint", checkpoint, "--proof", str(tmp_path / "x")
    )
    assert code == 2 and "cannot read" in err


# -- as a command ----------------------------------------------------------------------------


def test_the_command_runs_without_django(tmp_path, log, url):
    state = tmp_path / "state.json"
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "NO_PROXY": "127.0.0.1"}
    args = [sys.executable, "-m", "agora", "trace", "monitor", "--log", url, "--state", str(state)]
    first = subprocess.run(
        [*args, "--key", VKEY], env=env, capture_output=True, text=True, timeout=60
    )
    assert first.returncode == 0, first.stderr
    log.leaves[1] = b"changed"
    log.append(1)
    second = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 1
    assert "inconsistent heads" in second.stderr


def test_a_malformed_key_among_good_ones_still_fails_the_run(capsys, tmp_path, url):
    state = tmp_path / "state.json"
    code, _, err = monitor(
        capsys, "--log", url, "--state", str(state), "--key", VKEY, "--key", "junk"
    )
    assert code == 1 and "--key 'junk'" in err
    assert not state.exists()
