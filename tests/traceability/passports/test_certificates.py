"""The certificate pieces that need no database: payload bytes, signature, pseudonym, codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from agora.traceability import note
from agora.traceability.passports import certificates

KEY = note.generate_signing_key("example.org/agora/log")


def _payload(**overrides: object) -> bytes:
    values: dict = {
        "certificate_id": "cert_01abc",
        "gtin": "08719327000465",
        "serial": "FU0018-00001",
        "lot": None,
        "product_title": "Utrecht E-Bike",
        "seller": "Fietsfabriek Utrecht",
        "holder": "holder:abc",
        "issued_at": datetime(2026, 11, 26, 7, 0, tzinfo=UTC),
        "digital_link": "https://example.org/01/08719327000465/21/FU0018-00001",
        "previous": None,
    }
    values.update(overrides)
    return certificates.payload(**values)


def test_the_payload_is_canonical_json() -> None:
    data = _payload()
    value = json.loads(data)
    assert value["format"] == "agora-authenticity-certificate/1"
    assert value["issued_at"] == "2026-11-26T07:00:00Z"
    assert data == json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def test_a_signature_checks_and_any_change_breaks_it() -> None:
    data = _payload()
    signature, vkey = certificates.sign(data, KEY)
    assert vkey == note.verifier_key(KEY)
    assert certificates.verify(data, signature, vkey)
    assert not certificates.verify(_payload(holder="holder:xyz"), signature, vkey)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not certificates.verify(data, flipped, vkey)
    other = note.verifier_key(note.generate_signing_key("example.org/agora/log"))
    assert not certificates.verify(data, signature, other)
    assert not certificates.verify(data, signature, "not a key")


def test_the_signed_note_is_what_note_sign_writes() -> None:
    data = _payload()
    signature, vkey = certificates.sign(data, KEY)
    assert certificates.signed_note(data, signature, vkey) == note.sign(
        certificates.note_text(data), KEY
    )


def test_the_pseudonym_is_stable_and_reveals_nothing(settings: pytest.FixtureRequest) -> None:
    first = certificates.holder_pseudonym("usr_01a")
    assert first == certificates.holder_pseudonym("usr_01a")
    assert first != certificates.holder_pseudonym("usr_01b")
    assert "usr_01a" not in first and first.startswith("holder:")


def test_transfer_codes_are_random_and_forgive_typing() -> None:
    codes = {certificates.new_transfer_code() for _ in range(50)}
    assert len(codes) == 50
    code = codes.pop()
    assert len(code) == 19 and code.count("-") == 3
    typed = code.lower().replace("-", " ").replace("0", "o")
    assert certificates.code_hash(typed) == certificates.code_hash(code)
    assert certificates.code_hash(code) != certificates.code_hash(certificates.new_transfer_code())
