"""Turning untrusted bytes into JSON safely: size and depth limits, clear errors.

The size limit is checked before anything is decoded. The depth limit is checked by a flat scan of
the brackets outside strings *before* ``json.loads`` runs, because the standard parser recurses
once per nesting level and a 10,000-deep array would otherwise end in RecursionError (or worse,
tie up the worker). JSON allows duplicate keys; like most parsers we keep the last one.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

# A JSON string (unrolled loop: no backtracking blow-up on long strings), or a run of characters
# that are neither brackets nor quotes. Removing both leaves only the structural brackets.
_NOT_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[^\[\]{}"]+', re.DOTALL)
_DEPTH_STEP = str.maketrans({"[": "\x01", "{": "\x01", "]": "\x02", "}": "\x02"})


class DocumentError(ValueError):
    """The bytes are not a JSON document we will look at; ``rule`` says why."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


def _decode(raw: bytes | str, *, max_bytes: int) -> str:
    if isinstance(raw, str):
        if len(raw) > max_bytes:  # every character is at least one byte
            raise DocumentError("too-large", f"document is over the limit of {max_bytes:,} bytes")
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > max_bytes:
        raise DocumentError(
            "too-large", f"document is {len(raw):,} bytes, over the limit of {max_bytes:,}"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            "json", f"document is not UTF-8: invalid byte at offset {exc.start}"
        ) from None


def max_depth_of(text: str) -> int:
    """The deepest bracket nesting outside strings (0 for a scalar), without recursion."""
    if text.count("[") + text.count("{") == 0:
        return 0
    brackets = _NOT_BRACKETS.sub("", text).replace('"', "")
    steps = (1 if c == "\x01" else -1 for c in brackets.translate(_DEPTH_STEP))
    return max(accumulate(steps, initial=0))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse(raw: bytes | str, *, max_bytes: int, max_depth: int) -> Any:
    """Parse a JSON document within the limits, or raise DocumentError.

    Rules: "too-large" (over ``max_bytes``), "too-deep" (over ``max_depth`` nested arrays and
    objects), "json" (not UTF-8, malformed or truncated JSON, NaN/Infinity).
    """
    text = _decode(raw, max_bytes=max_bytes)
    # Cheap bound first: a document with fewer brackets than the limit cannot be too deep.
    if text.count("[") + text.count("{") > max_depth:
        depth = max_depth_of(text)
        if depth > max_depth:
            raise DocumentError(
                "too-deep", f"document nests {depth} levels deep, over the limit of {max_depth}"
            )
    if not text.strip():
        raise DocumentError("json", "document is empty")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        # Cut off mid-string, or with nothing left where a value or bracket should come.
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise DocumentError(
                "json", f"malformed JSON: the document ends early (truncated?) at {where}"
            ) from None
        raise DocumentError("json", f"malformed JSON at {where}: {exc.msg}") from None
    except RecursionError:  # only reachable when a caller passes a huge max_depth
        raise DocumentError("too-deep", "document nests too deeply to parse") from None
    except ValueError as exc:  # NaN/Infinity, integers over the interpreter's digit limit
        raise DocumentError("json", f"malformed JSON: {exc}") from None
