"""Compute RFC 6962 Merkle tree hashes.

Leaves and interior nodes are hashed with distinct one-byte prefixes so that a leaf can
never be passed off as a node (RFC 6962 §2.1, RFC 9162 §2.1.1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
"""The size in bytes of every tree hash (SHA-256)."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The root hash of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1).

Example (hex): e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.
"""

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """Return the hash of a leaf: SHA-256(0x00 ‖ data) (RFC 6962 §2.1).

    Example: leaf_hash(b"").hex() == "6e340b9c…afa01d".
    """
    return _sha256(b"\x00" + data).digest()


def leaf_hashes(entries: Sequence[bytes]) -> list[bytes]:
    """Return leaf_hash of each entry, in order, without a Python call per entry.

    Example: leaf_hashes([b"", b"a"]) == [leaf_hash(b""), leaf_hash(b"a")].
    """
    sha = _sha256
    return [sha(b"\x00" + e).digest() for e in entries]


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the hash of an interior node: SHA-256(0x01 ‖ left ‖ right) (RFC 6962 §2.1)."""
    return _sha256(b"\x01" + left + right).digest()


def node_hash_pairs(hashes: bytes) -> bytes:
    """Return the node hashes of consecutive pairs in a run of concatenated 32-byte hashes.

    A trailing odd hash is dropped. It is node_hash over each aligned pair, without the
    per-node objects: node_hash_pairs(a + b + c + d) == node_hash(a, b) + node_hash(c, d).
    """
    sha = _sha256
    return b"".join(
        [sha(b"\x01" + hashes[j : j + 64]).digest() for j in range(0, len(hashes) - 63, 64)]
    )
