"""Proof bundles built from a real log (merkle functions, a real Ed25519 key), checked offline."""

from __future__ import annotations

import base64
import copy
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agora.traceability import merkle, note
from agora.traceability.bundle import FORMAT, build_bundle, verify_bundle
from agora.traceability.checkpoint import Checkpoint
from agora.traceability.records import log_data

ORIGIN = "shop.example/agora/log"
KEY = note.generate_signing_key(ORIGIN)
VKEY = note.verifier_key(KEY)


def events(n: int) -> list[bytes]:
    """Entries as Agora logs them: each record wrapped with its kind and ref."""
    return [
        log_data(
            kind="epcis",
            ref=f"event-{i}",
            record={"type": "ObjectEvent", "eventID": f"ni:///sha-256;{i}", "n": i},
        )
        for i in range(n)
    ]


def make_bundle(index: int = 3, size: int = 7, key: str = KEY, **overrides) -> dict:
    leaves = events(size)
    signed = Checkpoint(ORIGIN, size, merkle.root(leaves)).sign(key)
    return build_bundle(
        index=index,
        kind="epcis",
        ref=f"event-{index}",
        data=leaves[index],
        tree_size=size,
        proof=merkle.inclusion_proof(leaves, index),
        checkpoint_note=signed,
        verifier_key=note.verifier_key(key),
        **overrides,
    )


def test_good_bundle_verifies_with_the_trusted_key():
    verdict = verify_bundle(make_bundle(), trusted_keys=[VKEY])
    assert verdict.ok, verdict.reasons
    assert (verdict.index, verdict.tree_size, verdict.signer) == (3, 7, ORIGIN)
    assert (verdict.kind, verdict.ref, verdict.origin) == ("epcis", "event-3", ORIGIN)
    assert verdict.key_trusted and verdict.warnings == []


def test_without_trusted_keys_the_bundle_key_is_used_and_said_so():
    verdict = verify_bundle(make_bundle())
    assert verdict.ok
    assert not verdict.key_trusted
    assert "taken from the bundle itself (trust on first use)" in verdict.warnings[0]


def test_bundle_has_the_contract_shape_and_readable_event():
    bundle = make_bundle(index=0, size=1)
    assert set(bundle) == {"format", "log", "entry", "inclusion_proof", "checkpoint", "event"}
    assert bundle["format"] == FORMAT
    assert bundle["event"]["n"] == 0
    logged = base64.b64decode(bundle["entry"]["data"])
    assert logged == log_data(kind="epcis", ref="event-0", record=bundle["event"])
    assert bundle["inclusion_proof"] == {"tree_size": 1, "hashes": []}
    assert verify_bundle(json.dumps(bundle).encode(), trusted_keys=[VKEY]).ok


def test_non_json_data_has_no_event():
    leaves = [b"\x00binary"]
    signed = Checkpoint(ORIGIN, 1, merkle.root(leaves)).sign(KEY)
    bundle = build_bundle(
        index=0, kind="cert", ref="c1", data=leaves[0], tree_size=1, proof=[],
        checkpoint_note=signed, verifier_key=VKEY,
    )  # fmt: skip
    assert "event" not in bundle
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert verdict.ok and not verdict.labels_covered
    assert verdict.warnings == [
        "the entry's kind and ref are not inside its logged bytes: only the data is proven"
    ]


@pytest.mark.parametrize(("label", "value"), [("kind", "certificate"), ("ref", "event-4")])
def test_changed_labels_are_caught_because_the_log_holds_them(label, value):
    bundle = make_bundle()
    assert verify_bundle(bundle, trusted_keys=[VKEY]).labels_covered
    bundle["entry"][label] = value
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert not verdict.ok
    assert f"entry.{label} {value!r} is not the logged record's {label}" in verdict.reasons[0]


@pytest.mark.parametrize("index", range(13))
def test_every_index_of_a_tree_verifies(index):
    assert verify_bundle(make_bundle(index=index, size=13), trusted_keys=[VKEY]).ok


def test_wrong_trusted_key():
    other = note.verifier_key(note.generate_signing_key(ORIGIN))
    verdict = verify_bundle(make_bundle(), trusted_keys=[other])
    assert not verdict.ok
    text = " | ".join(verdict.reasons)
    assert "not one of the trusted keys" in text
    assert "no verifiable signatures" in text


def test_bundle_signed_by_an_impostor_key_but_claiming_the_real_key():
    impostor = note.generate_signing_key(ORIGIN)
    bundle = make_bundle(key=impostor)
    bundle["log"]["verifier_key"] = VKEY
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert not verdict.ok
    assert any("no verifiable signatures" in r for r in verdict.reasons)


def test_proof_for_another_tree():
    bundle = make_bundle(size=7)
    other = make_bundle(size=9)
    bundle["inclusion_proof"] = other["inclusion_proof"]
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert not verdict.ok
    assert "a proof for another tree" in verdict.reasons[0]


def test_proof_for_the_same_size_of_another_tree():
    bundle = make_bundle(size=7)
    leaves = [b"other" + bytes([i]) for i in range(7)]
    bundle["inclusion_proof"]["hashes"] = [
        base64.b64encode(h).decode() for h in merkle.inclusion_proof(leaves, 3)
    ]
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert not verdict.ok
    assert "does not lead from entry #3" in verdict.reasons[0]


def test_changed_event_but_matching_data_is_caught():
    bundle = make_bundle()
    bundle["event"]["n"] = 99
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert verdict.reasons == [
        "the readable event does not match the logged entry data (its canonical JSON differs)"
    ]


def test_index_moved():
    bundle = make_bundle(index=3)
    bundle["entry"]["index"] = 4
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert not verdict.ok and "does not lead from entry #4" in verdict.reasons[0]


def test_origin_mismatch():
    bundle = make_bundle()
    bundle["log"]["origin"] = "evil.example/log"
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert any("the bundle says 'evil.example/log'" in r for r in verdict.reasons)


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda b: b.update(format="other/1"), "format is 'other/1'"),
        (lambda b: b.pop("log"), "log is missing"),
        (lambda b: b.pop("entry"), "entry is missing"),
        (lambda b: b["entry"].update(index="3"), "entry.index is missing or not an integer"),
        (lambda b: b["entry"].update(index=True), "entry.index is missing or not an integer"),
        (lambda b: b["entry"].update(index=-1), "entry.index -1 is outside"),
        (lambda b: b["entry"].update(data="not base64!"), "entry.data is not valid base64"),
        (lambda b: b["entry"].update(data=7), "entry.data is missing or not a base64 string"),
        (lambda b: b["entry"].pop("kind"), "entry.kind is missing"),
        (lambda b: b["inclusion_proof"].update(hashes="x"), "hashes is missing or not a list"),
        (lambda b: b["inclusion_proof"]["hashes"].append("AAAA"), "must be 32 bytes, got 3"),
        (lambda b: b["inclusion_proof"].update(tree_size=2**64), "outside 0..2\\*\\*64-1"),
        (lambda b: b["inclusion_proof"].update(hashes=["AA=="] * 65), "at most 64"),
        (lambda b: b.update(checkpoint=None), "checkpoint must be the signed note text"),
        (lambda b: b.update(checkpoint="garbage"), "checkpoint signature: malformed note"),
        (lambda b: b["log"].update(verifier_key="nope"), "log.verifier_key is not a valid"),
        (lambda b: b.update(event=float("nan")), "cannot be canonicalised"),
    ],
)
def test_malformed_fields_are_named(mutate, reason):
    bundle = make_bundle()
    mutate(bundle)
    verdict = verify_bundle(bundle)
    assert not verdict.ok
    assert any(re.search(reason, r) for r in verdict.reasons), verdict.reasons


def test_checkpoint_body_that_is_not_a_checkpoint():
    bundle = make_bundle()
    bundle["checkpoint"] = note.sign("hello\n", KEY)
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert any(r.startswith("checkpoint body:") for r in verdict.reasons)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"[1, 2]", "must be a JSON object, not list"),
        (b'{"format": ', "truncated"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[" * 100_000, "not valid JSON"),
        (b'{"a": 1} trailing', "not valid JSON: Extra data"),
    ],
)
def test_unparseable_bundles(raw, reason):
    verdict = verify_bundle(raw)
    assert not verdict.ok and reason in verdict.reasons[0]


def test_every_truncation_of_a_bundle_file_fails():
    raw = json.dumps(make_bundle(size=5, index=2)).encode()
    for cut in range(0, len(raw), 7):
        assert not verify_bundle(raw[:cut], trusted_keys=[VKEY]).ok


def test_bad_trusted_key_is_reported():
    verdict = verify_bundle(make_bundle(), trusted_keys=["junk"])
    assert not verdict.ok and "trusted key 'junk' is not a valid verifier key" in verdict.reasons[0]


def test_verify_never_raises_on_odd_values():
    for value in (None, 3, [], {"format": FORMAT, "log": [], "entry": None}):
        assert not verify_bundle(value).ok  # type: ignore[arg-type]


def test_build_bundle_rejects_inputs_that_cannot_verify():
    good = make_bundle()
    with pytest.raises(ValueError, match="32 bytes"):
        build_bundle(
            index=0, kind="k", ref="r", data=b"x", tree_size=7, proof=[b"short"],
            checkpoint_note=good["checkpoint"], verifier_key=VKEY,
        )  # fmt: skip
    with pytest.raises(ValueError, match="not the checkpoint's 7"):
        build_bundle(
            index=0, kind="k", ref="r", data=b"x", tree_size=8, proof=[],
            checkpoint_note=good["checkpoint"], verifier_key=VKEY,
        )  # fmt: skip


# Any single flipped bit in the data, any proof hash or the note's root fails verification.
BASE = make_bundle(index=5, size=11)


def _flip(b64: str, bit: int) -> str:
    raw = bytearray(base64.b64decode(b64))
    raw[(bit // 8) % len(raw)] ^= 1 << (bit % 8)
    return base64.b64encode(bytes(raw)).decode()


@settings(max_examples=150, deadline=None)
@given(bit=st.integers(min_value=0, max_value=10_000))
def test_any_flipped_bit_in_data_fails(bit):
    bundle = copy.deepcopy(BASE)
    del bundle["event"]
    bundle["entry"]["data"] = _flip(bundle["entry"]["data"], bit)
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert not verdict.ok
    assert "does not lead from entry #5" in verdict.reasons[0]


@settings(max_examples=150, deadline=None)
@given(which=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=255))
def test_any_flipped_bit_in_a_proof_hash_fails(which, bit):
    bundle = copy.deepcopy(BASE)
    hashes = bundle["inclusion_proof"]["hashes"]
    i = which % len(hashes)
    hashes[i] = _flip(hashes[i], bit)
    assert not verify_bundle(bundle, trusted_keys=[VKEY]).ok


@settings(max_examples=150, deadline=None)
@given(bit=st.integers(min_value=0, max_value=255))
def test_any_flipped_bit_in_the_signed_root_fails(bit):
    bundle = copy.deepcopy(BASE)
    lines = bundle["checkpoint"].split("\n")
    lines[2] = _flip(lines[2], bit)
    bundle["checkpoint"] = "\n".join(lines)
    verdict = verify_bundle(bundle, trusted_keys=[VKEY])
    assert not verdict.ok
    assert "invalid signature" in verdict.reasons[0]


@settings(max_examples=200, deadline=None)
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_in_the_bundle_file_never_verifies_with_the_trusted_key(position, bit):
    """Anywhere in the file, unless the flip leaves what is checked unchanged.

    ``entry.kind`` and ``entry.ref`` are checked against the record the logged bytes wrap, so a
    flip there fails too; a flip in a key name can drop the optional readable ``event`` or add an
    unknown field, and only such flips may still verify.
    """
    raw = bytearray(json.dumps(BASE).encode())
    raw[position % len(raw)] ^= 1 << bit
    try:
        parsed = json.loads(raw)
        same = (
            _checked_parts(parsed) == _checked_parts(BASE)
            and parsed.get("event", BASE["event"]) == BASE["event"]
        )
    except (ValueError, AttributeError, TypeError, KeyError):
        same = False
    verdict = verify_bundle(bytes(raw), trusted_keys=[VKEY])
    assert verdict.ok == same


def _key(text: str) -> tuple:
    """A verifier key as what it means (its key id's hex digits may be either case, as in Go)."""
    key = note.parse_verifier_key(text)
    return (key.name, key.key_id, key.key)


def _checked_parts(bundle: dict) -> tuple:
    entry, proof = bundle["entry"], bundle["inclusion_proof"]
    return (
        bundle["format"],
        bundle["log"]["origin"],
        _key(bundle["log"]["verifier_key"]),
        entry["index"],
        entry["data"],
        proof,
        bundle["checkpoint"],
        entry.get("kind"),
        entry.get("ref"),
    )
