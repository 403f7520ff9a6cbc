"""Map log indices to outbox entry ids and back through a batch's id range and its gaps.

A sequencing batch holds the committed entries with first_id <= id <= last_id in id order;
gaps are the ids inside that range no committed row holds, as sorted inclusive runs
[[low, high], …]. These pure functions are shared by the sequencer, the selectors and the
migration that introduced batches.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

Gaps = list[list[int]]


def gaps_of(ids: Sequence[int]) -> Gaps:
    """Return the runs of ids missing between the first and last of ids (strictly increasing).

    Example: gaps_of([3, 4, 7, 9]) == [[5, 6], [8, 8]].
    """
    return [[low + 1, high - 1] for low, high in itertools.pairwise(ids) if high > low + 1]


def id_at(first_id: int, gaps: Gaps, offset: int) -> int:
    """Return the id of the batch's entry at offset (0 = first_id), skipping the gaps.

    Example: id_at(3, [[5, 6], [8, 8]], 2) == 7.
    """
    entry_id = first_id + offset
    for low, high in gaps:
        if low > entry_id:
            break
        entry_id += high - low + 1
    return entry_id


def offset_of(first_id: int, gaps: Gaps, entry_id: int) -> int:
    """Return the offset in the batch of the entry with entry_id (not inside a gap).

    Example: offset_of(3, [[5, 6], [8, 8]], 9) == 3.
    """
    missing = sum(high - low + 1 for low, high in gaps if high < entry_id)
    return entry_id - first_id - missing


# PostgreSQL advisory lock key (bigint) shared by every outbox insert (a statement trigger
# takes it shared) and the sequencer (takes it exclusive to find the committed id bound).
APPEND_LOCK_KEY = 0x5465_7262_756B_61  # "Terbuka"
