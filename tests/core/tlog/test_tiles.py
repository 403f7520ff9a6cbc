"""Test tile paths, entry bundles, append_leaves and TileHashReader (C2SP tlog-tiles)."""

from __future__ import annotations

import random

import pytest
from tests.paths import TLOG_VECTORS

from terbuka.tlog import tiles, tree
from terbuka.tlog.errors import MalformedError, ProofError
from terbuka.tlog.hashing import leaf_hash
from terbuka.tlog.tiles import TileRef

EXAMPLES = TLOG_VECTORS / "c2sp-examples"


def _leaves(n: int, salt: str = "") -> list[bytes]:
    return [leaf_hash(f"{salt}{i}".encode()) for i in range(n)]


def _build(leaves: list[bytes], batches: list[int]) -> tuple[dict[TileRef, bytes], bytes]:
    store: dict[TileRef, bytes] = {}
    size, root = 0, tree.root_from_leaf_hashes([])
    for k in batches:
        changed, root = tiles.append_leaves(size, leaves[size : size + k], store.__getitem__)
        store.update(changed)
        size += k
    assert size == len(leaves)
    return store, root


def test_index_path_example() -> None:
    text = (EXAMPLES / "tlog-tiles-example-2-index-path.txt").read_text().split()
    index, encoded = int(text[0]), text[1]
    assert tiles.tile_path(TileRef(0, index)) == f"tile/0/{encoded}"
    assert tiles.parse_tile_path(f"tile/0/{encoded}") == TileRef(0, index)


@pytest.mark.parametrize("name", ["example-3-size-70000", "example-4-size-256"])
def test_tiles_for_size_examples(name: str) -> None:
    lines = (EXAMPLES / f"tlog-tiles-{name}.txt").read_text().splitlines()
    rows = [[int(x) for x in line.split()] for line in lines if not line.startswith("#")]
    size = rows[0][0]
    want: list[TileRef] = []
    for _, level, full, partial in rows:
        want += [TileRef(level, i) for i in range(full)]
        want += [TileRef(level, full, partial)] if partial else []
    assert tiles.tiles_for_size(size) == want


def test_size_70000_paths() -> None:
    paths = [tiles.tile_path(r) for r in tiles.tiles_for_size(70000)]
    assert paths[:2] == ["tile/0/000", "tile/0/001"]
    assert paths[272:] == [
        "tile/0/272",
        "tile/0/273.p/112",
        "tile/1/000",
        "tile/1/001.p/17",
        "tile/2/000.p/1",
    ]
    bundles = [tiles.tile_path(r) for r in tiles.bundles_for_size(70000)]
    assert bundles[-2:] == ["tile/entries/272", "tile/entries/273.p/112"]
    assert tiles.entries_path(273, 112) == "tile/entries/273.p/112"


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/01",
        "tile/0/x000/001",
        "tile/0/x1/000",
        "tile/0/001.p/256",
        "tile/0/001.p/0",
        "tile/0/001.p/07",
        "tile/00/001",
        "tile/-1/000",
        "tile/64/000",
        "tile/0/001/",
        "tiles/0/000",
        "tile/entries",
        "tile/0/x001",
        "tile/0/000.p",
        "tile/0/x001.p/5/000",
        "tile/0/+01",
        "tile/0/٣٣٣",
    ],
)
def test_bad_paths_are_rejected(path: str) -> None:
    with pytest.raises(MalformedError):
        tiles.parse_tile_path(path)


def test_entry_bundle_round_trip_and_errors() -> None:
    entries = [b"", b"hi", bytes(range(256)) * 3]
    data = tiles.format_entry_bundle(entries)
    assert data[:6] == b"\x00\x00\x00\x02hi"
    assert tiles.parse_entry_bundle(data, 3) == entries
    for bad in (data[:-1], data + b"\x00", b"\x00\x05abc"):
        with pytest.raises(MalformedError):
            tiles.parse_entry_bundle(bad)
    with pytest.raises(MalformedError):
        tiles.parse_entry_bundle(data, 4)
    with pytest.raises(MalformedError):
        tiles.format_entry_bundle([b"x" * 65536])
    with pytest.raises(MalformedError):
        tiles.format_entry_bundle([b""] * 257)


@pytest.mark.parametrize("n", [0, 1, 2, 255, 256, 257, 511, 512, 65536 + 300])
def test_append_leaves_matches_in_memory_root(n: int) -> None:
    leaves = _leaves(n)
    store, root = _build(leaves, [n] if n else [0])
    assert root == tree.root_from_leaf_hashes(leaves)
    assert sorted(store) == sorted(tiles.tiles_for_size(n))


def test_append_leaves_in_batches_gives_the_same_tiles() -> None:
    leaves = _leaves(3000)
    one, root = _build(leaves, [3000])
    rng = random.Random(7)
    batches: list[int] = []
    while sum(batches) < 3000:
        batches.append(min(rng.choice([1, 3, 255, 256, 700]), 3000 - sum(batches)))
    many, root2 = _build(leaves, batches)
    assert root2 == root
    final = {ref: many[ref] for ref in tiles.tiles_for_size(3000)}
    assert final == {ref: one[ref] for ref in tiles.tiles_for_size(3000)}


def test_append_nothing_reads_the_edge_and_changes_nothing() -> None:
    leaves = _leaves(70_000)
    store, root = _build(leaves, [70_000])
    read: list[TileRef] = []

    def read_tile(ref: TileRef) -> bytes:
        read.append(ref)
        return store[ref]

    assert tiles.append_leaves(70_000, [], read_tile) == ({}, root)
    assert read == [TileRef(0, 273, 112), TileRef(1, 1, 17), TileRef(2, 0, 1)]
    read.clear()
    changed, _ = tiles.append_leaves(70_000, _leaves(200, "more"), read_tile)
    assert read == [TileRef(0, 273, 112), TileRef(1, 1, 17), TileRef(2, 0, 1)]
    assert sorted(changed) == [TileRef(0, 273), TileRef(0, 274, 56), TileRef(1, 1, 18)]


def test_append_leaves_rejects_bad_input() -> None:
    with pytest.raises(MalformedError):
        tiles.append_leaves(0, [b"short"], {}.__getitem__)
    with pytest.raises(MalformedError):  # the stored partial tile has the wrong length
        tiles.append_leaves(3, [leaf_hash(b"x")], lambda ref: b"\x00" * 64)
    with pytest.raises(MalformedError):
        tiles.append_leaves(-1, [leaf_hash(b"x")], {}.__getitem__)
    reader = tiles.TileHashReader(3, lambda ref: b"\x00" * 64)
    with pytest.raises(MalformedError):
        tree.tree_hash(3, reader)


def test_tile_hash_reader_proofs_match_the_store() -> None:
    leaves = _leaves(70000)
    store, root = _build(leaves, [70000])
    reader = tiles.TileHashReader(70000, store.__getitem__, root=root)
    assert tree.tree_hash(70000, reader) == root
    for index in (0, 255, 256, 65535, 65536, 69999):
        proof = tree.prove_inclusion(70000, index, reader)
        tree.check_inclusion(proof, 70000, root, index, leaves[index])
    for old in (1, 256, 65536, 69999):
        proof = tree.prove_consistency(70000, old, reader)
        tree.check_consistency(proof, 70000, root, old, tree.root_from_leaf_hashes(leaves[:old]))
    with pytest.raises(ProofError):
        reader([tree.stored_hash_count(70000) + 10])


def test_tile_hash_reader_authenticates_tiles() -> None:
    leaves = _leaves(600)
    store, root = _build(leaves, [600])
    forged = dict(store)
    forged[TileRef(0, 0)] = leaf_hash(b"forged") + store[TileRef(0, 0)][32:]
    reader = tiles.TileHashReader(600, forged.__getitem__, root=root)
    with pytest.raises(ProofError):
        tree.prove_inclusion(600, 3, reader)
    served: list[TileRef] = []

    def changing(ref: TileRef) -> bytes:  # honest at first, forged once the reader trusts it
        served.append(ref)
        return forged[ref] if served.count(ref) > 1 else store[ref]

    reader = tiles.TileHashReader(600, changing, root=root, cache_tiles=1)
    edge = [TileRef(0, 2, 88), TileRef(1, 0, 2)]
    forged = dict(store)
    for ref in edge:
        forged[ref] = leaf_hash(b"forged") + store[ref][32:]
    for _ in range(20):  # cycle the tile cache: the authenticated right edge stays pinned
        for index in (0, 300, 599):
            proof = tree.prove_inclusion(600, index, reader)
            tree.check_inclusion(proof, 600, root, index, leaves[index])
    assert [served.count(ref) for ref in edge] == [1, 1]
    assert served.count(TileRef(0, 0)) > 1  # full tiles are re-read and re-authenticated
    forged[TileRef(0, 2, 88)] = leaf_hash(b"forged") + store[TileRef(0, 2, 88)][32:]
    with pytest.raises(ProofError):
        tiles.TileHashReader(600, forged.__getitem__, root=root)
