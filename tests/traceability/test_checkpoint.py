"""C2SP tlog-checkpoint bodies: the spec example, strict parsing, signing round trip."""

from __future__ import annotations

import base64

import pytest

from agora.traceability import note
from agora.traceability.checkpoint import (
    Checkpoint,
    CheckpointError,
    open_checkpoint,
    parse_checkpoint,
)
from agora.traceability.merkle import EMPTY_ROOT

# The example in https://c2sp.org/tlog-checkpoint.
SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
# sum.golang.org tree head (kept in google/trillian-examples as test data): a checkpoint-shaped
# note of the Go checksum database.
SUMDB_BODY = "go.sum database tree\n13485\n/ZWur4obeiqK+ASdnPK+/Rmz6LPQMUeSmHh0+UkL54Y=\n"


def test_parse_the_spec_example():
    checkpoint = parse_checkpoint(SPEC_BODY)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root_hash == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.extensions == ()
    assert checkpoint.body() == SPEC_BODY


def test_origin_may_contain_spaces():
    assert parse_checkpoint(SUMDB_BODY).origin == "go.sum database tree"


def test_extensions_round_trip():
    body = SPEC_BODY + "ext one\nexttwo\n"
    checkpoint = parse_checkpoint(body)
    assert checkpoint.extensions == ("ext one", "exttwo")
    assert checkpoint.body() == body


def test_empty_tree():
    checkpoint = Checkpoint("example.org/log", 0, EMPTY_ROOT)
    assert checkpoint.body().split("\n")[1] == "0"
    assert parse_checkpoint(checkpoint.body()) == checkpoint


ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("example.com\n1\n" + ROOT, "end in a newline"),
        ("example.com\n1\n", "got 2 line"),
        ("\n1\n" + ROOT + "\n", "line 1 is empty"),
        ("example.com\n01\n" + ROOT + "\n", "leading zeros"),
        ("example.com\n00\n" + ROOT + "\n", "leading zeros"),
        ("example.com\n-1\n" + ROOT + "\n", "decimal digits"),
        ("example.com\n+1\n" + ROOT + "\n", "decimal digits"),
        ("example.com\n 1\n" + ROOT + "\n", "decimal digits"),
        ("example.com\n\u0661\n" + ROOT + "\n", "decimal digits"),  # Arabic-Indic one
        ("example.com\n18446744073709551616\n" + ROOT + "\n", "larger than 2\\*\\*64-1"),
        ("example.com\n1\n" + ROOT[:-1] + "\n", "not valid base64"),
        ("example.com\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "not canonical"),
        ("example.com\n1\n" + base64.b64encode(b"x" * 31).decode() + "\n", "32 bytes"),
        ("example.com\n1\n" + ROOT + "\n\n", "line 4 is empty"),
        ("example.com\n1\n" + ROOT + "\next\n\nmore\n", "line 5 is empty"),
        ("exa\tmple.com\n1\n" + ROOT + "\n", "control character"),
    ],
)
def test_malformed_bodies(body, reason):
    with pytest.raises(CheckpointError, match=reason):
        parse_checkpoint(body)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"origin": "", "size": 1, "root_hash": EMPTY_ROOT},
        {"origin": "a\nb", "size": 1, "root_hash": EMPTY_ROOT},
        {"origin": "o", "size": -1, "root_hash": EMPTY_ROOT},
        {"origin": "o", "size": True, "root_hash": EMPTY_ROOT},
        {"origin": "o", "size": 2**64, "root_hash": EMPTY_ROOT},
        {"origin": "o", "size": 1, "root_hash": b"short"},
        {"origin": "o", "size": 1, "root_hash": EMPTY_ROOT, "extensions": ("",)},
        {"origin": "o", "size": 1, "root_hash": EMPTY_ROOT, "extensions": ["x"]},
    ],
)
def test_bad_checkpoint_values(kwargs):
    with pytest.raises(CheckpointError):
        Checkpoint(**kwargs)


def test_sign_and_open():
    key = note.generate_signing_key("shop.example/agora/log")
    checkpoint = Checkpoint("shop.example/agora/log", 42, EMPTY_ROOT)
    signed = checkpoint.sign(key)
    assert signed.startswith(checkpoint.body() + "\n\u2014 shop.example/agora/log ")
    assert open_checkpoint(signed, [note.verifier_key(key)]) == checkpoint


def test_open_checkpoint_with_the_wrong_key():
    key = note.generate_signing_key("log")
    signed = Checkpoint("log", 1, EMPTY_ROOT).sign(key)
    with pytest.raises(note.NoteError, match="no verifiable signatures"):
        open_checkpoint(signed, [note.verifier_key(note.generate_signing_key("log"))])


def test_open_checkpoint_with_a_bad_body():
    key = note.generate_signing_key("log")
    signed = note.sign("log\n1\n", key)
    with pytest.raises(CheckpointError, match="got 2 line"):
        open_checkpoint(signed, note.verifier_key(key))
