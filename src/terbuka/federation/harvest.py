"""Plan one harvest of a remote Terbuka: verify its checkpoint, then pull and prove new items.

Nothing here writes: the caller stores the accepted items and the new checkpoint together, or
records the alert when verification fails (terbuka_web.federation.services). The checkpoint is
fetched first, so an item published after it is held back for the next harvest instead of
failing: the cursor only moves past pages whose every item was proved in the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from terbuka.federation.feed import DatasetKind, Fetch, fetch_default
from terbuka.federation.inclusion import LogIndex
from terbuka.federation.remote import Seen, Verified, checkpoint_verify, log_source
from terbuka.tlog.verify import served_by_log


@dataclass
class Harvest:
    """Hold what one harvest accepted: (item, log index) pairs and the cursor to resume from."""

    verified: Verified
    cursor: str
    items: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    held_back: int = 0


def harvest_plan(
    base_url: str,
    *,
    policy_text: str,
    seen: Seen,
    cursor: str,
    kind: DatasetKind,
    fetch: Fetch = fetch_default,
) -> Harvest:
    """Verify the remote's checkpoint and return the items after cursor that its log holds.

    Raises RemoteTrustError, RemoteForkError (see remote.checkpoint_verify), RemoteFeedError
    for a malformed feed, VerificationError for a bad inclusion proof, UnavailableError when
    the remote cannot be reached. Example: harvest_plan("http://kab.example/", ...).
    """
    source = log_source(base_url, fetch)
    with served_by_log("checkpoint"):
        note = source.read("checkpoint")
    verified = checkpoint_verify(note, source, policy_text, seen)
    harvest, log = Harvest(verified, cursor), LogIndex(verified.checkpoint, source)
    for page in kind.pages(base_url, cursor, fetch):
        indices = log.indices_of([kind.entry(i) for i in page.items])
        for item, index in zip(page.items, indices, strict=True):
            if index is None:
                harvest.held_back = len(page.items) - indices.index(None)
                return harvest
            harvest.items.append((item, index))
        harvest.cursor = page.cursor
    return harvest
