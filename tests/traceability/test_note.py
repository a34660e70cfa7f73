"""C2SP signed notes: the Go reference vectors (golang.org/x/mod/sumdb/note note_test.go).

The PeterNeumann / EnochRoot keys, text and signatures below are the published test data of the
Go package; Ed25519 is deterministic, so our signer must reproduce the Go note byte for byte.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agora.traceability import note
from agora.traceability.note import NoteError

PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdn"
    "gotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWL"
    "ox33WWd1RvMc+QQ=\n"
)


def test_sign_reproduces_the_go_reference_note_byte_for_byte():
    assert note.sign(TEXT, PETER_SKEY) == TEXT + "\n" + PETER_SIG


def test_verifier_key_of_the_reference_signing_key():
    assert note.verifier_key(PETER_SKEY) == PETER_VKEY
    verifier = note.parse_verifier_key(PETER_VKEY)
    assert (verifier.name, verifier.key_id) == ("PeterNeumann", 0xC74F20A3)
    assert verifier.key == PETER_VKEY


def test_open_reference_note():
    assert note.open_note(TEXT + "\n" + PETER_SIG, [PETER_VKEY]) == TEXT
    assert note.open_note((TEXT + "\n" + PETER_SIG).encode(), PETER_VKEY) == TEXT


def test_unknown_signatures_are_ignored_but_reported():
    opened = note.open_signed_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [PETER_VKEY])
    assert opened.signer_names == ("PeterNeumann",)
    assert [s.key_label for s in opened.unverified] == ["EnochRoot+af0cfe78"]


def test_both_known_signatures_verify():
    opened = note.open_signed_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [PETER_VKEY, ENOCH_VKEY])
    assert opened.signer_names == ("PeterNeumann", "EnochRoot")


def test_no_known_signature_is_rejected_and_names_the_signers():
    with pytest.raises(NoteError, match=r"no verifiable signatures.*PeterNeumann\+c74f20a3"):
        note.open_note(TEXT + "\n" + PETER_SIG, [ENOCH_VKEY])


def test_invalid_signature_by_a_known_key_rejects_the_note():
    tampered = TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(NoteError, match=r"invalid signature for key PeterNeumann\+c74f20a3"):
        note.open_note(tampered, [PETER_VKEY])


def test_changed_text_fails():
    with pytest.raises(NoteError, match="invalid signature"):
        note.open_note(TEXT.replace("cryptography", "cryptographY") + "\n" + PETER_SIG, PETER_VKEY)


def test_duplicate_signatures_are_dropped():
    opened = note.open_signed_note(TEXT + "\n" + PETER_SIG * 2 + ENOCH_SIG * 2, [PETER_VKEY])
    assert opened.signer_names == ("PeterNeumann",)
    assert len(opened.unverified) == 1


def test_too_many_signatures():
    with pytest.raises(NoteError, match="more than 100"):
        note.open_note(TEXT + "\n" + PETER_SIG * 101, [PETER_VKEY])


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (TEXT, "no blank line"),
        (TEXT + "\n", "no signature lines"),
        (TEXT + "\n" + PETER_SIG[:-1], "does not end in a newline"),
        ("\x01" + TEXT + "\n" + PETER_SIG, "control character"),
        (
            TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZ=\n",
            "bad base64",
        ),
        (TEXT + "\n" + PETER_SIG + "Unexpected line.\n", "em dash"),
        (TEXT + "\n" + "\u2014 PeterNeumann AAAA\n", "bad base64"),
        (TEXT + "\n" + "\u2014 Peter+Neumann AAAAAAA=\n", "bad key name"),
        (TEXT + "\n" + "- PeterNeumann AAAAAAA=\n", "em dash"),
    ],
)
def test_malformed_notes_from_the_go_table(message, reason):
    with pytest.raises(NoteError, match=reason):
        note.open_note(message, [PETER_VKEY])


def test_invalid_utf8_bytes():
    with pytest.raises(NoteError, match="UTF-8"):
        note.open_note(b"\xff" + (TEXT + "\n" + PETER_SIG).encode(), [PETER_VKEY])


def test_text_with_blank_lines_round_trips():
    key = note.generate_signing_key("example.org/log")
    text = "one\n\ntwo\n\n"
    assert note.open_note(note.sign(text, key), note.verifier_key(key)) == text


def test_every_mangled_verifier_key_is_rejected():
    """As TestNewVerifier: every proper substring and every +1 byte change fails."""
    b = PETER_VKEY.encode()
    for i in range(len(b) + 1):
        for j in range(i + 1, len(b) + 1):
            if (i, j) != (0, len(b)):
                with pytest.raises(NoteError):
                    note.parse_verifier_key(b[i:j].decode())
    for i in range(len(b)):
        mangled = bytearray(b)
        mangled[i] += 1
        with pytest.raises(NoteError):
            note.parse_verifier_key(mangled.decode())


def test_every_mangled_signing_key_is_rejected():
    b = PETER_SKEY.encode()
    for i in range(len(b)):
        mangled = bytearray(b)
        mangled[i] += 1
        with pytest.raises(NoteError):
            note.parse_signing_key(mangled.decode())
    for cut in range(1, len(b)):
        with pytest.raises(NoteError):
            note.parse_signing_key(b[:cut].decode())


@pytest.mark.parametrize(
    "key",
    [
        # wrong length key, with adjusted key hash
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        # unknown algorithm, with adjusted key hash
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_go_bad_keys(key):
    with pytest.raises(NoteError):
        note.parse_verifier_key(key)


def test_ambiguous_verifier_keys():
    other = note.verifier_key(note.generate_signing_key("EnochRoot"))
    forged = "EnochRoot+af0cfe78+" + other.split("+", 2)[2]
    with pytest.raises(NoteError):
        note.parse_verifier_key(forged)  # the id does not match that key
    # The same key twice is not ambiguous.
    assert note.open_note(TEXT + "\n" + ENOCH_SIG, [ENOCH_VKEY, ENOCH_VKEY]) == TEXT


@pytest.mark.parametrize("name", ["", "a+b", "a b", "tab\there", "nbsp\u00a0x"])
def test_bad_key_names(name):
    with pytest.raises(NoteError, match="bad key name"):
        note.generate_signing_key(name)


@pytest.mark.parametrize("text", ["abc", "", "a\tb\n", "bell\x07\n"])
def test_sign_rejects_bad_text(text):
    with pytest.raises(NoteError, match="malformed note"):
        note.sign(text, PETER_SKEY)


def test_generated_keys_are_self_consistent_and_distinct():
    a, b = note.generate_signing_key("EnochRoot"), note.generate_signing_key("EnochRoot")
    assert a != b
    assert note.key_name(a) == note.key_name(note.verifier_key(a)) == "EnochRoot"
    signed = note.sign("hi\n", a)
    assert note.open_note(signed, note.verifier_key(a)) == "hi\n"
    with pytest.raises(NoteError, match="no verifiable signatures"):
        note.open_note(signed, note.verifier_key(b))


@settings(max_examples=200, deadline=None)
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_in_a_signed_note_fails(position, bit):
    signed = bytearray((TEXT + "\n" + PETER_SIG).encode())
    signed[position % len(signed)] ^= 1 << bit
    with pytest.raises(NoteError):
        note.open_note(bytes(signed), [PETER_VKEY])
