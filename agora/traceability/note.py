"""C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys.

Our checkpoints are signed notes so that the tools of the transparency-log ecosystem
(golang.org/x/mod/sumdb/note, witnesses, tlog verifiers) read them as they read any other log's;
the key and note encodings here are byte for byte those of the Go reference package:

- a note is UTF-8 text ending in a newline, a blank line, then signature lines
  ``"\u2014 <key name> <base64(4-byte key id || signature)>\\n"``; no ASCII control character
  other than newline anywhere;
- key id = SHA-256(name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4], big-endian;
- verifier key ``<name>+<8 hex key id>+<base64(0x01 || public key)>``;
- signing key ``PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>``.

Opening a note ignores signatures by keys we were not given, rejects the note when a signature by
a key we were given does not verify, and requires at least one verified signature. Every error is
a ``NoteError`` saying what is wrong. Pure Python: no Django, no I/O.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

EM_DASH = "\u2014"
SIGNATURE_PREFIX = EM_DASH + " "
ALG_ED25519 = 0x01
ED25519_KEY_SIZE = 32
ED25519_SIGNATURE_SIZE = 64
PRIVATE_KEY_PREFIX = "PRIVATE+KEY+"
# The spec asks verifiers to accept at least 16; the Go package stops at 100.
MAX_SIGNATURES = 100


class NoteError(ValueError):
    """A malformed note or key, a bad signature, or no signature by a trusted key."""


@dataclass(frozen=True)
class Verifier:
    """A public key a note can be checked against."""

    name: str
    key_id: int
    public_key: bytes

    @property
    def key(self) -> str:
        """The verifier key string ``name+hexid+base64``."""
        return _encode_key(self.name, self.key_id, self.public_key)

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True when ``signature`` is this key's Ed25519 signature of ``message``."""
        if len(signature) != ED25519_SIGNATURE_SIZE:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A private key that signs notes under ``name``."""

    name: str
    key_id: int
    seed: bytes

    def sign(self, message: bytes) -> bytes:
        """Ed25519 signature (deterministic, RFC 8032) of ``message``."""
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)

    @property
    def verifier(self) -> Verifier:
        public = Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes_raw()
        return Verifier(self.name, self.key_id, public)


@dataclass(frozen=True)
class Signature:
    """One signature line: who claims to have signed (name, key id) and the base64 blob."""

    name: str
    key_id: int
    base64: str

    @property
    def key_label(self) -> str:
        return f"{self.name}+{self.key_id:08x}"


@dataclass(frozen=True)
class OpenedNote:
    """A note whose signatures were checked: the text and who signed it."""

    text: str
    signatures: tuple[Signature, ...]
    unverified: tuple[Signature, ...]

    @property
    def signer_names(self) -> tuple[str, ...]:
        return tuple(signature.name for signature in self.signatures)


def key_id(name: str, public_key: bytes) -> int:
    """The 32-bit key id of an Ed25519 key under ``name``."""
    digest = hashlib.sha256(
        name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_key
    ).digest()
    return int.from_bytes(digest[:4], "big")


def is_valid_name(name: object) -> bool:
    """Key names are non-empty, without '+' or any Unicode space (they are split on both)."""
    return (
        isinstance(name, str)
        and name != ""
        and "+" not in name
        and not any(c.isspace() for c in name)
        and _has_no_control_characters(name)
    )


def generate_signing_key(name: str) -> str:
    """A new random Ed25519 signing key in the Go note ``PRIVATE+KEY+...`` format."""
    _require_name(name)
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    return PRIVATE_KEY_PREFIX + _encode_key(name, key_id(name, public), seed)


def parse_signing_key(signing_key: str) -> Signer:
    """Parse ``PRIVATE+KEY+<name>+<hex id>+<base64(0x01||seed)>``, checking the key id."""
    if not isinstance(signing_key, str) or not signing_key.startswith(PRIVATE_KEY_PREFIX):
        raise NoteError("signing key must start with PRIVATE+KEY+")
    name, given_id, seed = _decode_key(signing_key[len(PRIVATE_KEY_PREFIX) :], "signing key")
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    if key_id(name, public) != given_id:
        raise NoteError(f"signing key id {given_id:08x} does not match the key of {name!r}")
    return Signer(name, given_id, seed)


def parse_verifier_key(verifier_key: str) -> Verifier:
    """Parse ``<name>+<hex id>+<base64(0x01||public key)>``, checking the key id."""
    if not isinstance(verifier_key, str):
        raise NoteError(f"verifier key must be a string, not {type(verifier_key).__name__}")
    name, given_id, public = _decode_key(verifier_key, "verifier key")
    if key_id(name, public) != given_id:
        raise NoteError(f"verifier key id {given_id:08x} does not match the public key of {name!r}")
    return Verifier(name, given_id, public)


def verifier_key(signing_key: str) -> str:
    """The public verifier key string of a signing key."""
    return parse_signing_key(signing_key).verifier.key


def key_name(key: str) -> str:
    """The name in a verifier or signing key (after checking the key)."""
    if isinstance(key, str) and key.startswith(PRIVATE_KEY_PREFIX):
        return parse_signing_key(key).name
    return parse_verifier_key(key).name


def sign(text: str, signing_key: str) -> str:
    """The signed note: ``text``, a blank line, and one signature line by ``signing_key``."""
    _require_text(text)
    signer = parse_signing_key(signing_key)
    signature = signer.sign(text.encode("utf-8"))
    blob = base64.b64encode(signer.key_id.to_bytes(4, "big") + signature).decode("ascii")
    return f"{text}\n{SIGNATURE_PREFIX}{signer.name} {blob}\n"


def open_note(note: str | bytes, verifier_keys: str | Iterable[str]) -> str:
    """The text of ``note`` once a signature by one of ``verifier_keys`` checks out."""
    return open_signed_note(note, verifier_keys).text


def open_signed_note(note: str | bytes, verifier_keys: str | Iterable[str]) -> OpenedNote:
    """Check ``note`` against ``verifier_keys`` (one key string or several).

    Signatures by other keys are ignored (they may be witnesses' cosignatures or a rotated
    key), a signature by a given key that fails to verify rejects the note, and at least one
    given key must have signed.
    """
    known = _known_verifiers(verifier_keys)
    text, lines = split_note(note)
    message = text.encode("utf-8")
    verified: list[Signature] = []
    unverified: list[Signature] = []
    seen: set[tuple[str, int]] = set()
    for signature, raw in lines:
        label = (signature.name, signature.key_id)
        verifier = known.get(label)
        if verifier is None:
            if signature not in unverified:
                unverified.append(signature)
            continue
        if not verifier.verify(message, raw):
            raise NoteError(f"invalid signature for key {signature.key_label}")
        if label in seen:
            continue
        seen.add(label)
        verified.append(signature)
    if not verified:
        signers = ", ".join(s.key_label for s in unverified) or "nobody"
        trusted = ", ".join(f"{n}+{i:08x}" for n, i in known) or "none"
        raise NoteError(
            f"note has no verifiable signatures: signed by {signers}; trusted keys: {trusted}"
        )
    return OpenedNote(text, tuple(verified), tuple(unverified))


def split_note(note: str | bytes) -> tuple[str, list[tuple[Signature, bytes]]]:
    """Split a note into its text and parsed signature lines, without checking signatures."""
    if isinstance(note, (bytes, bytearray)):
        try:
            note = bytes(note).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteError(f"malformed note: not valid UTF-8 ({exc.reason})") from None
    if not isinstance(note, str):
        raise NoteError(f"note must be text, not {type(note).__name__}")
    _require_utf8(note, "note")
    if not _has_no_control_characters(note):
        raise NoteError("malformed note: it contains a control character other than newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line between the text and the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block:
        raise NoteError("malformed note: no signature lines after the blank line")
    if not block.endswith("\n"):
        raise NoteError("malformed note: the last signature line does not end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"malformed note: more than {MAX_SIGNATURES} signatures")
    return text, [_parse_signature_line(line, number) for number, line in enumerate(lines, 1)]


def _parse_signature_line(line: str, number: int) -> tuple[Signature, bytes]:
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError(
            f"malformed note: signature line {number} does not start with an em dash and a space"
        )
    name, _, blob = line[len(SIGNATURE_PREFIX) :].partition(" ")
    if not is_valid_name(name):
        raise NoteError(f"malformed note: bad key name {name!r} in signature line {number}")
    raw = _b64decode(blob)
    if raw is None or len(raw) < 5:
        raise NoteError(f"malformed note: bad base64 signature in signature line {number}")
    return Signature(name, int.from_bytes(raw[:4], "big"), blob), raw[4:]


def _known_verifiers(verifier_keys: str | Iterable[str]) -> dict[tuple[str, int], Verifier]:
    keys = [verifier_keys] if isinstance(verifier_keys, str) else list(verifier_keys)
    known: dict[tuple[str, int], Verifier] = {}
    for key in keys:
        verifier = parse_verifier_key(key)
        label = (verifier.name, verifier.key_id)
        if label in known and known[label] != verifier:
            raise NoteError(f"ambiguous key {verifier.name}+{verifier.key_id:08x}")
        known[label] = verifier
    return known


def _encode_key(name: str, key_id_value: int, material: bytes) -> str:
    blob = base64.b64encode(bytes([ALG_ED25519]) + material).decode("ascii")
    return f"{name}+{key_id_value:08x}+{blob}"


def _decode_key(key: str, what: str) -> tuple[str, int, bytes]:
    name, _, rest = key.partition("+")
    hex_id, plus, blob = rest.partition("+")
    if not is_valid_name(name):
        raise NoteError(f"{what} has a bad name {name!r} (empty, '+' or a space)")
    if not plus or len(hex_id) != 8 or any(c not in "0123456789abcdefABCDEF" for c in hex_id):
        raise NoteError(f"{what} must be <name>+<8 hex digits>+<base64 key>")
    material = _b64decode(blob)
    if material is None or not material:
        raise NoteError(f"{what} key material is not valid base64")
    if material[0] != ALG_ED25519:
        raise NoteError(f"{what} uses algorithm {material[0]:#04x}; only Ed25519 (0x01) is known")
    if len(material) != 1 + ED25519_KEY_SIZE:
        raise NoteError(f"{what} Ed25519 key must be {ED25519_KEY_SIZE} bytes")
    return name, int(hex_id, 16), material[1:]


def _b64decode(text: str) -> bytes | None:
    """Strict standard base64: alphabet, padding and canonical trailing bits; None if not."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    if base64.b64encode(raw).decode("ascii") != text:
        return None
    return raw


def _require_name(name: object) -> None:
    if not is_valid_name(name):
        raise NoteError(f"bad key name {name!r}: it must be non-empty, without '+' or spaces")


def _require_text(text: object) -> None:
    if not isinstance(text, str):
        raise NoteError(f"note text must be a string, not {type(text).__name__}")
    _require_utf8(text, "note text")
    if not text.endswith("\n"):
        raise NoteError("malformed note: the text must end in a newline")
    if not _has_no_control_characters(text):
        raise NoteError("malformed note: the text contains a control character other than newline")


def _require_utf8(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise NoteError(f"malformed note: {what} is not valid UTF-8 (lone surrogate)") from None


def _has_no_control_characters(text: str) -> bool:
    return not any(c < " " and c != "\n" for c in text)
