"""Which stored subtree hashes a proof needs, and how to fold them into the RFC 9162 proof.

The log stores the hash of every *perfect* subtree as it completes: level ``k``, position ``i``
covers leaves ``[i*2**k, (i+1)*2**k)`` (level 0 are the leaf hashes). Every hash in an RFC 9162
inclusion or consistency proof is MTH of a range ``[start, end)`` of the tree; such a range is
either perfect (stored as one node) or the tree's ragged right edge, which is the fold of at most
log2(n) perfect subtrees, one per set bit of its length. So a proof for any tree size needs
O(log n) stored nodes, fetched in one query, and no rehashing of leaves.

Nodes are keyed by one integer, the in-order ("flat tree") number ``i * 2**(k+1) + 2**k - 1``:
leaves are the even numbers, and every node of every size has one key, so a lookup is one
primary-key ``IN`` query. Everything here is pure (no Django) and is checked against
``agora.traceability.merkle`` for every index and size up to 64 and random larger ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from agora.traceability.merkle import EMPTY_ROOT, node_hash

# Flat-tree keys of a tree of n leaves go up to 2n - 2, stored in a signed 64-bit column.
MAX_LEAVES = 2**62

Range = tuple[int, int]


@dataclass(frozen=True, order=True)
class Node:
    """A perfect subtree: ``level`` k and ``position`` i cover leaves [i*2**k, (i+1)*2**k)."""

    level: int
    position: int

    @property
    def key(self) -> int:
        """The in-order number: unique across levels, so one indexed column finds any node."""
        return (self.position << (self.level + 1)) + (1 << self.level) - 1

    @property
    def start(self) -> int:
        return self.position << self.level

    @property
    def end(self) -> int:
        return (self.position + 1) << self.level


def node_at_key(key: int) -> Node:
    """The node with in-order number ``key`` (the inverse of ``Node.key``)."""
    if key < 0:
        raise ValueError(f"node key {key} is negative")
    level = ((key + 1) & -(key + 1)).bit_length() - 1  # trailing ones of key
    return Node(level, key >> (level + 1))


def range_nodes(start: int, end: int) -> list[Node]:
    """The perfect subtrees whose fold is MTH(D[start:end]), left to right.

    The range must be a subtree of some RFC 9162 tree: ``start`` a multiple of the largest power
    of two not above ``end - start`` (always true for the ranges proofs and roots ask for).
    """
    if not 0 <= start < end:
        raise ValueError(f"range [{start}, {end}) is empty or negative")
    nodes: list[Node] = []
    offset = start
    length = end - start
    for level in range(length.bit_length() - 1, -1, -1):
        if length >> level & 1:
            if offset % (1 << level):
                raise ValueError(f"range [{start}, {end}) is not a subtree of any Merkle tree")
            nodes.append(Node(level, offset >> level))
            offset += 1 << level
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """MTH of a range from its perfect subtrees' hashes (left to right): the right edge of an
    RFC 9162 tree nests to the right, so the fold runs from the last hash back to the first."""
    if not hashes:
        return EMPTY_ROOT
    acc = hashes[-1]
    for left in reversed(hashes[:-1]):
        acc = node_hash(left, acc)
    return acc


def peaks(size: int) -> list[Node]:
    """The perfect subtrees whose fold is the root of a tree of ``size`` leaves (a compact range
    from 0): one per set bit of ``size``, largest first."""
    return range_nodes(0, size) if size else []


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose MTH form PATH(index, D[0:size]) (RFC 9162 2.1.3.1), leaf to root."""
    _check_size(size)
    if not 0 <= index < size:
        raise ValueError(f"index {index} is out of range for a tree of {size} leaves")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = _largest_power_of_two_below(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """The ranges whose MTH form PROOF(old_size, D[0:new_size]) (RFC 9162 2.1.4.1)."""
    _check_size(new_size)
    if not 0 <= old_size <= new_size:
        raise ValueError(f"old size {old_size} is not within 0..{new_size}")
    if old_size in (0, new_size):
        return []
    ranges: list[Range] = []
    start, end, m, whole = 0, new_size, old_size, True
    while m != end - start:
        k = _largest_power_of_two_below(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def nodes_for(ranges: Iterable[Range]) -> set[Node]:
    """Every stored node the ranges need (what to fetch in the one query)."""
    return {node for start, end in ranges for node in range_nodes(start, end)}


def assemble(ranges: Sequence[Range], stored: Mapping[int, bytes]) -> list[bytes]:
    """The proof hashes from the fetched nodes (``stored`` maps node key to hash).

    A missing node is a ``KeyError`` naming it: the store is incomplete, never a wrong proof.
    """
    proof: list[bytes] = []
    for start, end in ranges:
        hashes = []
        for node in range_nodes(start, end):
            try:
                hashes.append(stored[node.key])
            except KeyError:
                raise KeyError(
                    f"stored subtree level {node.level} position {node.position} is missing"
                ) from None
        proof.append(fold(hashes))
    return proof


def extend(
    size: int, peak_hashes: Sequence[bytes], leaf_hashes: Iterable[bytes]
) -> list[tuple[Node, bytes]]:
    """Append leaves to a tree of ``size`` leaves whose peaks (largest first) hash to
    ``peak_hashes``; returns every perfect subtree completed, leaves included, in order.

    The compact-range (stack) algorithm: each new leaf is pushed, then merged with the top of
    the stack while both are the same height. Amortised one merge per leaf, at most log2(n) for
    one leaf; only the ``O(log n)`` peaks of the old tree are needed, never its leaves.
    """
    old = peaks(size)
    if len(old) != len(peak_hashes):
        raise ValueError(f"a tree of {size} leaves has {len(old)} peaks, got {len(peak_hashes)}")
    stack = [(node.level, h) for node, h in zip(old, peak_hashes, strict=True)]
    completed: list[tuple[Node, bytes]] = []
    index = size
    for leaf in leaf_hashes:
        if index >= MAX_LEAVES:
            raise ValueError(f"the log cannot hold more than {MAX_LEAVES} entries")
        completed.append((Node(0, index), leaf))
        level, acc = 0, leaf
        while stack and stack[-1][0] == level:
            _, left = stack.pop()
            acc = node_hash(left, acc)
            level += 1
            completed.append((Node(level, index >> level), acc))
        stack.append((level, acc))
        index += 1
    return completed


def perfect_node_count(size: int) -> int:
    """How many perfect subtrees a tree of ``size`` leaves stores: sum of size >> k."""
    return 2 * size - size.bit_count()


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def _check_size(size: int) -> None:
    if isinstance(size, bool) or not isinstance(size, int):
        raise ValueError(f"tree size must be an integer, not {type(size).__name__}")
    if not 0 <= size <= MAX_LEAVES:
        raise ValueError(f"tree size {size} is outside 0..{MAX_LEAVES}")
