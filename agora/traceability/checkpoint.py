"""C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed tree head of our log.

The note text is the origin (the log's identity), the tree size in decimal, the base64 root hash
and optional extension lines, each ending in a newline. Written exactly so that witnesses and
verifiers of other transparency logs parse ours; parsing is strict (no leading zeros, canonical
base64, a 32-byte root, no empty line) so that one tree head has exactly one encoding.
Pure Python: no Django, no I/O.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass

from agora.traceability import note
from agora.traceability.merkle import HASH_SIZE, MAX_TREE_SIZE


class CheckpointError(ValueError):
    """A checkpoint body that does not follow tlog-checkpoint, with the line at fault."""


@dataclass(frozen=True)
class Checkpoint:
    """One tree head: the log ``origin`` had ``size`` leaves with root ``root_hash``."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line(self.origin, "origin")
        if isinstance(self.size, bool) or not isinstance(self.size, int):
            raise CheckpointError(f"tree size must be an integer, not {type(self.size).__name__}")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise CheckpointError(f"tree size {self.size} is outside 0..2**64-1")
        if not isinstance(self.root_hash, bytes) or len(self.root_hash) != HASH_SIZE:
            raise CheckpointError(f"root hash must be {HASH_SIZE} bytes")
        if not isinstance(self.extensions, tuple):
            raise CheckpointError("extensions must be a tuple of lines")
        for number, line in enumerate(self.extensions, 1):
            _check_line(line, f"extension line {number}")

    def body(self) -> str:
        """The note text: ``origin\\nsize\\nbase64(root)\\n`` plus any extension lines."""
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root_hash).decode("ascii"),
            *self.extensions,
        ]
        return "".join(line + "\n" for line in lines)

    def sign(self, signing_key: str) -> str:
        """The signed note of this checkpoint (C2SP signed-note, Ed25519)."""
        return note.sign(self.body(), signing_key)


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint body (a note's text, signatures already removed)."""
    if not isinstance(text, str):
        raise CheckpointError(f"checkpoint must be text, not {type(text).__name__}")
    if not text.endswith("\n"):
        raise CheckpointError("checkpoint text must end in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError(
            f"checkpoint needs an origin, a tree size and a root hash; got {len(lines)} line(s)"
        )
    origin, size_line, root_line, *extensions = lines
    for number, line in enumerate(lines, 1):
        if not line:
            raise CheckpointError(f"checkpoint line {number} is empty")
    return Checkpoint(
        origin=origin,
        size=_parse_size(size_line),
        root_hash=_parse_root(root_line),
        extensions=tuple(extensions),
    )


def open_checkpoint(signed_note: str | bytes, verifier_keys: str | Iterable[str]) -> Checkpoint:
    """Check the note's signature against ``verifier_keys`` and parse its text.

    Raises ``note.NoteError`` for a signature problem and ``CheckpointError`` for a body
    problem; both are ``ValueError``.
    """
    return parse_checkpoint(note.open_note(signed_note, verifier_keys))


def _parse_size(line: str) -> int:
    if not line.isascii() or not line.isdigit() or (line != "0" and line.startswith("0")):
        raise CheckpointError(
            f"tree size {line!r} must be ASCII decimal digits without leading zeros"
        )
    size = int(line)
    if size > MAX_TREE_SIZE:
        raise CheckpointError(f"tree size {line} is larger than 2**64-1")
    return size


def _parse_root(line: str) -> bytes:
    try:
        raw = base64.b64decode(line.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise CheckpointError(f"root hash {line!r} is not valid base64") from None
    if base64.b64encode(raw).decode("ascii") != line:
        raise CheckpointError(f"root hash {line!r} is not canonical base64")
    if len(raw) != HASH_SIZE:
        raise CheckpointError(f"root hash must be {HASH_SIZE} bytes, got {len(raw)}")
    return raw


def _check_line(line: object, what: str) -> None:
    if not isinstance(line, str) or not line:
        raise CheckpointError(f"checkpoint {what} must be a non-empty string")
    if any(c < " " for c in line):
        raise CheckpointError(f"checkpoint {what} contains a newline or control character")
