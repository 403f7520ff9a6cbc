"""Name, read and write the tiles of a C2SP tlog-tiles log.

A tile at level L holds up to 256 consecutive stored hashes of tree level 8·L (a full
tile has width 256; the right-most tile of a level may be partial). Entry bundles hold the
log entries themselves and are addressed like level-0 tiles under tile/entries/.
See C2SP tlog-tiles §"Merkle Tree", §"Partial Tiles" and §"Log Entries".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from terbuka.tlog import tree
from terbuka.tlog.errors import MalformedError, ProofError
from terbuka.tlog.hashing import EMPTY_ROOT, HASH_SIZE, node_hash_pairs

TILE_HEIGHT = 8
TILE_WIDTH = 256
"""The number of hashes (or entries) in a full tile: 2^TILE_HEIGHT."""

MAX_ENTRY_SIZE = 0xFFFF
"""The largest entry in bytes: an entry bundle prefixes each entry with a u16 length."""

ENTRIES_LEVEL = -1
"""The TileRef level that names an entry bundle (tile/entries/...) instead of a hash tile."""

MAX_LEVEL = 63
"""The highest tile level a path may name (Go sumdb/tlog accepts levels below 64)."""

_FULL = TILE_WIDTH * HASH_SIZE
_sha256 = hashlib.sha256


@dataclass(frozen=True, order=True, slots=True)
class TileRef:
    """Name one tile: its level (ENTRIES_LEVEL for an entry bundle), index and width.

    Width TILE_WIDTH is a full tile; 1..255 is a partial tile. Example:
    TileRef(0, 1234067, 112) is tile/0/x001/x234/067.p/112.
    """

    level: int
    index: int
    width: int = TILE_WIDTH


ReadTile = Callable[[TileRef], bytes]
"""Read the bytes of one tile (width × 32 bytes for hash tiles)."""


def _bad_path(path: str, why_id: str, why_en: str) -> MalformedError:
    return MalformedError(
        f"jalur tile {path!r} tidak sah: {why_id}",
        f"invalid tile path {path!r}: {why_en}",
        where=path,
    )


def _check_ref(ref: TileRef) -> None:
    """Raise MalformedError unless ref names a tile C2SP tlog-tiles can address."""
    if (
        not ENTRIES_LEVEL <= ref.level <= MAX_LEVEL
        or ref.index < 0
        or not 1 <= ref.width <= TILE_WIDTH
    ):
        raise MalformedError(
            f"rujukan tile tidak sah: {ref}",
            f"invalid tile reference: {ref}",
        )


def tile_path(ref: TileRef) -> str:
    """Return the path of a tile (C2SP tlog-tiles §"Merkle Tree", §"Partial Tiles").

    The index is written in groups of three digits, all but the last prefixed with "x".
    Example: tile_path(TileRef(0, 1234067, 112)) == "tile/0/x001/x234/067.p/112".
    Raises MalformedError for a negative index or a width outside 1..256.
    """
    _check_ref(ref)
    n = ref.index
    parts = [f"{n % 1000:03d}"]
    while n >= 1000:
        n //= 1000
        parts.append(f"x{n % 1000:03d}")
    level = "entries" if ref.level == ENTRIES_LEVEL else str(ref.level)
    partial = "" if ref.width == TILE_WIDTH else f".p/{ref.width}"
    return f"tile/{level}/{'/'.join(reversed(parts))}{partial}"


def entries_path(index: int, width: int = TILE_WIDTH) -> str:
    """Return the path of an entry bundle (C2SP tlog-tiles §"Log Entries").

    Example: entries_path(273, 112) == "tile/entries/273.p/112".
    """
    return tile_path(TileRef(ENTRIES_LEVEL, index, width))


def parse_tile_path(path: str) -> TileRef:
    """Return the TileRef that a tile or entry bundle path names.

    Only the canonical form is accepted: parse_tile_path(p) formats back to p exactly.
    Example: parse_tile_path("tile/entries/x001/067") == TileRef(-1, 1067, 256).
    Raises MalformedError for anything else.
    """
    f = path.split("/")
    if len(f) < 3 or f[0] != "tile":
        raise _bad_path(path, "harus diawali tile/<L>/", "must start with tile/<L>/")
    width = TILE_WIDTH
    if f[-2].endswith(".p"):
        width = _decimal(path, f[-1])
        f = [*f[:-2], f[-2][:-2]]
    level = ENTRIES_LEVEL if f[1] == "entries" else _decimal(path, f[1])
    index = 0
    for i, group in enumerate(f[2:]):
        digits = group[1:] if group.startswith("x") and i < len(f) - 3 else group
        if len(digits) != 3:
            raise _bad_path(path, "indeks harus per tiga digit", "index must be 3-digit groups")
        index = index * 1000 + _decimal(path, digits)
    ref = TileRef(level, index, width)
    try:
        canonical = tile_path(ref)
    except MalformedError:
        raise _bad_path(
            path, "level atau lebar di luar batas", "level or width out of range"
        ) from None
    if canonical != path:
        raise _bad_path(
            path, f"bentuk baku adalah {canonical!r}", f"canonical form is {canonical!r}"
        )
    return ref


def _decimal(path: str, s: str) -> int:
    """Return the value of an ASCII decimal string, or raise MalformedError."""
    if not s or not s.isascii() or not s.isdigit():
        raise _bad_path(path, f"{s!r} bukan angka desimal", f"{s!r} is not a decimal number")
    return int(s)


def tiles_for_size(size: int) -> list[TileRef]:
    """Return every hash tile of a tree of `size` leaves, level by level.

    Example (C2SP tlog-tiles §"Partial Tiles"): size 70000 has 273 full level-0 tiles and
    TileRef(0, 273, 112), then TileRef(1, 0), TileRef(1, 1, 17) and TileRef(2, 0, 1).
    """
    refs: list[TileRef] = []
    level, n = 0, size
    while n > 0:
        full, rest = divmod(n, TILE_WIDTH)
        refs.extend(TileRef(level, i) for i in range(full))
        if rest:
            refs.append(TileRef(level, full, rest))
        level, n = level + 1, n >> TILE_HEIGHT
    return refs


def bundles_for_size(size: int) -> list[TileRef]:
    """Return every entry bundle of a log of `size` entries (C2SP tlog-tiles §"Log Entries")."""
    return [TileRef(ENTRIES_LEVEL, t.index, t.width) for t in tiles_for_size(size) if t.level == 0]


def format_entry_bundle(entries: Sequence[bytes]) -> bytes:
    """Return an entry bundle: each entry as a big-endian u16 length then its bytes.

    C2SP tlog-tiles §"Log Entries". Example: format_entry_bundle([b"hi"]) == b"\\x00\\x02hi".
    Raises MalformedError for an entry longer than 65535 bytes or more than 256 entries.
    """
    if len(entries) > TILE_WIDTH:
        raise MalformedError(
            f"bundel entri berisi {len(entries)} entri, maksimum {TILE_WIDTH}",
            f"entry bundle has {len(entries)} entries, at most {TILE_WIDTH}",
        )
    out = bytearray()
    for i, e in enumerate(entries):
        if len(e) > MAX_ENTRY_SIZE:
            raise MalformedError(
                f"entri {i} berukuran {len(e)} bita, maksimum {MAX_ENTRY_SIZE}",
                f"entry {i} is {len(e)} bytes, at most {MAX_ENTRY_SIZE}",
            )
        out += len(e).to_bytes(2, "big")
        out += e
    return bytes(out)


def parse_entry_bundle(data: bytes, width: int | None = None) -> list[bytes]:
    """Return the entries of an entry bundle (inverse of format_entry_bundle).

    When width is given the bundle must hold exactly that many entries.
    Raises MalformedError for a truncated entry or a wrong count.
    """
    entries: list[bytes] = []
    pos, end = 0, len(data)
    while pos < end:
        if pos + 2 > end:
            raise MalformedError(
                f"bundel entri terpotong pada bita {pos}",
                f"entry bundle truncated at byte {pos}",
                where=f"byte {pos}",
            )
        n = (data[pos] << 8) | data[pos + 1]
        if pos + 2 + n > end:
            raise MalformedError(
                f"entri {len(entries)} terpotong: butuh {n} bita",
                f"entry {len(entries)} truncated: needs {n} bytes",
                where=f"byte {pos}",
            )
        entries.append(data[pos + 2 : pos + 2 + n])
        pos += 2 + n
    if width is not None and len(entries) != width:
        raise MalformedError(
            f"bundel entri berisi {len(entries)} entri, seharusnya {width}",
            f"entry bundle has {len(entries)} entries, want {width}",
        )
    return entries


def _read_hashes(read_tile: ReadTile, ref: TileRef) -> bytes:
    """Read a hash tile and check its length (width × 32 bytes)."""
    data = read_tile(ref)
    if len(data) != ref.width * HASH_SIZE:
        raise MalformedError(
            f"tile {tile_path(ref)} berukuran {len(data)} bita, seharusnya {ref.width * HASH_SIZE}",
            f"tile {tile_path(ref)} is {len(data)} bytes, want {ref.width * HASH_SIZE}",
            where=tile_path(ref),
        )
    return bytes(data)


def _edge_root(edges: list[bytes]) -> bytes:
    """Return the tree hash from the right-edge partial regions of each tile level."""
    parts: list[bytes] = []
    for region in reversed(edges):  # highest level first: left-most subtrees
        pos = 0
        for b in range(TILE_HEIGHT - 1, -1, -1):
            count = 1 << b
            if (len(region) // HASH_SIZE) - pos // HASH_SIZE >= count:
                sub = region[pos : pos + count * HASH_SIZE]
                for _ in range(b):
                    sub = node_hash_pairs(sub)
                parts.append(sub)
                pos += count * HASH_SIZE
    if not parts:
        return EMPTY_ROOT
    h = parts[-1]
    for left in reversed(parts[:-1]):
        h = _sha256(b"\x01" + left + h).digest()
    return h


def append_leaves(
    size: int, leaf_hashes: Sequence[bytes], read_tile: ReadTile
) -> tuple[dict[TileRef, bytes], bytes]:
    """Append leaf hashes to a tiled tree of `size` leaves; return changed tiles and new root.

    Only the right edge is read: at most one partial tile per level. The returned dict maps
    every new or grown tile to its full contents (C2SP tlog-tiles §"Merkle Tree").
    Raises MalformedError for a leaf hash that is not 32 bytes or a tile of the wrong size.
    """
    if size < 0:
        raise MalformedError(f"ukuran pohon {size} negatif", f"tree size {size} is negative")
    if any(len(h) != HASH_SIZE for h in leaf_hashes):
        raise MalformedError("setiap hash daun harus 32 bita", "every leaf hash must be 32 bytes")
    changed: dict[TileRef, bytes] = {}
    edges: list[bytes] = []
    new = b"".join(leaf_hashes)
    level, old_n = 0, size
    while True:
        first, keep = divmod(old_n, TILE_WIDTH)
        head = _read_hashes(read_tile, TileRef(level, first, keep)) if keep else b""
        region = head + new
        new_n = old_n + len(new) // HASH_SIZE
        if new:
            for off in range(0, len(region), _FULL):
                chunk = region[off : off + _FULL]
                changed[TileRef(level, first + off // _FULL, len(chunk) // HASH_SIZE)] = chunk
        full = (len(region) // _FULL) * _FULL
        new = region[:full]
        for _ in range(TILE_HEIGHT):
            new = node_hash_pairs(new)
        edges.append(region[full:])
        if new_n < TILE_WIDTH:
            break
        level, old_n = level + 1, old_n >> TILE_HEIGHT
    return changed, _edge_root(edges)


class TileHashReader:
    """Read stored hashes (tree.HashReader) of a tree of `size` leaves from its tiles.

    Tiles come from read_tile and are cached (up to cache_tiles of them) with their
    interior nodes. When root is given, every tile is authenticated first: the right edge
    against the root, full tiles against their parent tile, as in Go's sumdb/tlog
    TileHashReader. Raises MalformedError for a tile of the wrong size, ProofError for a
    tile that does not match the root or an index outside the tree.
    """

    def __init__(
        self,
        size: int,
        read_tile: ReadTile,
        *,
        root: bytes | None = None,
        cache_tiles: int = 4096,
    ) -> None:
        self.size = size
        self._read_tile = read_tile
        self._cache: dict[tuple[int, int], list[bytes]] = {}
        self._cache_tiles = max(cache_tiles, 1)
        self._authenticate_tiles = False
        self._edge: dict[tuple[int, int], list[bytes]] = {}  # pinned right-edge tiles
        self._pinning = root is not None
        if root is not None:
            # The tree hash reads only the partial right-edge tiles, whole: if it matches,
            # they are authentic, and every full tile can be checked against its parent.
            if tree.tree_hash(size, self) != root:
                raise ProofError(
                    f"tile tidak cocok dengan akar pohon berukuran {size}",
                    f"tiles do not match the root of the tree of size {size}",
                )
            # The partial tiles just read are now authentic and stay pinned: they have no
            # parent tile to re-check them by if the cache evicted and re-read them.
            self._authenticate_tiles, self._pinning = True, False

    def __call__(self, indexes: Sequence[int]) -> list[bytes]:
        """Return the stored hashes at the given stored hash indexes."""
        split = tree.split_stored_hash_index
        return self.read_nodes([split(x) if x >= 0 else (0, self.size) for x in indexes])

    def read_nodes(self, nodes: Sequence[tuple[int, int]]) -> list[bytes]:
        """Return the hashes of the given (level, n) tree nodes.

        The hash of tree level 8·L + s, number n, is node n mod 2^(8−s) of level s inside
        the level-L tile number n >> (8−s) (C2SP tlog-tiles §"Merkle Tree").
        """
        cache, tile = self._cache, self._tile
        out: list[bytes] = []
        for level, n in nodes:
            sub = level & 7
            shift = TILE_HEIGHT - sub
            levels = cache.get((level >> 3, n >> shift)) or tile(level >> 3, n >> shift)
            pos = (n & ((1 << shift) - 1)) << 5
            h = levels[sub][pos : pos + HASH_SIZE]
            if len(h) != HASH_SIZE:  # a node the partial tile does not complete
                raise self._missing(level, n)
            out.append(h)
        return out

    def _missing(self, level: int, n: int) -> ProofError:
        return ProofError(
            f"simpul ({level}, {n}) tidak ada di pohon berukuran {self.size}",
            f"node ({level}, {n}) is not in the tree of size {self.size}",
        )

    def _tile(self, level: int, index: int) -> list[bytes]:
        """Return the levels of interior nodes of a tile, reading and authenticating it."""
        levels = self._cache.get((level, index)) or self._edge.get((level, index))
        if levels is not None:
            return levels
        avail = (self.size >> (TILE_HEIGHT * level)) - index * TILE_WIDTH
        if avail <= 0 or index < 0 or level > MAX_LEVEL:
            raise self._missing(TILE_HEIGHT * level, index * TILE_WIDTH)
        ref = TileRef(level, index, min(avail, TILE_WIDTH))
        data = _read_hashes(self._read_tile, ref)
        levels = [data]
        for _ in range(TILE_HEIGHT):
            data = node_hash_pairs(data)
            levels.append(data)
        if self._authenticate_tiles and ref.width == TILE_WIDTH:
            self._authenticate(ref, levels[TILE_HEIGHT])
        if self._pinning:
            self._edge[(level, index)] = levels
            return levels
        if len(self._cache) >= self._cache_tiles:
            del self._cache[next(iter(self._cache))]
        self._cache[(level, index)] = levels
        return levels

    def _authenticate(self, ref: TileRef, top: bytes) -> None:
        """Check a full tile's hash against the parent tile (itself authenticated)."""
        parent_index, pos = divmod(ref.index, TILE_WIDTH)
        parent = self._tile(ref.level + 1, parent_index)
        if parent[0][pos * HASH_SIZE : (pos + 1) * HASH_SIZE] != top:
            raise ProofError(
                f"tile {tile_path(ref)} tidak cocok dengan tile induknya",
                f"tile {tile_path(ref)} does not match its parent tile",
                where=tile_path(ref),
            )
