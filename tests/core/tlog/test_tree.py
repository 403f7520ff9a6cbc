"""Test stored hash indexes, tree hashes and proofs against the RFC 6962 reference tree."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.paths import TLOG_VECTORS

from terbuka.tlog import tree
from terbuka.tlog.errors import MalformedError, ProofError
from terbuka.tlog.hashing import EMPTY_ROOT, leaf_hash


class Store:
    """Keep a tree's stored hashes in a list, in the Go sumdb/tlog order."""

    def __init__(self, leaves: list[bytes]) -> None:
        self.hashes: list[bytes] = []
        for n, h in enumerate(leaves):
            self.hashes.extend(tree.stored_hashes(n, h, self.read))

    def read(self, indexes: Any) -> list[bytes]:
        return [self.hashes[i] for i in indexes]


@pytest.fixture(scope="module")
def ref() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TLOG_VECTORS / "rfc6962-reference-tree.json").read_text())
    return data


def _h(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


def test_stored_hash_index_layout() -> None:
    # leaf 0, leaf 1, node(0,1), leaf 2, leaf 3, node(2,3), node(0..3), leaf 4
    assert [tree.stored_hash_index(0, n) for n in range(5)] == [0, 1, 3, 4, 7]
    assert tree.stored_hash_index(1, 0) == 2
    assert tree.stored_hash_index(1, 1) == 5
    assert tree.stored_hash_index(2, 0) == 6
    assert [tree.stored_hash_count(n) for n in range(6)] == [0, 1, 3, 4, 7, 8]
    for i in range(5000):
        level, n = tree.split_stored_hash_index(i)
        assert tree.stored_hash_index(level, n) == i


def test_reference_leaves_nodes_and_roots(ref: dict[str, Any]) -> None:
    leaves = [leaf_hash(bytes.fromhex(x)) for x in ref["leafInputsHex"]]
    assert leaves == _h(ref["leafHashes"])
    store = Store(leaves)
    for level, nodes in enumerate(ref["nodeHashesByLevel"]):
        indexes = [tree.stored_hash_index(level, n) for n in range(len(nodes))]
        assert store.read(indexes) == _h(nodes)
    for size, root in ref["rootHashesBySize"].items():
        assert tree.tree_hash(int(size), store.read).hex() == root
        assert tree.root_from_leaf_hashes(leaves[: int(size)]).hex() == root
    assert tree.tree_hash(0, store.read) == EMPTY_ROOT


def test_reference_inclusion_proofs(ref: dict[str, Any]) -> None:
    store = Store(_h(ref["leafHashes"]))
    for case in ref["inclusionProofs"]:
        size, index = case["treeSize"], case["leafIndex"]
        proof = tree.prove_inclusion(size, index, store.read)
        assert proof == _h(case["proof"])
        root, leaf = bytes.fromhex(case["root"]), bytes.fromhex(case["leafHash"])
        tree.check_inclusion(proof, size, root, index, leaf)


def test_reference_consistency_proofs(ref: dict[str, Any]) -> None:
    store = Store(_h(ref["leafHashes"]))
    for case in ref["consistencyProofs"]:
        old, new = case["size1"], case["size2"]
        proof = tree.prove_consistency(new, old, store.read)
        assert proof == _h(case["proof"])
        r1, r2 = bytes.fromhex(case["root1"]), bytes.fromhex(case["root2"])
        tree.check_consistency(proof, new, r2, old, r1)


def test_bad_arguments_raise_proof_error() -> None:
    store = Store([leaf_hash(b"x")] * 3)
    with pytest.raises(ProofError):
        tree.prove_inclusion(3, 3, store.read)
    with pytest.raises(ProofError):
        tree.prove_inclusion(3, -1, store.read)
    with pytest.raises(ProofError):
        tree.prove_consistency(2, 3, store.read)
    with pytest.raises(ProofError):
        tree.prove_consistency(3, 1, lambda idx: [])  # a reader that returns too few


def test_root_from_leaf_hashes_rejects_short_hashes() -> None:
    with pytest.raises(MalformedError):
        tree.root_from_leaf_hashes([leaf_hash(b"a"), b"short"])


def test_size_zero_consistency_follows_c2sp() -> None:
    root = tree.root_from_leaf_hashes([leaf_hash(b"a")])
    assert tree.prove_consistency(1, 0, Store([]).read) == []
    tree.check_consistency([], 1, root, 0, b"any old root")
    tree.check_consistency([], 0, EMPTY_ROOT, 0, EMPTY_ROOT)
    with pytest.raises(ProofError):
        tree.check_consistency([root], 1, root, 0, EMPTY_ROOT)
    with pytest.raises(ProofError):
        tree.check_consistency([], 0, EMPTY_ROOT, 0, root)
