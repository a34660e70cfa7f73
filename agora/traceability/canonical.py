"""The bytes a log entry hashes: JSON in the JSON Canonicalization Scheme (RFC 8785).

A verifier who re-serialises an event must get the very bytes we hashed, whatever language or
key order they use; RFC 8785 fixes key order, number form and escaping so that they do.
"""

from __future__ import annotations

from typing import Any

import rfc8785


def canonical_bytes(value: Any) -> bytes:
    """RFC 8785 bytes of a JSON value (dicts, lists, str, int, float, bool, None)."""
    return rfc8785.dumps(value)
