"""Pure Merkle tree functions of RFC 9162 (Certificate Transparency 2.0) section 2.1.

Everything a third party needs to check our log without trusting us lives here: the same
hashing as every RFC 6962/9162 log (so existing verifiers and witnesses agree with us), proof
generation over raw entries, and the two verifiers. No I/O, no Django, hashlib only.

Verifiers raise ``ValueError`` when the input is malformed (a non-bytes value, a hash that is
not 32 bytes, a size or index out of range or out of order) and return ``False`` when the input
is well formed but proves nothing. They never raise anything else.

A proof binds a leaf (or an old root) to a root hash; the tree size is bound to that root by the
signed tree head, not by the proof. Callers must therefore take ``tree_size`` and ``root`` from
the same verified checkpoint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
MAX_TREE_SIZE = 2**64 - 1  # RFC 9162 sizes and indices are uint64.
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """Hash one log entry; the 0x00 prefix keeps a leaf from passing for an interior node."""
    return hashlib.sha256(LEAF_PREFIX + _require_bytes(data, "data")).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two children; the 0x01 prefix is the domain separation verifiers rely on."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def root(leaves: Sequence[bytes]) -> bytes:
    """Merkle Tree Hash MTH(D[n]) of raw entries (RFC 9162 2.1.1); empty tree = SHA-256('')."""
    return _mth(_leaf_hashes(leaves))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """Audit path PATH(m, D[n]) (RFC 9162 2.1.3.1): the sibling hashes from leaf to root."""
    hashes = _leaf_hashes(leaves)
    _require_size(index, "index")
    if index >= len(hashes):
        raise ValueError(f"index {index} is out of range for a tree of {len(hashes)} leaves")
    return _path(index, hashes)


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(m, D[n]) (RFC 9162 2.1.4.1): shows the first ``old_size`` leaves were never changed.

    For ``old_size`` 0 or equal to the tree size the proof is empty: every tree extends the
    empty tree, and a tree is consistent with itself.
    """
    hashes = _leaf_hashes(leaves)
    _require_size(old_size, "old_size")
    if old_size > len(hashes):
        raise ValueError(f"old_size {old_size} is larger than the tree ({len(hashes)} leaves)")
    if old_size == 0 or old_size == len(hashes):
        return []
    return _subproof(old_size, hashes, True)


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """True when ``proof`` shows the leaf hash sits at ``index`` in the tree with ``root``.

    RFC 9162 2.1.3.2, which recomputes the root from the leaf hash and the path without
    rebuilding the tree, so a verifier needs only the leaf, the path and a trusted tree head.
    """
    leaf = _require_hash(leaf_hash, "leaf_hash")
    expected = _require_hash(root, "root")
    _require_size(index, "index")
    _require_size(tree_size, "tree_size")
    path = _require_proof(proof)
    if index >= tree_size:
        raise ValueError(f"index {index} is out of range for tree_size {tree_size}")
    computed = _root_from_path(leaf, index, tree_size, path)
    return computed is not None and computed == expected


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True when the tree with ``new_root`` is an append-only extension of ``old_root``.

    RFC 9162 2.1.4.2; this is what a monitor checks between two tree heads to know no logged
    entry was rewritten or removed. The trivial cases the RFC leaves out are pinned down: an
    empty old tree must have the empty-tree root, and equal sizes need equal roots and no proof.
    """
    _require_size(old_size, "old_size")
    _require_size(new_size, "new_size")
    old = _require_hash(old_root, "old_root")
    new = _require_hash(new_root, "new_root")
    path = _require_proof(proof)
    if old_size > new_size:
        raise ValueError(f"old_size {old_size} is larger than new_size {new_size}")
    if old_size == 0:
        return not path and old == EMPTY_ROOT
    if old_size == new_size:
        return not path and old == new
    return _roots_from_consistency(old_size, new_size, old, path) == (old, new)


def _largest_power_of_two_below(n: int) -> int:
    """k in RFC 9162 2.1.1: the largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _mth(hashes: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes: left subtree is always the largest complete power-of-two tree."""
    if not hashes:
        return EMPTY_ROOT
    if len(hashes) == 1:
        return hashes[0]
    k = _largest_power_of_two_below(len(hashes))
    return node_hash(_mth(hashes[:k]), _mth(hashes[k:]))


def _path(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) over leaf hashes, leaf-to-root order."""
    if len(hashes) == 1:
        return []
    k = _largest_power_of_two_below(len(hashes))
    if index < k:
        return [*_path(index, hashes[:k]), _mth(hashes[k:])]
    return [*_path(index - k, hashes[k:]), _mth(hashes[:k])]


def _subproof(m: int, hashes: Sequence[bytes], whole_old_tree: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b): b says whether MTH(D[0:m]) is already known to the verifier."""
    n = len(hashes)
    if m == n:
        return [] if whole_old_tree else [_mth(hashes)]
    k = _largest_power_of_two_below(n)
    if m <= k:
        return [*_subproof(m, hashes[:k], whole_old_tree), _mth(hashes[k:])]
    return [*_subproof(m - k, hashes[k:], False), _mth(hashes[:k])]


def _root_from_path(leaf: bytes, index: int, tree_size: int, path: list[bytes]) -> bytes | None:
    """RFC 9162 2.1.3.2 steps 2-5; None when the path has the wrong shape for the tree."""
    fn, sn, r = index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            fn, sn = _shift_while_even(fn, sn)
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def _roots_from_consistency(
    old_size: int, new_size: int, old_root: bytes, path: list[bytes]
) -> tuple[bytes, bytes] | None:
    """RFC 9162 2.1.4.2 steps 1-7: (old root, new root) rebuilt from the proof, or None."""
    if not path:
        return None
    if old_size & (old_size - 1) == 0:
        path = [old_root, *path]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            fn, sn = _shift_while_even(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return (fr, sr) if sn == 0 else None


def _shift_while_even(fn: int, sn: int) -> tuple[int, int]:
    """Skip the levels where our node is the right edge and has no sibling."""
    while not fn & 1 and fn != 0:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def _leaf_hashes(leaves: Sequence[bytes]) -> list[bytes]:
    if not isinstance(leaves, (list, tuple)):
        raise ValueError("leaves must be a list of bytes")
    return [leaf_hash(entry) for entry in leaves]


def _require_bytes(value: object, name: str) -> bytes:
    if not isinstance(value, (bytes, bytearray)):
        raise ValueError(f"{name} must be bytes, not {type(value).__name__}")
    return bytes(value)


def _require_hash(value: object, name: str) -> bytes:
    digest = _require_bytes(value, name)
    if len(digest) != HASH_SIZE:
        raise ValueError(f"{name} must be {HASH_SIZE} bytes, got {len(digest)}")
    return digest


def _require_size(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, not {type(value).__name__}")
    if not 0 <= value <= MAX_TREE_SIZE:
        raise ValueError(f"{name} {value} is outside 0..2**64-1")


def _require_proof(proof: object) -> list[bytes]:
    if not isinstance(proof, (list, tuple)):
        raise ValueError(f"proof must be a list of hashes, not {type(proof).__name__}")
    return [_require_hash(element, f"proof[{i}]") for i, element in enumerate(proof)]
