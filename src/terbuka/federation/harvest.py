"""Plan one harvest of a remote Terbuka: verify its checkpoint, then pull and prove new items.

Nothing here writes: the caller stores the accepted items and the new checkpoint together, or
records the alert when verification fails (terbuka_web.federation.services). The checkpoint is
fetched first, so an item published after it is held back for the next harvest instead of
failing: a kind's cursor only moves past pages whose every item was proved in the log. Every
kind of one harvest is proved against the same checkpoint, reading the remote's log once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from terbuka.federation.feed import DatasetKind, Fetch, fetch_default
from terbuka.federation.inclusion import LogIndex
from terbuka.federation.remote import Seen, Verified, checkpoint_verify, log_source
from terbuka.tlog.verify import served_by_log


@dataclass
class Pull:
    """Hold what one dataset kind accepted: (item, log index) pairs and its resume cursor."""

    cursor: str
    items: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    held_back: int = 0


@dataclass
class Harvest:
    """Hold the verified remote checkpoint and one Pull per dataset kind harvested."""

    verified: Verified
    pulls: dict[str, Pull] = field(default_factory=dict)

    @property
    def held_back(self) -> int:
        """Return how many items of every kind wait for the remote's next checkpoint."""
        return sum(pull.held_back for pull in self.pulls.values())


def harvest_plan(
    base_url: str,
    *,
    policy_text: str,
    seen: Seen,
    cursors: dict[str, str],
    kinds: Sequence[DatasetKind],
    fetch: Fetch = fetch_default,
) -> Harvest:
    """Verify the remote's checkpoint and return, per kind, the items after its cursor that
    the remote's log holds.

    Raises RemoteTrustError, RemoteForkError (see remote.checkpoint_verify), RemoteFeedError
    for a malformed feed, VerificationError for a bad inclusion proof, UnavailableError when
    the remote cannot be reached. Example: harvest_plan("http://kab.example/", ...).
    """
    source = log_source(base_url, fetch)
    with served_by_log("checkpoint"):
        note = source.read("checkpoint")
    verified = checkpoint_verify(note, source, policy_text, seen)
    harvest, index = Harvest(verified), LogIndex(verified.checkpoint, source)
    for kind in kinds:
        harvest.pulls[kind.name] = _pull(kind, base_url, cursors.get(kind.name, ""), index, fetch)
    return harvest


def _pull(kind: DatasetKind, base_url: str, cursor: str, index: LogIndex, fetch: Fetch) -> Pull:
    """Return kind's items after cursor proved in index's tree, stopping at the first unlogged."""
    pull = Pull(cursor)
    for page in kind.pages(base_url, cursor, fetch):
        found = index.indices_of([kind.entry(i) for i in page.items])
        for item, at in zip(page.items, found, strict=True):
            if at is None:
                pull.held_back = len(page.items) - found.index(None)
                return pull
            pull.items.append((item, at))
        pull.cursor = page.cursor
    return pull
