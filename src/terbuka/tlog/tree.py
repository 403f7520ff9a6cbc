"""Compute Merkle tree hashes and proofs over stored hashes, in the Go sumdb/tlog layout.

A log of n leaves stores every hash of every complete subtree, in the order they become
known: leaf 0, leaf 1, node(0,1), leaf 2, leaf 3, node(2,3), node(0..3), leaf 4, … (the
"stored hash index"). Each function below first computes WHICH stored hashes it needs,
reads them in one batch through a HashReader, then computes. Proofs follow the
RFC 9162 §2.1.3 (inclusion) and §2.1.4 (consistency) layout, which is also RFC 6962 §2.1.1
and §2.1.2; they are byte-for-byte the proofs of golang.org/x/mod/sumdb/tlog.

Sizes and indexes are 0-based leaf counts; hashes are 32-byte SHA-256 values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from terbuka.tlog.errors import MalformedError, ProofError
from terbuka.tlog.hashing import EMPTY_ROOT, HASH_SIZE, node_hash, node_hash_pairs

HashReader = Callable[[Sequence[int]], list[bytes]]
"""Read the stored hashes at the given stored hash indexes, in that order."""


def stored_hash_index(level: int, n: int) -> int:
    """Return the stored hash index of the n'th hash at the given level.

    Level 0 holds the leaf hashes; level L's n'th hash covers leaves [n·2^L, (n+1)·2^L).
    Example: stored_hash_index(0, 2) == 3, stored_hash_index(1, 0) == 2.
    """
    # Level L's n'th hash is written right after level 0's ((n+1)·2^L − 1)'th hash,
    # which is written at m + m/2 + m/4 + … = 2m − popcount(m).
    m = ((n + 1) << level) - 1
    return 2 * m - m.bit_count() + level


def split_stored_hash_index(index: int) -> tuple[int, int]:
    """Return the (level, n) of the hash at a stored hash index.

    It is the inverse of stored_hash_index. Example: split_stored_hash_index(6) == (2, 0).
    """
    # Find the last leaf n stored at or before index: stored_hash_index(0, n) = 2n − popcount(n)
    # grows strictly with n. Start from n ≈ (index + popcount(n)) / 2 and correct.
    n = index // 2
    n = (index + n.bit_count()) // 2
    while 2 * n - n.bit_count() > index:
        n -= 1
    while 2 * (n + 1) - (n + 1).bit_count() <= index:
        n += 1
    level = index - (2 * n - n.bit_count())  # hashes completed by leaf n follow it
    return level, n >> level


def stored_hash_count(n: int) -> int:
    """Return the number of stored hashes in a tree of n leaves.

    Example: stored_hash_count(4) == 7.
    """
    if n == 0:
        return 0
    return 2 * n - n.bit_count()


def stored_hashes(n: int, leaf_hash: bytes, reader: HashReader) -> list[bytes]:
    """Return the hashes to store when appending `leaf_hash` as leaf number n.

    The first is the leaf hash itself, then one node hash for every subtree that the leaf
    completes. The reader is asked for the left siblings (stored hashes of leaves < n).
    """
    hashes = [leaf_hash]
    m = ((n + 1) & -(n + 1)).bit_length() - 1  # trailing zeros of n+1
    old = _read(reader, [(i, (n >> i) - 1) for i in range(m - 1, -1, -1)])
    h = leaf_hash
    for i in range(m):
        h = node_hash(old[m - 1 - i], h)
        hashes.append(h)
    return hashes


class NodeReader(Protocol):
    """A HashReader that can also read hashes by (level, n), skipping index arithmetic.

    tree functions use read_nodes when the reader has it (TileHashReader does): it is an
    optimisation only and must return the same hashes as the stored-index call.
    """

    def __call__(self, indexes: Sequence[int]) -> list[bytes]: ...

    def read_nodes(self, nodes: Sequence[tuple[int, int]]) -> list[bytes]: ...


def _read(reader: HashReader | NodeReader, nodes: list[tuple[int, int]]) -> list[bytes]:
    """Read the (level, n) hashes through reader, checking the count of hashes returned."""
    if not nodes:
        return []
    read_nodes = getattr(reader, "read_nodes", None)
    if read_nodes is not None:
        hashes: list[bytes] = read_nodes(nodes)
    else:
        hashes = reader([stored_hash_index(level, n) for level, n in nodes])
    if len(hashes) != len(nodes):
        raise ProofError(
            f"pembaca hash mengembalikan {len(hashes)} hash, seharusnya {len(nodes)}",
            f"hash reader returned {len(hashes)} hashes, want {len(nodes)}",
        )
    return hashes


def _maxpow2(n: int) -> tuple[int, int]:
    """Return (k, l) with k = 2^l the largest power of two strictly less than n (n >= 2)."""
    level = (n - 1).bit_length() - 1
    return 1 << level, level


def _subtree_index(lo: int, hi: int, need: list[tuple[int, int]]) -> None:
    """Append the (level, n) of the complete subtrees that make up [lo, hi)."""
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        need.append((level, lo >> level))
        lo += 1 << level


def _subtree_hash(lo: int, hi: int, hashes: Iterator[bytes]) -> bytes:
    """Return the hash of [lo, hi) from the hashes _subtree_index asked for."""
    parts: list[bytes] = []
    while lo < hi:
        parts.append(next(hashes))
        lo += 1 << ((hi - lo).bit_length() - 1)
    h = parts[-1]
    for left in reversed(parts[:-1]):
        h = node_hash(left, h)
    return h


def tree_hash(size: int, reader: HashReader) -> bytes:
    """Return the root hash of the tree of the given size (RFC 6962 §2.1).

    The empty tree's hash is EMPTY_ROOT, SHA-256 of the empty string.
    """
    if size == 0:
        return EMPTY_ROOT
    need: list[tuple[int, int]] = []
    _subtree_index(0, size, need)
    return _subtree_hash(0, size, iter(_read(reader, need)))


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """Return the root hash of the tree with these leaf hashes, computed in memory.

    This is MTH(D[n]) of RFC 6962 §2.1, evaluated bottom-up: pairs are combined level by
    level and a lone right-most node moves up unchanged. Raises MalformedError for a leaf
    hash that is not 32 bytes.
    """
    if not hashes:
        return EMPTY_ROOT
    if not _valid_hashes(*hashes):
        raise MalformedError("setiap hash daun harus 32 bita", "every leaf hash must be 32 bytes")
    level = b"".join(hashes)
    while len(level) > HASH_SIZE:
        odd = len(level) // HASH_SIZE % 2
        level = node_hash_pairs(level) + (level[-HASH_SIZE:] if odd else b"")
    return level


def _fail(message_id: str, message_en: str) -> ProofError:
    return ProofError(message_id, message_en)


def _inclusion_index(size: int, index: int) -> tuple[list[tuple[int, int]], int, int]:
    """Return the (level, n) of the stored hashes an inclusion proof needs, bottom-up.

    Also returns where the hashes of the one right-hand subtree that may be incomplete
    (the "ephemeral" node of RFC 9162 §2.1.3.1) start, and how many of them there are.
    Below level inner-1 every sibling is complete; at inner-1 the sibling is on the right
    and covers [lo, min(size, lo + 2^level)); above it only left siblings exist.
    """
    inner = (index ^ (size - 1)).bit_length()
    need = [(level, (index >> level) ^ 1) for level in range(inner - 1)]
    start = len(need)
    if inner:
        level = inner - 1
        lo = ((index >> level) + 1) << level
        _subtree_index(lo, min(size, lo + (1 << level)), need)
    count = len(need) - start
    for level in range(inner, size.bit_length()):
        if index >> level & 1:
            need.append((level, (index >> level) ^ 1))
    return need, start, count


def prove_inclusion(size: int, index: int, reader: HashReader) -> list[bytes]:
    """Return the inclusion proof of leaf `index` in the tree of `size` leaves.

    The proof is the audit path of RFC 9162 §2.1.3.1, leaf-side sibling first.
    Raises ProofError when not 0 <= index < size.
    """
    if not 0 <= index < size:
        raise _fail(
            f"indeks daun {index} tidak ada di pohon berukuran {size}",
            f"leaf index {index} is not in a tree of size {size}",
        )
    need, start, count = _inclusion_index(size, index)
    hashes = _read(reader, need)
    if count > 1:
        parts = hashes[start : start + count]
        h = parts[-1]
        for left in reversed(parts[:-1]):
            h = node_hash(left, h)
        hashes[start : start + count] = [h]
    return hashes


def _valid_hashes(*hashes: bytes) -> bool:
    return all(len(h) == HASH_SIZE for h in hashes)


def check_inclusion(
    proof: Sequence[bytes], size: int, root: bytes, index: int, leaf_hash: bytes
) -> None:
    """Check that `leaf_hash` is the leaf at `index` in the tree of `size` leaves and `root`.

    Implements RFC 9162 §2.1.3.2. Raises ProofError when the proof does not check out,
    including a wrong length, a hash that is not 32 bytes, or index outside [0, size).
    """
    if not 0 <= index < size or not _valid_hashes(root, leaf_hash, *proof):
        raise _fail(
            f"bukti inklusi tidak sah untuk indeks {index} di pohon berukuran {size}",
            f"invalid inclusion proof for index {index} in a tree of size {size}",
        )
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            break
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    else:
        if sn == 0 and r == root:
            return
    raise _fail(
        f"bukti inklusi indeks {index} di pohon berukuran {size} tidak cocok dengan akar",
        f"inclusion proof for index {index} in a tree of size {size} does not match the root",
    )


def _tree_proof_index(lo: int, hi: int, n: int, need: list[tuple[int, int]]) -> None:
    """Append the (level, n) of the hashes that the consistency proof n → [lo, hi) needs."""
    if n == hi:
        if lo != 0:
            _subtree_index(lo, hi, need)
        return
    k, _ = _maxpow2(hi - lo)
    if n <= lo + k:
        _tree_proof_index(lo, lo + k, n, need)
        _subtree_index(lo + k, hi, need)
    else:
        _subtree_index(lo, lo + k, need)
        _tree_proof_index(lo + k, hi, n, need)


def _tree_proof(lo: int, hi: int, n: int, hashes: Iterator[bytes], proof: list[bytes]) -> None:
    """Append the consistency proof of the first n leaves within [lo, hi) to proof."""
    if n == hi:
        if lo != 0:
            proof.append(_subtree_hash(lo, hi, hashes))
        return
    k, _ = _maxpow2(hi - lo)
    if n <= lo + k:
        _tree_proof(lo, lo + k, n, hashes, proof)
        proof.append(_subtree_hash(lo + k, hi, hashes))
    else:
        th = _subtree_hash(lo, lo + k, hashes)
        _tree_proof(lo + k, hi, n, hashes, proof)
        proof.append(th)


def prove_consistency(new_size: int, old_size: int, reader: HashReader) -> list[bytes]:
    """Return the proof that the tree of old_size leaves is a prefix of the new_size tree.

    The proof is RFC 9162 §2.1.4.1 PROOF(m, D[n]); it is empty when old_size is 0 or
    equals new_size (C2SP tlog-witness: old size 0 is consistent with any tree).
    Raises ProofError when not 0 <= old_size <= new_size.
    """
    if not 0 <= old_size <= new_size:
        raise _fail(
            f"tidak ada bukti konsistensi dari ukuran {old_size} ke {new_size}",
            f"no consistency proof from size {old_size} to {new_size}",
        )
    if old_size == 0 or old_size == new_size:
        return []
    need: list[tuple[int, int]] = []
    _tree_proof_index(0, new_size, old_size, need)
    proof: list[bytes] = []
    _tree_proof(0, new_size, old_size, iter(_read(reader, need)), proof)
    return proof


def check_consistency(
    proof: Sequence[bytes], new_size: int, new_root: bytes, old_size: int, old_root: bytes
) -> None:
    """Check that the old_size tree with old_root is a prefix of the new tree with new_root.

    Implements RFC 9162 §2.1.4.2. Equal sizes need an empty proof and equal roots. Old
    size 0 with an empty proof is consistent with any tree (C2SP tlog-witness
    §add-checkpoint); transparency-dev/merkle rejects it instead. Raises ProofError.
    """
    where = f"{old_size} → {new_size}"
    bad = ProofError(f"bukti konsistensi {where} tidak sah", f"invalid consistency proof {where}")
    if not 0 <= old_size <= new_size or not _valid_hashes(*proof):
        raise bad
    if old_size == new_size:
        if proof or old_root != new_root:
            raise bad
        return
    if old_size == 0:
        if proof:
            raise bad
        return
    if not _valid_hashes(old_root, new_root) or not proof:
        raise bad
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise bad
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0 or fr != old_root or sr != new_root:
        raise _fail(
            f"bukti konsistensi {where} tidak cocok dengan akar",
            f"consistency proof {where} does not match the roots",
        )
