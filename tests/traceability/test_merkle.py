"""RFC 9162 section 2.1 Merkle functions: known answers, exhaustive small trees, properties.

Known-answer vectors are the RFC 6962 reference data of the Certificate Transparency project as
kept by transparency-dev/merkle (github.com/transparency-dev/merkle): the eight leaf inputs,
root hashes for sizes 0..8 and the complete-subtree hashes from ``testonly/constants.go``, and
the inclusion and consistency proofs from ``proof/verify_test.go`` (there the inclusion leaf is
1-based; here it is converted to the 0-based index). They are the same data as
google/certificate-transparency's C++ ``merkle_tree_test.cc``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agora.traceability.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

h = bytes.fromhex

LEAVES = [
    h(""),
    h("00"),
    h("10"),
    h("2021"),
    h("3031"),
    h("40414243"),
    h("5051525354555657"),
    h("606162636465666768696a6b6c6d6e6f"),
]

ROOTS = [
    h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]

LEAF_HASHES = [
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
    h("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
    h("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
    h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
    h("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
    h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
    h("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
]

# (0-based index, tree size, proof)
INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        5,
        8,
        [
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (
        1,
        5,
        [
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
]

# (old size, new size, proof)
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (
        2,
        5,
        [
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
    (
        6,
        7,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


def naive_root(leaves: list[bytes]) -> bytes:
    """Reference: hash level by level, carrying an unpaired last node up unchanged.

    A different construction from MTH's power-of-two split that gives the same tree for RFC
    6962 hashing, so agreement is evidence rather than the same code run twice.
    """
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = [hashlib.sha256(b"\x00" + entry).digest() for entry in leaves]
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        level = paired + (level[-1:] if len(level) % 2 else [])
    return level[0]


def flip(value: bytes, bit: int) -> bytes:
    """The same bytes with exactly one bit changed."""
    bit %= len(value) * 8
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


def rejects(check: Callable[[], bool]) -> bool:
    """A verifier rejects by returning False or raising ValueError; anything else is a bug."""
    try:
        return check() is False
    except ValueError:
        return True


# Known answers ---------------------------------------------------------------------------


def test_leaf_hashes_match_reference() -> None:
    assert [leaf_hash(entry) for entry in LEAVES] == LEAF_HASHES


@pytest.mark.parametrize("size", range(9))
def test_roots_match_reference(size: int) -> None:
    assert root(LEAVES[:size]) == ROOTS[size]


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert root([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_proofs_match_reference(index: int, size: int, proof: list[bytes]) -> None:
    assert inclusion_proof(LEAVES[:size], index) == proof
    assert verify_inclusion(LEAF_HASHES[index], index, size, proof, ROOTS[size])


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION[1:])
def test_reference_inclusion_probes_are_rejected(index: int, size: int, proof: list) -> None:
    """The corruptions transparency-dev/merkle checks, applied to our verifier."""
    lh, rt = LEAF_HASHES[index], ROOTS[size]
    probes = [
        (lh, index - 1, size, proof, rt),
        (lh, index + 1, size, proof, rt),
        (lh, index ^ 2, size, proof, rt),
        (lh, index, size * 2, proof, rt),
        (lh, index, size // 2, proof, rt),
        (b"WrongLeaf", index, size, proof, rt),
        (lh, index, size, proof, EMPTY_ROOT),
        (lh, index, size, proof, SOME_HASH),
        (lh, index, size, [*proof, b""], rt),
        (lh, index, size, [*proof, rt], rt),
        (lh, index, size, [b"", *proof], rt),
        (lh, index, size, [rt, *proof], rt),
        (lh, index, size, proof[:-1], rt),
        (lh, index, size, [proof[0], SOME_HASH, *proof[1:]], rt),
    ]
    probes += [
        (lh, index, size, [*proof[:i], flip(proof[i], 3), *proof[i + 1 :]], rt)
        for i in range(len(proof))
    ]
    for probe in probes:
        assert rejects(lambda p=probe: verify_inclusion(*p)), probe


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_consistency_proofs_match_reference(old: int, new: int, proof: list[bytes]) -> None:
    assert consistency_proof(LEAVES[:new], old) == proof
    assert verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY[1:])
def test_reference_consistency_probes_are_rejected(old: int, new: int, proof: list) -> None:
    r1, r2 = ROOTS[old], ROOTS[new]
    probes = [
        (old - 1, new, r1, r2, proof),
        (old + 1, new, r1, r2, proof),
        (old ^ 2, new, r1, r2, proof),
        (old, new * 2, r1, r2, proof),
        (old, new // 2, r1, r2, proof),
        (old, new, b"WrongRoot", r2, proof),
        (old, new, r1, b"WrongRoot", proof),
        (old, new, r2, r1, proof),
        (old, new, r1, r2, []),
        (old, new, r1, r2, [*proof, b""]),
        (old, new, r1, r2, [*proof, r1]),
        (old, new, r1, r2, [*proof, r2]),
        (old, new, r1, r2, [b"", *proof]),
        (old, new, r1, r2, [r1, *proof]),
        (old, new, r1, r2, [r2, *proof]),
        (old, new, r1, r2, [proof[0], *proof]),
        (old, new, r1, r2, proof[:-1]),
    ]
    probes += [
        (old, new, r1, r2, [*proof[:i], flip(proof[i], 4), *proof[i + 1 :]])
        for i in range(len(proof))
    ]
    for probe in probes:
        assert rejects(lambda p=probe: verify_consistency(*p)), probe


def test_trivial_consistency_cases() -> None:
    """The cases RFC 9162 leaves to the implementer, pinned down."""
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(0, 5, EMPTY_ROOT, ROOTS[5], [])
    assert verify_consistency(3, 3, ROOTS[3], ROOTS[3], [])
    assert not verify_consistency(0, 5, SOME_HASH, ROOTS[5], [])
    assert not verify_consistency(3, 3, ROOTS[3], ROOTS[4], [])
    assert not verify_consistency(3, 3, ROOTS[3], ROOTS[3], [EMPTY_ROOT])
    assert not verify_consistency(0, 1, EMPTY_ROOT, ROOTS[1], [EMPTY_ROOT])
    assert consistency_proof(LEAVES, 0) == []
    assert consistency_proof(LEAVES, 8) == []


# Exhaustive small trees against the naive reference --------------------------------------

ENTRIES = [f"entry-{i}".encode() for i in range(64)]


def test_every_root_up_to_64_matches_naive_reference() -> None:
    for size in range(65):
        assert root(ENTRIES[:size]) == naive_root(ENTRIES[:size])


def test_every_inclusion_proof_up_to_64_verifies() -> None:
    for size in range(1, 65):
        tree, expected = ENTRIES[:size], naive_root(ENTRIES[:size])
        for index in range(size):
            proof = inclusion_proof(tree, index)
            assert verify_inclusion(leaf_hash(tree[index]), index, size, proof, expected)
            assert len(proof) <= (size - 1).bit_length()


def test_every_consistency_proof_up_to_64_verifies() -> None:
    roots = [naive_root(ENTRIES[:size]) for size in range(65)]
    for new in range(65):
        for old in range(new + 1):
            proof = consistency_proof(ENTRIES[:new], old)
            assert verify_consistency(old, new, roots[old], roots[new], proof), (old, new)


# Properties ------------------------------------------------------------------------------

# Distinct leaves: with duplicates a proof for one index is honestly a proof for its twin too.
trees = st.lists(st.binary(max_size=12), min_size=1, max_size=40, unique=True)


@st.composite
def tree_and_index(draw: st.DrawFn) -> tuple[list[bytes], int]:
    leaves = draw(trees)
    return leaves, draw(st.integers(0, len(leaves) - 1))


@st.composite
def tree_and_old_size(draw: st.DrawFn) -> tuple[list[bytes], int]:
    leaves = draw(trees)
    return leaves, draw(st.integers(1, len(leaves) - 1 if len(leaves) > 1 else 1))


FAST = settings(max_examples=150, deadline=None)


@FAST
@given(tree_and_index(), st.integers(0, 255))
def test_inclusion_verifies_and_any_flipped_bit_fails(
    case: tuple[list[bytes], int], bit: int
) -> None:
    leaves, index = case
    size, rt, lh = len(leaves), root(leaves), leaf_hash(leaves[index])
    proof = inclusion_proof(leaves, index)
    assert verify_inclusion(lh, index, size, proof, rt)
    assert not verify_inclusion(flip(lh, bit), index, size, proof, rt)
    assert not verify_inclusion(lh, index, size, proof, flip(rt, bit))
    for i in range(len(proof)):
        tampered = [*proof[:i], flip(proof[i], bit), *proof[i + 1 :]]
        assert not verify_inclusion(lh, index, size, tampered, rt)
    for index_bit in range(size.bit_length() + 1):
        other = index ^ (1 << index_bit)
        assert rejects(lambda o=other: verify_inclusion(lh, o, size, proof, rt))


@FAST
@given(tree_and_index(), st.integers(0, 6), st.binary(min_size=1, max_size=4))
def test_inclusion_with_flipped_size_accepts_only_a_genuine_proof(
    case: tuple[list[bytes], int], size_bit: int, salt: bytes
) -> None:
    """A proof binds a leaf to a root; the size travels with the root in the signed head.

    So against a real tree of the flipped size, the old proof may pass only if it is exactly
    that tree's proof for the index (which happens when the path shape is the same).
    """
    leaves, index = case
    proof = inclusion_proof(leaves, index)
    other = len(leaves) ^ (1 << size_bit)
    tree = leaves[:other] + [salt + b"#" + bytes([i]) for i in range(other - len(leaves))]
    if index >= other:
        assert rejects(
            lambda: verify_inclusion(leaf_hash(leaves[index]), index, other, proof, root(tree))
        )
        return
    accepted = verify_inclusion(leaf_hash(leaves[index]), index, other, proof, root(tree))
    assert accepted == (proof == inclusion_proof(tree, index))


@FAST
@given(tree_and_old_size(), st.integers(0, 255))
def test_consistency_verifies_and_tampering_fails(case: tuple[list[bytes], int], bit: int) -> None:
    leaves, old = case
    new = len(leaves)
    old_root, new_root = root(leaves[:old]), root(leaves)
    proof = consistency_proof(leaves, old)
    assert verify_consistency(old, new, old_root, new_root, proof)
    if old == new:
        return
    assert not verify_consistency(old, new, flip(old_root, bit), new_root, proof)
    assert not verify_consistency(old, new, old_root, flip(new_root, bit), proof)
    for i in range(len(proof)):
        tampered = [*proof[:i], flip(proof[i], bit), *proof[i + 1 :]]
        assert not verify_consistency(old, new, old_root, new_root, tampered)
    rewritten = [*leaves[: old - 1], leaves[old - 1] + b"!", *leaves[old:]]
    assert not verify_consistency(old, new, old_root, root(rewritten), proof)


@FAST
@given(tree_and_old_size(), st.integers(0, 6), st.booleans())
def test_consistency_with_flipped_size_accepts_only_a_genuine_proof(
    case: tuple[list[bytes], int], size_bit: int, flip_old: bool
) -> None:
    leaves, old = case
    new = len(leaves)
    proof = consistency_proof(leaves, old)
    if flip_old:
        old ^= 1 << size_bit
    else:
        new ^= 1 << size_bit
    tree = leaves[:new] + [b"fresh-" + bytes([i]) for i in range(new - len(leaves))]

    def check() -> bool:
        return verify_consistency(old, new, root(tree[:old]), root(tree), proof)

    if old > new:
        assert rejects(check)
        return
    assert check() == (proof == consistency_proof(tree, old) or (old == 0 and not proof))


# Malformed input -------------------------------------------------------------------------

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.binary(max_size=40),
    st.lists(st.binary(max_size=40), max_size=4),
    st.lists(st.text(max_size=4), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(junk, junk, junk, junk, junk)
def test_inclusion_verifier_never_crashes(
    a: object, b: object, c: object, d: object, e: object
) -> None:
    assert rejects(lambda: verify_inclusion(a, b, c, d, e))  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(junk, junk, junk, junk, junk)
def test_consistency_verifier_never_crashes(
    a: object, b: object, c: object, d: object, e: object
) -> None:
    assert rejects(lambda: verify_consistency(a, b, c, d, e))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "args",
    [
        (LEAF_HASHES[0], 0, 0, [], ROOTS[0]),  # empty tree has no leaf
        (LEAF_HASHES[0], 8, 8, [], ROOTS[8]),  # index == size
        (LEAF_HASHES[0], -1, 8, [], ROOTS[8]),
        (LEAF_HASHES[0], True, 8, [], ROOTS[8]),
        (LEAF_HASHES[0], 0, 2**64, [], ROOTS[8]),
        (LEAF_HASHES[0][:31], 0, 1, [], ROOTS[1]),
        (LEAF_HASHES[0].hex(), 0, 1, [], ROOTS[1]),
        (LEAF_HASHES[0], 0, 1, "not a list", ROOTS[1]),
        (LEAF_HASHES[0], 0, 2, [LEAF_HASHES[1] + b"\x00"], ROOTS[2]),
    ],
)
def test_malformed_inclusion_input_raises_value_error(args: tuple) -> None:
    with pytest.raises(ValueError):
        verify_inclusion(*args)


@pytest.mark.parametrize(
    "args",
    [
        (5, 3, ROOTS[5], ROOTS[3], []),  # sizes out of order
        (-1, 3, ROOTS[0], ROOTS[3], []),
        (1, 2, ROOTS[1][:16], ROOTS[2], [LEAF_HASHES[1]]),
        (1, 2, ROOTS[1], None, [LEAF_HASHES[1]]),
        (1, 2, ROOTS[1], ROOTS[2], [1234]),
        (1.0, 2, ROOTS[1], ROOTS[2], [LEAF_HASHES[1]]),
    ],
)
def test_malformed_consistency_input_raises_value_error(args: tuple) -> None:
    with pytest.raises(ValueError):
        verify_consistency(*args)


def test_generators_reject_bad_arguments() -> None:
    with pytest.raises(ValueError):
        inclusion_proof(LEAVES, 8)
    with pytest.raises(ValueError):
        inclusion_proof([], 0)
    with pytest.raises(ValueError):
        consistency_proof(LEAVES, 9)
    with pytest.raises(ValueError):
        root(["text is not bytes"])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        leaf_hash("text")  # type: ignore[arg-type]
