"""Interoperate with independent implementations: tlog-scales (C2SP tlog-tiles) and pymerkle.

We write a tile log in the exact tlog-tiles layout and tlog-scales reads it; tlog-scales
writes one and we read it. Both must agree on every hash, root, entry and proof.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pymerkle import InmemoryTree, verify_consistency, verify_inclusion
from tlog_scales import backend, reader, signing, writer

from terbuka.tlog import tiles, tree
from terbuka.tlog.hashing import leaf_hash
from terbuka.tlog.tiles import TileRef

ORIGIN = "example.terbuka.id/test-log"
SEED = bytes(range(32))  # a public test seed: protects nothing


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _signed_checkpoint(size: int, root: bytes) -> tuple[str, str]:
    """Return a C2SP checkpoint signed as a C2SP signed-note (Ed25519) and its vkey."""
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    pub = key.public_key().public_bytes_raw()
    key_id = hashlib.sha256(ORIGIN.encode() + b"\n\x01" + pub).digest()[:4]
    body = f"{ORIGIN}\n{size}\n{_b64(root)}\n"
    sig = key.sign(body.encode())
    note = f"{body}\n\u2014 {ORIGIN} {_b64(key_id + sig)}\n"
    vkey = ORIGIN + "+" + key_id.hex() + "+" + _b64(b"\x01" + pub)
    return note, vkey


def _write(base: Path, rel: str, data: bytes) -> None:
    path = base / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_log(base: Path, entries: list[bytes], batches: list[int]) -> tuple[bytes, str]:
    """Append entries in batches as tiles, entry bundles and a checkpoint; return root, vkey."""

    def read_tile(ref: TileRef) -> bytes:
        return (base / tiles.tile_path(ref)).read_bytes()

    size, root = 0, b""
    for k in batches:
        hashes = [leaf_hash(e) for e in entries[size : size + k]]
        changed, root = tiles.append_leaves(size, hashes, read_tile)
        for ref, data in changed.items():
            _write(base, tiles.tile_path(ref), data)
        new = size + k
        for t in range(size // 256, (new + 255) // 256):
            bundle = entries[t * 256 : min(new, (t + 1) * 256)]
            _write(base, tiles.entries_path(t, len(bundle)), tiles.format_entry_bundle(bundle))
        size = new
    note, vkey = _signed_checkpoint(size, root)
    _write(base, "checkpoint", note.encode())
    return root, vkey


ENTRIES = [f"entry {i}".encode() * (1 + i % 3) for i in range(70_000)]


@pytest.fixture(scope="module")
def our_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, str]:
    base = tmp_path_factory.mktemp("ours")
    root, vkey = _write_log(base, ENTRIES, [1, 300, 65_000, 4_699])
    return base, root, vkey


def test_tlog_scales_reads_our_log(our_log: tuple[Path, bytes, str]) -> None:
    base, root, vkey = our_log
    theirs = reader.TilesReader(backend.LocalBackend(base))
    cp = theirs.get_checkpoint()
    cp.verify(signing.Vkey.from_string(vkey))
    assert (
        signing.Vkey.from_string(vkey).key_id
        == signing.Vkey(ORIGIN, None, 1, signing.Vkey.from_string(vkey).pubkey).key_id
    )
    assert (cp.origin, cp.size, cp.root_hash) == (ORIGIN, 70_000, root)
    assert theirs.calculate_root_hash() == root
    ours = tiles.TileHashReader(
        70_000, lambda r: (base / tiles.tile_path(r)).read_bytes(), root=root
    )
    for index in (0, 255, 256, 65_535, 65_536, 69_999):
        assert theirs.get_entry(index) == ENTRIES[index]
        proof = tree.prove_inclusion(70_000, index, ours)
        their_proof = theirs.get_inclusion_proof(index, 70_000)
        assert their_proof.node_hashes == proof
        their_proof.check(leaf_hash(ENTRIES[index]), root)
    for old in (1, 301, 65_301, 69_999):
        proof = tree.prove_consistency(70_000, old, ours)
        their_proof = theirs.get_consistency_proof(old, 70_000)
        assert their_proof.node_hashes == proof
        their_proof.check(theirs.mth(0, old), root)
        tree.check_consistency(proof, 70_000, root, old, theirs.mth(0, old))


def test_we_read_a_tlog_scales_log(tmp_path: Path) -> None:
    base = tmp_path / "theirs"
    log = writer.TilesWriter.create(base, ORIGIN)
    signer = signing.PlainEd25519Signer(ORIGIN, SEED)
    entries = [f"their entry {i}".encode() for i in range(3_000)]
    for lo, hi in ((0, 5), (5, 700), (700, 3_000)):
        for e in entries[lo:hi]:
            log.add_leaf(e)
        log.commit([signer])
    lines = (base / "checkpoint").read_text().split("\n")
    size, root = int(lines[1]), base64.b64decode(lines[2])
    assert (lines[0], size) == (ORIGIN, 3_000)

    def read_tile(ref: TileRef) -> bytes:
        return (base / tiles.tile_path(ref)).read_bytes()

    ours = tiles.TileHashReader(size, read_tile, root=root)
    assert tree.tree_hash(size, ours) == root
    audited = [
        leaf_hash(e)
        for ref in tiles.bundles_for_size(size)
        for e in tiles.parse_entry_bundle(read_tile(ref), ref.width)
    ]
    assert audited == [leaf_hash(e) for e in entries]
    assert tree.root_from_leaf_hashes(audited) == root
    theirs = reader.TilesReader(backend.LocalBackend(base))
    theirs.get_checkpoint()
    for index in (3, 699, 2_999):
        proof = tree.prove_inclusion(size, index, ours)
        assert proof == theirs.get_inclusion_proof(index, size).node_hashes
        tree.check_inclusion(proof, size, root, index, audited[index])
    changed, again = tiles.append_leaves(0, audited, {}.__getitem__)
    assert again == root
    assert all(read_tile(ref) == data for ref, data in changed.items() if ref.width == 256)


def test_pymerkle_agrees_on_roots_and_inclusion_paths() -> None:
    entries = ENTRIES[:600]
    peer = InmemoryTree(algorithm="sha256")  # RFC 6962 prefixes (security mode, the default)
    for e in entries:
        peer.append_entry(e)
    leaves = [leaf_hash(e) for e in entries]
    _, root = tiles.append_leaves(0, leaves, {}.__getitem__)
    assert peer.get_root() == root
    for size in (0, 1, 2, 3, 255, 256, 257, 511, 599):
        assert peer.get_root(size) == tree.root_from_leaf_hashes(leaves[:size])
    store: list[bytes] = []
    for n, h in enumerate(leaves):
        store.extend(tree.stored_hashes(n, h, lambda idx: [store[i] for i in idx]))
    for index, size in ((0, 1), (5, 8), (300, 599), (598, 599)):
        peer_proof = peer.prove_inclusion(index + 1, size)  # pymerkle counts from one
        ours = tree.prove_inclusion(size, index, lambda idx: [store[i] for i in idx])
        assert peer_proof.path[1:] == ours
        verify_inclusion(leaves[index], tree.root_from_leaf_hashes(leaves[:size]), peer_proof)
    for old, new in ((1, 599), (256, 599), (300, 301)):
        old_root, new_root = (tree.root_from_leaf_hashes(leaves[:s]) for s in (old, new))
        verify_consistency(old_root, new_root, peer.prove_consistency(old, new))
