"""Property tests: every generated proof checks, any bit flip fails, batching is invisible."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terbuka.tlog import tiles, tree
from terbuka.tlog.errors import ProofError
from terbuka.tlog.hashing import leaf_hash, node_hash
from terbuka.tlog.tiles import TileRef

LEAVES = [leaf_hash(i.to_bytes(4, "big")) for i in range(1100)]


def _store(size: int) -> list[bytes]:
    hashes: list[bytes] = []

    def read(indexes: Sequence[int]) -> list[bytes]:
        return [hashes[i] for i in indexes]

    for n in range(size):
        hashes.extend(tree.stored_hashes(n, LEAVES[n], read))
    return hashes


STORE = _store(len(LEAVES))


def read(indexes: Sequence[int]) -> list[bytes]:
    return [STORE[i] for i in indexes]


def _flip(proof: list[bytes], which: int, bit: int) -> list[bytes]:
    i = which % len(proof)
    h = bytearray(proof[i])
    h[bit // 8 % 32] ^= 1 << (bit % 8)
    return [*proof[:i], bytes(h), *proof[i + 1 :]]


@st.composite
def size_and_index(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, len(LEAVES)))
    return size, draw(st.integers(0, size - 1))


@settings(max_examples=150, deadline=None)
@given(si=size_and_index(), which=st.integers(0, 63), bit=st.integers(0, 255))
def test_inclusion_proofs_check_and_bit_flips_fail(
    si: tuple[int, int], which: int, bit: int
) -> None:
    size, index = si
    root = tree.tree_hash(size, read)
    assert root == tree.root_from_leaf_hashes(LEAVES[:size])
    proof = tree.prove_inclusion(size, index, read)
    tree.check_inclusion(proof, size, root, index, LEAVES[index])
    if proof:
        with pytest.raises(ProofError):
            tree.check_inclusion(_flip(proof, which, bit), size, root, index, LEAVES[index])
    with pytest.raises(ProofError):
        tree.check_inclusion(proof, size, _flip([root], 0, bit)[0], index, LEAVES[index])
    with pytest.raises(ProofError):
        tree.check_inclusion([*proof, root], size, root, index, LEAVES[index])
    if size > 1:
        with pytest.raises(ProofError):
            tree.check_inclusion(proof, size, root, (index + 1) % size, LEAVES[index])


@settings(max_examples=150, deadline=None)
@given(
    sizes=st.tuples(st.integers(0, len(LEAVES)), st.integers(0, len(LEAVES))),
    which=st.integers(0, 63),
    bit=st.integers(0, 255),
)
def test_consistency_proofs_check_and_bit_flips_fail(
    sizes: tuple[int, int], which: int, bit: int
) -> None:
    old, new = sorted(sizes)
    old_root, new_root = tree.tree_hash(old, read), tree.tree_hash(new, read)
    proof = tree.prove_consistency(new, old, read)
    tree.check_consistency(proof, new, new_root, old, old_root)
    if proof:
        with pytest.raises(ProofError):
            tree.check_consistency(_flip(proof, which, bit), new, new_root, old, old_root)
        with pytest.raises(ProofError):
            tree.check_consistency(proof[:-1], new, new_root, old, old_root)
    if old == 0 < new:  # C2SP: old size 0 is consistent with any tree; no root is checked
        tree.check_consistency(proof, new, _flip([new_root], 0, bit)[0], old, b"")
        return
    with pytest.raises(ProofError):
        tree.check_consistency(proof, new, _flip([new_root], 0, bit)[0], old, old_root)
    with pytest.raises(ProofError):
        tree.check_consistency(proof, new, new_root, old, _flip([old_root], 0, bit)[0])


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**62))
def test_split_stored_hash_index_inverts_stored_hash_index(index: int) -> None:
    level, n = tree.split_stored_hash_index(index)
    assert tree.stored_hash_index(level, n) == index
    assert ((n + 1) << level) - 1 < 2**62  # the leaf that completes it is near index / 2


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 700), min_size=1, max_size=6))
def test_append_leaves_is_independent_of_batching(batches: list[int]) -> None:
    total = min(sum(batches), len(LEAVES))
    split: list[tiles.TileRef] = []
    store: dict[TileRef, bytes] = {}
    size = 0
    for k in batches:
        k = min(k, total - size)
        changed, root = tiles.append_leaves(size, LEAVES[size : size + k], store.__getitem__)
        store.update(changed)
        split.extend(changed)
        size += k
    one, root_one = tiles.append_leaves(0, LEAVES[:total], {}.__getitem__)
    assert root == root_one == tree.root_from_leaf_hashes(LEAVES[:total])
    final = tiles.tiles_for_size(total)
    assert set(one) == set(final)
    assert {ref: store[ref] for ref in final} == one
    if total:
        reader = tiles.TileHashReader(total, store.__getitem__, root=root)
        index = total // 3
        proof = tree.prove_inclusion(total, index, reader)
        assert proof == tree.prove_inclusion(total, index, read)


UNIFORM = [leaf_hash(b"same")]
for _ in range(64):
    UNIFORM.append(node_hash(UNIFORM[-1], UNIFORM[-1]))


def uniform_read(indexes: Sequence[int]) -> list[bytes]:
    """Read a huge virtual tree whose leaves are all equal: a level-L hash is UNIFORM[L]."""
    return [UNIFORM[tree.split_stored_hash_index(i)[0]] for i in indexes]


@settings(max_examples=150, deadline=None)
@given(
    sizes=st.tuples(st.integers(1, 2**62), st.integers(1, 2**62)),
    which=st.integers(0, 63),
    bit=st.integers(0, 255),
)
def test_proofs_in_huge_trees(sizes: tuple[int, int], which: int, bit: int) -> None:
    old, new = sorted(sizes)
    index = old - 1
    new_root, old_root = tree.tree_hash(new, uniform_read), tree.tree_hash(old, uniform_read)
    proof = tree.prove_inclusion(new, index, uniform_read)
    assert len(proof) <= 64
    tree.check_inclusion(proof, new, new_root, index, UNIFORM[0])
    if proof:
        with pytest.raises(ProofError):
            tree.check_inclusion(_flip(proof, which, bit), new, new_root, index, UNIFORM[0])
    proof = tree.prove_consistency(new, old, uniform_read)
    tree.check_consistency(proof, new, new_root, old, old_root)
    if proof:
        with pytest.raises(ProofError):
            tree.check_consistency(_flip(proof, which, bit), new, new_root, old, old_root)
