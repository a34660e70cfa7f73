"""Public endpoints of the transparency log (no key): the signed checkpoint, the log's public
key, inclusion and consistency proofs, raw entries and offline bundles.

These are what a monitor, a witness or a buyer's verifier fetch; the checkpoint and key are
plain text exactly as the C2SP tools read them, and hashes and bytes are standard base64.
"""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from pydantic import BaseModel, Field

from agora.traceability.log import selectors, signing

router = Router(tags=["traceability"])

TEXT = "text/plain; charset=utf-8"


def _text_response(description: str) -> dict[str, Any]:
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        }
    }


class InclusionProofOut(BaseModel):
    index: int
    tree_size: int
    hashes: list[str] = Field(description="base64 SHA-256 hashes, leaf to root (RFC 9162)")


class ConsistencyProofOut(BaseModel):
    first: int
    second: int
    hashes: list[str] = Field(description="base64 SHA-256 hashes (RFC 9162 2.1.4)")


class EntryOut(BaseModel):
    index: int
    kind: str
    ref: str
    data: str = Field(description="base64 of the logged bytes (canonical JSON)")


class EntriesOut(BaseModel):
    entries: list[EntryOut]


@router.get(
    "/trace/checkpoint",
    response={200: None},
    summary="The latest signed tree head (C2SP tlog-checkpoint signed note)",
    openapi_extra=_text_response("the checkpoint note: origin, size, base64 root, signatures"),
)
def checkpoint(request: HttpRequest) -> HttpResponse:
    return HttpResponse(selectors.checkpoint_note(), content_type=TEXT)


@router.get(
    "/trace/key",
    response={200: None},
    summary="The log's Ed25519 verifier key (signed-note format)",
    openapi_extra=_text_response("<name>+<key id>+<base64 public key>"),
)
def key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(signing.verifier_key() + "\n", content_type=TEXT)


@router.get(
    "/trace/proof/inclusion",
    response=InclusionProofOut,
    summary="Inclusion proof of entry `index` in the tree of `tree_size` entries",
)
def proof_inclusion(request: HttpRequest, index: int, tree_size: int) -> dict[str, Any]:
    hashes = selectors.inclusion_proof(index=index, tree_size=tree_size)
    return {"index": index, "tree_size": tree_size, "hashes": [_b64(h) for h in hashes]}


@router.get(
    "/trace/proof/consistency",
    response=ConsistencyProofOut,
    summary="Consistency proof between the trees of `first` and `second` entries",
)
def proof_consistency(request: HttpRequest, first: int, second: int) -> dict[str, Any]:
    hashes = selectors.consistency_proof(first=first, second=second)
    return {"first": first, "second": second, "hashes": [_b64(h) for h in hashes]}


@router.get(
    "/trace/entries",
    response=EntriesOut,
    summary="Logged entries from `start` to `end` (exclusive), at most 1000 a call",
    description=(
        "A shorter answer ends at the log's size or at 1000 entries; ask again from the index "
        "after the last one returned."
    ),
)
def entries(request: HttpRequest, start: int, end: int) -> dict[str, Any]:
    rows = selectors.entries(start=start, end=end)
    return {
        "entries": [
            {"index": e.index, "kind": e.kind, "ref": e.ref, "data": _b64(bytes(e.data))}
            for e in rows
        ]
    }


@router.get(
    "/trace/bundle/{kind}/{path:ref}",
    response={200: dict[str, Any]},
    summary="Offline-verifiable bundle of one logged record (agora-trace-bundle/1)",
)
def bundle(request: HttpRequest, kind: str, ref: str) -> dict[str, Any]:
    return selectors.bundle_for(kind=kind, ref=ref)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
