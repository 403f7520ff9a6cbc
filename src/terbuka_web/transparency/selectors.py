"""Selectors of the transparency app: checkpoints, tiles, entry bundles and entry indices."""

from __future__ import annotations

from terbuka.tlog.tiles import (
    ENTRIES_LEVEL,
    TILE_WIDTH,
    TileRef,
    format_entry_bundle,
    parse_entry_bundle,
)
from terbuka_web.transparency.models import Checkpoint, EntryBundle, LogEntry, Tile

HASH_SIZE = 32


def checkpoint_latest() -> Checkpoint | None:
    """Return the latest signed checkpoint, or None before the first sequencing."""
    return Checkpoint.objects.order_by("-id").first()


def tile_read(ref: TileRef) -> bytes | None:
    """Return the bytes of a hash tile or entry bundle (ENTRIES_LEVEL), or None beyond the tree.

    A partial tile of width W is served as the first W hashes (or entries) of the stored,
    possibly wider, version; a full tile only once it is full (C2SP tlog-tiles).
    """
    if ref.level == ENTRIES_LEVEL:
        return _bundle_read(ref)
    row = Tile.objects.filter(level=ref.level, index=ref.index).values_list("width", "data").first()
    if row is None or row[0] < ref.width:
        return None
    return bytes(row[1])[: ref.width * HASH_SIZE]


def _bundle_read(ref: TileRef) -> bytes | None:
    """Return entry bundle ref (its first ref.width entries), or None beyond the log."""
    row = EntryBundle.objects.filter(index=ref.index).values_list("width", "data").first()
    if row is None or row[0] < ref.width:
        return None
    data = bytes(row[1])
    if row[0] == ref.width:
        return data
    return format_entry_bundle(parse_entry_bundle(data)[: ref.width])


def entry_index_for(ref: str) -> int | None:
    """Return the log index of the latest sequenced entry recording ref, else None."""
    return (
        LogEntry.objects.filter(ref=ref, index__isnull=False)
        .order_by("-index")
        .values_list("index", flat=True)
        .first()
    )


def full_tile_refs() -> set[TileRef]:
    """Return the refs of every full hash tile and full entry bundle (immutable once written)."""
    tiles = Tile.objects.filter(width=TILE_WIDTH).values_list("level", "index")
    bundles = EntryBundle.objects.filter(width=TILE_WIDTH).values_list("index", flat=True)
    return {TileRef(level, index) for level, index in tiles} | {
        TileRef(ENTRIES_LEVEL, index) for index in bundles
    }
