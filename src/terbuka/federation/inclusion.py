"""Check that harvested items are in the remote's log: RFC 6962 inclusion against its checkpoint.

One LogIndex per harvest reads the remote's entry bundles (C2SP tlog-tiles) once, from the
start, only as far as the wanted entries require, remembering each entry's leaf hash and
index; later pages (and other dataset kinds) continue where it stopped. Each found entry's
inclusion proof, built from tiles authenticated against the signed root, must lead to that
root. An entry not (yet) in the log is reported as None: the remote may have published it
after signing the checkpoint, so it waits for the next harvest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.hashing import leaf_hash
from terbuka.tlog.tiles import TileHashReader
from terbuka.tlog.tree import check_inclusion, prove_inclusion
from terbuka.tlog.verify import read_entries, served_by_log, tree_reader
from terbuka.tlog.verify_source import LogSource


class LogIndex:
    """Find entries in one checkpoint's tree, reading the remote's bundles at most once.

    Memory: one 32-byte hash and an index per entry read (about 100 bytes each).
    """

    def __init__(self, checkpoint: Checkpoint, source: LogSource) -> None:
        self.checkpoint, self._source = checkpoint, source
        self._entries: Iterator[tuple[int, bytes]] = read_entries(source, checkpoint.size)
        self._read: dict[bytes, int] = {}
        self._reader: TileHashReader | None = None

    def indices_of(self, entries: Sequence[bytes]) -> list[int | None]:
        """Return each entry's index in the remote's tree, None for an entry not in it.

        Raises VerificationError (ProofError) when a found entry's inclusion proof does not
        lead to the checkpoint's root, UnavailableError when a tile cannot be fetched.
        """
        hashes = [leaf_hash(e) for e in entries]
        missing = {h for h in hashes if h not in self._read}
        for index, data in self._entries if missing else ():
            hashed = leaf_hash(data)
            self._read.setdefault(hashed, index)
            missing.discard(hashed)
            if not missing:
                break
        found = [self._read.get(h) for h in hashes]
        for hashed, at in zip(hashes, found, strict=True):
            if at is not None:
                self._prove(hashed, at)
        return found

    def _prove(self, hashed: bytes, index: int) -> None:
        """Check the inclusion proof of the leaf hashed at index against the signed root."""
        size, root = self.checkpoint.size, self.checkpoint.root
        if self._reader is None:
            self._reader = tree_reader(self.checkpoint, self._source)
        with served_by_log("tile"):
            proof = prove_inclusion(size, index, self._reader)
        check_inclusion(proof, size, root, index, hashed)
