"""The pure "which stored subtrees" logic agrees with the reference functions in merkle.py."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agora.traceability import merkle
from agora.traceability.log import proofs

MAX = 64


def _leaves(n: int) -> list[bytes]:
    return [b"leaf %d" % i for i in range(n)]


def _store(leaves: list[bytes]) -> dict[int, bytes]:
    """Every perfect subtree of the tree, as the append path stores them."""
    completed = proofs.extend(0, [], [merkle.leaf_hash(x) for x in leaves])
    return {node.key: digest for node, digest in completed}


LEAVES = _leaves(MAX + 1)
STORE = _store(LEAVES)


@pytest.mark.parametrize("size", range(1, MAX + 1))
def test_inclusion_proofs_match_the_reference_for_every_index(size: int) -> None:
    root = merkle.root(LEAVES[:size])
    for index in range(size):
        proof = proofs.assemble(proofs.inclusion_ranges(index, size), STORE)
        assert proof == merkle.inclusion_proof(LEAVES[:size], index), (index, size)
        assert merkle.verify_inclusion(merkle.leaf_hash(LEAVES[index]), index, size, proof, root)


@pytest.mark.parametrize("size", range(1, MAX + 1))
def test_consistency_proofs_match_the_reference_for_every_old_size(size: int) -> None:
    new_root = merkle.root(LEAVES[:size])
    for old in range(size + 1):
        proof = proofs.assemble(proofs.consistency_ranges(old, size), STORE)
        assert proof == merkle.consistency_proof(LEAVES[:size], old), (old, size)
        old_root = merkle.root(LEAVES[:old])
        assert merkle.verify_consistency(old, size, old_root, new_root, proof)


@pytest.mark.parametrize("size", range(0, MAX + 1))
def test_root_from_peaks_matches_the_reference(size: int) -> None:
    peaks = [STORE[node.key] for node in proofs.peaks(size)]
    assert proofs.fold(peaks) == merkle.root(LEAVES[:size])
    assert len(peaks) == size.bit_count()


def test_random_larger_sizes_agree_with_the_reference() -> None:
    rng = random.Random(6)
    leaves = _leaves(3000)
    store = _store(leaves)
    for size in [rng.randint(65, 3000) for _ in range(4)] + [1024, 2047, 2049]:
        prefix = leaves[:size]
        for index in [*rng.sample(range(size), 5), 0, size - 1]:
            proof = proofs.assemble(proofs.inclusion_ranges(index, size), store)
            assert proof == merkle.inclusion_proof(prefix, index), (index, size)
        for old in rng.sample(range(1, size), 5):
            proof = proofs.assemble(proofs.consistency_ranges(old, size), store)
            assert proof == merkle.consistency_proof(prefix, old), (old, size)


def test_a_proof_needs_logarithmically_many_stored_nodes() -> None:
    size = 10**6 + 12345
    for index in (0, size // 3, size - 1):
        nodes = proofs.nodes_for(proofs.inclusion_ranges(index, size))
        assert len(nodes) <= 2 * size.bit_length()
    nodes = proofs.nodes_for(proofs.consistency_ranges(777_777, size))
    assert len(nodes) <= 2 * size.bit_length()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=12))
def test_appending_in_any_batches_stores_the_same_nodes(batches: list[int]) -> None:
    total = sum(batches)
    leaf_hashes = [merkle.leaf_hash(x) for x in _leaves(total)]
    stored: dict[int, bytes] = {}
    size = 0
    for count in batches:
        peaks = [stored[node.key] for node in proofs.peaks(size)]
        for node, digest in proofs.extend(size, peaks, leaf_hashes[size : size + count]):
            assert node.key not in stored, "a subtree was stored twice"
            stored[node.key] = digest
        size += count
    assert stored == _store(_leaves(total))
    assert len(stored) == proofs.perfect_node_count(total)


@given(st.integers(min_value=0, max_value=2**62))
def test_node_keys_are_unique_and_invertible(key: int) -> None:
    node = proofs.node_at_key(key)
    assert node.key == key
    assert node.end - node.start == 2**node.level


def test_node_keys_do_not_collide_across_levels() -> None:
    keys = {proofs.Node(level, pos).key for level in range(8) for pos in range(64)}
    assert len(keys) == 8 * 64


def test_a_range_that_is_no_subtree_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\[1, 3\) is not a subtree"):
        proofs.range_nodes(1, 3)
    with pytest.raises(ValueError, match="empty"):
        proofs.range_nodes(4, 4)


def test_a_missing_stored_node_is_named_not_turned_into_a_wrong_proof() -> None:
    store = dict(STORE)
    del store[proofs.Node(2, 1).key]
    with pytest.raises(KeyError, match="level 2 position 1 is missing"):
        proofs.assemble(proofs.inclusion_ranges(0, 16), store)


def test_out_of_range_requests_are_refused() -> None:
    with pytest.raises(ValueError, match="index 5 is out of range"):
        proofs.inclusion_ranges(5, 5)
    with pytest.raises(ValueError, match="old size 6"):
        proofs.consistency_ranges(6, 5)
    with pytest.raises(ValueError, match="has 1 peaks, got 0"):
        proofs.extend(4, [], [])
