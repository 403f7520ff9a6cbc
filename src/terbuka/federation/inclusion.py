"""Check that harvested items are in the remote's log: RFC 6962 inclusion against its checkpoint.

The remote's entry bundles (C2SP tlog-tiles) are read from the start until every wanted entry
is found; each found entry's inclusion proof, built from tiles authenticated against the
signed root, must lead to that root. An entry not (yet) in the log is reported as None: the
remote may have published it after signing the checkpoint, so it waits for the next harvest.
"""

from __future__ import annotations

from collections.abc import Sequence

from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.hashing import leaf_hash
from terbuka.tlog.tree import check_inclusion, prove_inclusion
from terbuka.tlog.verify import read_entries, served_by_log, tree_reader
from terbuka.tlog.verify_source import LogSource


def indices_of(
    entries: Sequence[bytes], checkpoint: Checkpoint, source: LogSource
) -> list[int | None]:
    """Return each entry's index in the remote's tree, None for an entry not in it.

    Raises VerificationError (ProofError) when a found entry's inclusion proof does not lead
    to the checkpoint's root, UnavailableError when a tile cannot be fetched.
    """
    wanted = {leaf_hash(e): i for i, e in enumerate(entries)}
    found: dict[bytes, int] = {}
    if wanted and checkpoint.size:
        for index, data in read_entries(source, checkpoint.size):
            hashed = leaf_hash(data)
            if hashed in wanted and hashed not in found:
                found[hashed] = index
                if len(found) == len(wanted):
                    break
    reader = tree_reader(checkpoint, source) if found else None
    for hashed, index in found.items():
        assert reader is not None
        with served_by_log("tile"):
            proof = prove_inclusion(checkpoint.size, index, reader)
        check_inclusion(proof, checkpoint.size, checkpoint.root, index, hashed)
    return [found.get(leaf_hash(e)) for e in entries]
