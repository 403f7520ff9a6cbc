"""Test the RFC 6962 leaf and node hashes against the reference tree's hasher vectors."""

from __future__ import annotations

import json

from tests.paths import TLOG_VECTORS

from terbuka.tlog.hashing import EMPTY_ROOT, leaf_hash, leaf_hashes, node_hash, node_hash_pairs


def _reference() -> dict[str, list[dict[str, str]]]:
    data: dict[str, list[dict[str, str]]] = json.loads(
        (TLOG_VECTORS / "rfc6962-reference-tree.json").read_text()
    )
    return data


def test_hasher_vectors() -> None:
    empty, empty_leaf, leaf, children = _reference()["hasherVectors"]
    assert EMPTY_ROOT.hex() == empty["want"]
    assert leaf_hash(b"").hex() == empty_leaf["want"]
    assert leaf_hash(bytes.fromhex(leaf["leafInputHex"])).hex() == leaf["want"]
    got_leaves = leaf_hashes([b"", bytes.fromhex(leaf["leafInputHex"])])
    assert [h.hex() for h in got_leaves] == [empty_leaf["want"], leaf["want"]]
    got = node_hash(bytes.fromhex(children["leftHex"]), bytes.fromhex(children["rightHex"]))
    assert got.hex() == children["want"]


def test_leaf_and_node_are_domain_separated() -> None:
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(left, right) != leaf_hash(left + right)
    assert node_hash(left, right) != node_hash(right, left)


def test_node_hash_pairs_is_node_hash_over_aligned_pairs() -> None:
    a, b, c, d, e = (leaf_hash(bytes([i])) for i in range(5))
    assert node_hash_pairs(a + b + c + d + e) == node_hash(a, b) + node_hash(c, d)
    assert node_hash_pairs(a) == b""


def test_leaf_hashes_is_leaf_hash_of_each_entry_in_order() -> None:
    entries = [bytes([i % 256]) * i for i in range(300)]
    assert leaf_hashes(entries) == [leaf_hash(e) for e in entries]
    assert leaf_hashes([]) == []
