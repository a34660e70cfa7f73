"""``agora trace verify`` run as a real process on bundles built from a real log and key."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agora.traceability import merkle, note
from agora.traceability.bundle import build_bundle
from agora.traceability.checkpoint import Checkpoint
from agora.traceability.records import log_data

REPO = Path(__file__).resolve().parents[2]
ORIGIN = "shop.example/agora/log"
KEY = note.generate_signing_key(ORIGIN)
VKEY = note.verifier_key(KEY)


def bundle(index: int = 2, size: int = 6) -> dict:
    leaves = [
        log_data(
            kind="epcis",
            ref=f"urn:uuid:{i}",
            record={"eventID": f"urn:uuid:{i}", "bizStep": "shipping"},
        )
        for i in range(size)
    ]
    return build_bundle(
        index=index,
        kind="epcis",
        ref=f"urn:uuid:{index}",
        data=leaves[index],
        tree_size=size,
        proof=merkle.inclusion_proof(leaves, index),
        checkpoint_note=Checkpoint(ORIGIN, size, merkle.root(leaves)).sign(KEY),
        verifier_key=VKEY,
    )


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the CLI with no Django settings and no database in the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "agora", "trace", "verify", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def write(tmp_path: Path, value: dict | bytes, name: str = "bundle.json") -> Path:
    path = tmp_path / name
    path.write_bytes(value if isinstance(value, bytes) else json.dumps(value).encode())
    return path


def test_good_bundle_with_the_published_key(tmp_path):
    path = write(tmp_path, bundle())
    result = run(str(path), "--key", VKEY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"verified: entry #2 (epcis urn:uuid:2) is in the log {ORIGIN} at tree size 6, "
        f"signed by {ORIGIN}\n"
    )
    assert result.stderr == ""


def test_good_bundle_without_a_key_warns_about_trust_on_first_use(tmp_path):
    result = run(str(write(tmp_path, bundle())), cwd=tmp_path)
    assert result.returncode == 0
    assert "trust on first use" in result.stderr


def test_json_output(tmp_path):
    result = run(str(write(tmp_path, bundle())), "--key", VKEY, "--json", cwd=tmp_path)
    verdict = json.loads(result.stdout)
    assert result.returncode == 0
    assert verdict["ok"] is True and verdict["index"] == 2 and verdict["key_trusted"] is True


def test_stdin(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    result = subprocess.run(
        [sys.executable, "-m", "agora", "trace", "verify", "-", "--key", VKEY],
        input=json.dumps(bundle()),
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def _flip_b64(value: str, byte: int = 0) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[byte] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def _flip_signature(b: dict) -> None:
    text, _, sig = b["checkpoint"].rpartition(" ")
    b["checkpoint"] = text + " " + _flip_b64(sig.strip(), 10) + "\n"


def _flip_root(b: dict) -> None:
    lines = b["checkpoint"].split("\n")
    lines[2] = _flip_b64(lines[2], 31)
    b["checkpoint"] = "\n".join(lines)


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda b: b["entry"].update(data=_flip_b64(b["entry"]["data"], 5)), "does not lead from"),
        (
            lambda b: b["inclusion_proof"]["hashes"].__setitem__(
                1, _flip_b64(b["inclusion_proof"]["hashes"][1])
            ),
            "does not lead from",
        ),
        (_flip_root, "invalid signature for key"),
        (_flip_signature, "invalid signature for key"),
        (lambda b: b["event"].update(bizStep="receiving"), "readable event does not match"),
    ],
    ids=["data", "proof", "root", "signature", "event"],
)
def test_one_flipped_byte_fails_with_the_reason(tmp_path, tamper, reason):
    value = bundle()
    tamper(value)
    result = run(str(write(tmp_path, value)), "--key", VKEY, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "NOT verified" in result.stderr and reason in result.stderr


def test_truncated_file(tmp_path):
    raw = json.dumps(bundle()).encode()
    result = run(str(write(tmp_path, raw[: len(raw) // 2])), "--key", VKEY, cwd=tmp_path)
    assert result.returncode == 1
    assert "not valid JSON" in result.stderr and "truncated" in result.stderr


def test_bad_json(tmp_path):
    result = run(str(write(tmp_path, b"{'format': 1}")), cwd=tmp_path)
    assert result.returncode == 1
    assert "not valid JSON" in result.stderr


def test_proof_for_another_tree(tmp_path):
    value = bundle(size=6)
    value["inclusion_proof"] = bundle(size=9)["inclusion_proof"]
    result = run(str(write(tmp_path, value)), "--key", VKEY, cwd=tmp_path)
    assert result.returncode == 1
    assert "a proof for another tree" in result.stderr


def test_wrong_trusted_key(tmp_path):
    other = note.verifier_key(note.generate_signing_key(ORIGIN))
    result = run(str(write(tmp_path, bundle())), "--key", other, cwd=tmp_path)
    assert result.returncode == 1
    assert "not one of the trusted keys" in result.stderr
    assert "no verifiable signatures" in result.stderr


def test_one_of_several_keys_is_enough(tmp_path):
    other = note.verifier_key(note.generate_signing_key("old.example/log"))
    result = run(str(write(tmp_path, bundle())), "--key", other, "--key", VKEY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_unreadable_file_is_a_usage_error(tmp_path):
    result = run(str(tmp_path / "missing.json"), cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "missing.json" in result.stderr
    assert run(str(tmp_path), cwd=tmp_path).returncode == 2  # a directory


def test_usage_errors(tmp_path):
    assert run(cwd=tmp_path).returncode == 2
    assert run("a", "--bogus", cwd=tmp_path).returncode == 2
    help_result = run("--help", cwd=tmp_path)
    assert help_result.returncode == 0 and "--key" in help_result.stdout


def test_the_offline_commands_do_not_import_django(tmp_path):
    code = (
        "import sys\n"
        "from agora.traceability import verifier_cli, monitor_cli\n"
        "assert verifier_cli.main([sys.argv[1], '--key', sys.argv[2]]) == 0\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(write(tmp_path, bundle())), VKEY],
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
