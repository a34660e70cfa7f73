"""What one log entry holds: a record wrapped with its kind and reference.

The log hashes an entry's bytes and nothing else, so whatever should be covered by a proof has
to be inside them. Wrapping each record as ``{"kind", "ref", "record"}`` in RFC 8785 JSON puts
the labels a verifier prints ("epcis_event ni:///…", "certificate cert_…") under the proof too:
a bundle whose labels were changed no longer matches its logged bytes. Pure; no Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from agora.traceability.canonical import canonical_bytes

KEYS = frozenset({"kind", "ref", "record"})


@dataclass(frozen=True)
class Logged:
    kind: str
    ref: str
    record: Any


def log_data(*, kind: str, ref: str, record: Any) -> bytes:
    """The bytes to log for ``record`` (any JSON value) under ``kind`` and ``ref``."""
    return canonical_bytes({"kind": kind, "ref": ref, "record": record})


def read_log_data(data: bytes) -> Logged | None:
    """The wrapped record in logged bytes, or None when they are not such a wrapper (the log
    accepts any bytes; only Agora's own records are wrapped). The bytes must be exactly the
    canonical form, so two spellings of one record cannot both pass."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict) or set(value) != KEYS:
        return None
    kind, ref = value["kind"], value["ref"]
    if not (isinstance(kind, str) and isinstance(ref, str)):
        return None
    try:
        if canonical_bytes(value) != bytes(data):
            return None
    except Exception:  # a JSON value RFC 8785 refuses (e.g. a huge integer)
        return None
    return Logged(kind=kind, ref=ref, record=value["record"])
