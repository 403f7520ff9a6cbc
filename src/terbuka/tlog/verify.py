"""Verify a published Terbuka log as a citizen would: signatures, quorum, consistency, inclusion.

Every check either adds a bilingual line to the Report or raises:
VerificationError (the log or a record was tampered with, forked or rolled back: exit 1),
FormatError (the citizen's own input is wrong: exit 2), UnavailableError (cannot tell: exit 3).
Malformed bytes served BY THE LOG are tampering, so they are reported as VerificationError.
Specs: C2SP tlog-checkpoint, tlog-cosignature, tlog-policy, tlog-tiles, tlog-proof;
RFC 6962 §2.1 (proofs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from terbuka.errors import FormatError, VerificationError
from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.errors import MismatchError, ProofError
from terbuka.tlog.hashing import leaf_hash
from terbuka.tlog.origin_state import OriginState
from terbuka.tlog.policy import Policy
from terbuka.tlog.proof import Receipt, check_receipt
from terbuka.tlog.tiles import (
    TILE_WIDTH,
    TileHashReader,
    TileRef,
    append_leaves,
    bundles_for_size,
    parse_entry_bundle,
    tile_path,
    tiles_for_size,
)
from terbuka.tlog.tree import check_consistency, check_inclusion, prove_consistency, prove_inclusion
from terbuka.tlog.verify_source import LogSource


@dataclass
class Report:
    """Collect what was checked, each line in Indonesian and English."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    checkpoint: Checkpoint | None = None
    cosigners: tuple[str, ...] = ()

    def ok(self, message_id: str, message_en: str) -> None:
        """Record one passed check."""
        self.lines.append((message_id, message_en))


@contextmanager
def served_by_log(what: str) -> Iterator[None]:
    """Turn a FormatError in bytes the log served into a VerificationError (tampering)."""
    try:
        yield
    except FormatError as exc:
        raise VerificationError(
            f"{what} dari log rusak: {exc.message_id}",
            f"the log's {what} is malformed: {exc.message_en}",
            where=exc.where or what,
        ) from exc


def check_checkpoint(note: bytes, policy: Policy, report: Report) -> Checkpoint:
    """Check the log's signature and the witness quorum on a checkpoint note; return it.

    Raises VerificationError (SignatureError) when the log did not sign it, a signature is
    invalid, or the cosigning witnesses do not satisfy the policy's quorum; a malformed note
    is reported as tampering too.
    """
    with served_by_log("checkpoint"):
        opened, checkpoint = policy.verify_checkpoint(note)
    signed = {(s.name, s.key_id) for s in opened.signatures}
    witnesses = tuple(
        w.name for w in policy.witnesses if (w.verifier.name, w.verifier.key_id) in signed
    )
    report.checkpoint, report.cosigners = checkpoint, witnesses
    report.ok(
        f"tanda tangan log sah; ukuran {checkpoint.size}; kuorum saksi terpenuhi "
        f"({', '.join(witnesses) or '-'})",
        f"log signature valid; size {checkpoint.size}; witness quorum met "
        f"({', '.join(witnesses) or '-'})",
    )
    return checkpoint


def tile_reader(source: LogSource) -> Callable[[TileRef], bytes]:
    """Return read_tile(ref) reading hash tiles and entry bundles from source by their path."""
    return lambda ref: source.read(tile_path(ref))


def tree_reader(checkpoint: Checkpoint, source: LogSource) -> TileHashReader:
    """Return a hash reader over source's tiles, authenticated against the checkpoint's root.

    Raises VerificationError (ProofError) when the served tiles do not hash to the root.
    """
    with served_by_log("tile"):
        return TileHashReader(checkpoint.size, tile_reader(source), root=checkpoint.root)


def check_consistency_with_state(
    checkpoint: Checkpoint, source: LogSource, state: OriginState, report: Report
) -> None:
    """Check checkpoint extends the last tree remembered for its origin; remember it if so.

    Raises MismatchError when the log shows a smaller tree (rollback) or a different root at
    the same size (fork), ProofError when the new tree does not contain the old one.
    """
    old_size, old_root = state.get(checkpoint.origin)
    size, root = checkpoint.size, checkpoint.root
    if old_root is None:
        report.ok(
            "checkpoint pertama untuk log ini; disimpan sebagai acuan",
            "first checkpoint seen for this log; remembered as the reference",
        )
    elif size < old_size:
        raise MismatchError(
            f"log menampilkan pohon lebih kecil ({size}) dari yang pernah dilihat ({old_size})",
            f"the log shows a smaller tree ({size}) than one seen before ({old_size})",
            where="checkpoint",
        )
    elif size == old_size and root != old_root:
        raise MismatchError(
            f"CABANG (fork): akar berbeda pada ukuran {size} dari yang pernah dilihat",
            f"FORK: a different root at size {size} than the one seen before",
            where="checkpoint",
        )
    elif size > old_size:
        with served_by_log("tile"):
            proof = prove_consistency(size, old_size, tree_reader(checkpoint, source))
        try:
            check_consistency(proof, size, root, old_size, old_root)
        except ProofError as exc:
            raise ProofError(
                f"CABANG (fork): pohon {size} tidak memuat pohon {old_size} yang pernah dilihat",
                f"FORK: tree {size} does not contain tree {old_size} seen before",
                where="checkpoint",
            ) from exc
        report.ok(
            f"konsisten dengan checkpoint sebelumnya (ukuran {old_size})",
            f"consistent with the previous checkpoint (size {old_size})",
        )
    if old_root is None or size > old_size:
        state.put(checkpoint.origin, size, root)


def read_entries(source: LogSource, size: int) -> Iterator[tuple[int, bytes]]:
    """Yield (index, entry bytes) for every entry of a tree of size, bundle by bundle.

    Raises VerificationError when a bundle is malformed or holds the wrong number of entries.
    """
    read = tile_reader(source)
    for ref in bundles_for_size(size):
        with served_by_log(tile_path(ref)):
            entries = parse_entry_bundle(read(ref), ref.width)
        yield from enumerate(entries, ref.index * TILE_WIDTH)


def check_inclusion_of(
    entry: bytes, checkpoint: Checkpoint, source: LogSource, report: Report
) -> int:
    """Find entry in the log and check its inclusion proof against the checkpoint's root.

    Returns its index. Raises VerificationError when the entry is not in the log or its
    inclusion proof does not lead to the signed root.
    """
    found = next((i for i, data in read_entries(source, checkpoint.size) if data == entry), None)
    if found is None:
        raise VerificationError(
            f"rekaman ini TIDAK ADA di log (ukuran {checkpoint.size})",
            f"this record is NOT in the log (size {checkpoint.size})",
            where="FILE",
        )
    with served_by_log("tile"):
        proof = prove_inclusion(checkpoint.size, found, tree_reader(checkpoint, source))
    check_inclusion(proof, checkpoint.size, checkpoint.root, found, leaf_hash(entry))
    report.ok(
        f"rekaman tercatat di log pada indeks {found}; bukti inklusi sah",
        f"record is in the log at index {found}; inclusion proof valid",
    )
    return found


def audit_log(checkpoint: Checkpoint, source: LogSource, report: Report) -> None:
    """Rebuild every tile and the root from all entry bundles and compare with what is served.

    Raises VerificationError naming the first tile or the root that differs.
    """
    hashes = [leaf_hash(data) for _, data in read_entries(source, checkpoint.size)]
    built, root = append_leaves(0, hashes, lambda ref: b"")
    if root != checkpoint.root:
        raise VerificationError(
            "akar yang dibangun ulang dari semua entri BERBEDA dengan akar checkpoint",
            "the root rebuilt from all entries DIFFERS from the checkpoint's root",
            where="tile/entries",
        )
    read_tile = tile_reader(source)
    for ref in tiles_for_size(checkpoint.size):
        if read_tile(ref) != built.get(ref):
            raise VerificationError(
                f"ubin {tile_path(ref)} berbeda dengan hash yang dibangun ulang dari entri",
                f"tile {tile_path(ref)} differs from the hashes rebuilt from the entries",
                where=tile_path(ref),
            )
    report.ok(
        f"audit penuh: {checkpoint.size} entri dan semua ubin cocok dengan akar",
        f"full audit: {checkpoint.size} entries and every tile match the root",
    )


def verify_receipt(
    receipt_text: bytes, entry: bytes, policy: Policy, state: OriginState, report: Report
) -> Checkpoint:
    """Check a receipt (C2SP tlog-proof) for entry fully offline; return its checkpoint.

    Checks the log signature, the witness quorum and the inclusion proof; when the receipt's
    tree has the size of the remembered one, the roots must agree. Raises FormatError for a
    malformed receipt, VerificationError when it does not verify or contradicts memory.
    """
    receipt = Receipt.parse(receipt_text)
    checkpoint = check_receipt(receipt, entry, policy)
    report.checkpoint = checkpoint
    old_size, old_root = state.get(checkpoint.origin)
    if old_root is not None and old_size == checkpoint.size and old_root != checkpoint.root:
        raise MismatchError(
            f"CABANG (fork): tanda terima memuat akar berbeda pada ukuran {old_size}",
            f"FORK: the receipt shows a different root at size {old_size}",
            where="receipt",
        )
    report.ok(
        f"tanda terima sah: rekaman ada di log pada indeks {receipt.index} "
        f"(checkpoint ukuran {checkpoint.size}, kuorum saksi terpenuhi)",
        f"receipt valid: the record is in the log at index {receipt.index} "
        f"(checkpoint size {checkpoint.size}, witness quorum met)",
    )
    return checkpoint
