"""Selectors of the transparency app: checkpoints, tiles, entry bundles, indices, receipts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from terbuka.errors import ConfigError
from terbuka.tlog.policy import Policy
from terbuka.tlog.proof import Receipt
from terbuka.tlog.tiles import (
    ENTRIES_LEVEL,
    TILE_WIDTH,
    TileHashReader,
    TileRef,
    format_entry_bundle,
    tile_path,
)
from terbuka.tlog.tree import prove_inclusion
from terbuka_web.config.env import SettingError
from terbuka_web.transparency.batches import id_at, offset_of
from terbuka_web.transparency.keys import log_vkey
from terbuka_web.transparency.models import (
    Checkpoint,
    LogBatch,
    LogEntry,
    LogState,
    Tile,
    WitnessCosignature,
)
from terbuka_web.transparency.witnesses import WitnessConfig, policy_text, witnesses_configured

HASH_SIZE = 32


def checkpoint_latest() -> Checkpoint | None:
    """Return the latest signed checkpoint, or None before the first sequencing."""
    return Checkpoint.objects.order_by("-id").first()


def checkpoint_note(checkpoint: Checkpoint) -> str:
    """Return the checkpoint's signed note with the witnesses' cosignature lines appended.

    C2SP signed-note: signature lines follow the log's own, each ending in a newline.
    Example: "origin\n5\n<root>\n\n— origin <sig>\n— saksi.example <cosig>\n".
    """
    lines = checkpoint.cosignatures.order_by("witness").values_list("line", flat=True)
    return checkpoint.note + "".join(line.rstrip("\n") + "\n" for line in lines)


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
    """Return entry bundle ref (its first ref.width entries), or None beyond the log.

    Bundles are not stored: the entries' bytes live once, in their LogEntry rows. Sequenced
    entries are numbered in id order, so bundle N of width W is the rows whose ids run from
    the id at index N·256 to the id at index N·256+W−1 (LogBatch maps index to id).
    """
    start = ref.index * TILE_WIDTH
    first, last = entry_id_at(start), entry_id_at(start + ref.width - 1)
    if first is None or last is None:
        return None
    rows = (
        LogEntry.objects.filter(id__gte=first, id__lte=last)
        .order_by("id")
        .values_list("data", flat=True)
    )
    entries = [bytes(data) for data in rows]
    if len(entries) != ref.width:
        raise LookupError(f"entry bundle {tile_path(ref)}: ids {first}–{last} hold {len(entries)}")
    return format_entry_bundle(entries)


def entry_id_at(index: int) -> int | None:
    """Return the id of the outbox entry at log index, or None when not yet sequenced."""
    batch = LogBatch.objects.filter(first_index__lte=index).order_by("-first_index").first()
    if batch is None or index >= batch.first_index + batch.entries:
        return None
    return id_at(batch.first_id, batch.gaps, index - batch.first_index)


def entry_index_of(entry_id: int) -> int | None:
    """Return the log index of the outbox entry with entry_id, or None while it is pending."""
    batch = LogBatch.objects.filter(last_id__gte=entry_id).order_by("last_id").first()
    if batch is None or entry_id < batch.first_id:
        return None
    return batch.first_index + offset_of(batch.first_id, batch.gaps, entry_id)


def entry_index_for(ref: str, *, kind: str | None = None) -> int | None:
    """Return the log index of the latest sequenced entry recording ref, else None.

    With kind (e.g. "ocds.release"), only entries of that kind count.
    """
    return entry_indices_for([ref], kind=kind).get(ref)


def entry_indices_for(refs: list[str], *, kind: str | None = None) -> dict[str, int]:
    """Return, by ref, the log index of the latest sequenced entry recording each of refs
    (refs not yet sequenced are left out); with kind, only entries of that kind count.

    Two queries, then one per sequencing batch holding such an entry (a process's releases).
    """
    entries = LogEntry.objects.filter(ref__in=refs, id__lte=_last_sequenced_id())
    if kind is not None:
        entries = entries.filter(kind=kind)
    latest: dict[str, int] = {}
    # max() here, not ORDER BY id DESC: that would let PostgreSQL walk the primary key
    # backwards from the top instead of looking the few entries of the refs up by index.
    for ref, entry_id in entries.values_list("ref", "id"):
        latest[ref] = max(latest.get(ref, 0), entry_id)
    found: dict[str, int] = {}
    batch: LogBatch | None = None
    for ref, entry_id in sorted(latest.items(), key=lambda item: item[1]):
        if batch is None or batch.last_id < entry_id:
            batch = LogBatch.objects.filter(last_id__gte=entry_id).order_by("last_id").first()
        if batch is not None and batch.first_id <= entry_id:
            found[ref] = batch.first_index + offset_of(batch.first_id, batch.gaps, entry_id)
    return found


def entry_id_latest_of(refs: list[str], *, kind: str) -> int | None:
    """Return the id of the newest entry of kind recording any of refs, pending or not."""
    found: int | None = (
        LogEntry.objects.filter(ref__in=refs, kind=kind)
        .order_by("-id")
        .values_list("id", flat=True)
    ).first()
    return found


def entry_id_latest() -> int | None:
    """Return the highest outbox entry id, or None: it moves with every public state change."""
    found: int | None = LogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return found


def entries_pending() -> bool:
    """Report whether any committed outbox entry still waits for the sequencer."""
    return LogEntry.objects.filter(id__gt=_last_sequenced_id()).exists()


def _last_sequenced_id() -> int:
    """Return the id of the last sequenced entry (0 before the first)."""
    return LogState.objects.values_list("last_id", flat=True).first() or 0


def full_tile_refs() -> set[TileRef]:
    """Return the refs of every full hash tile and full entry bundle (immutable once written)."""
    tiles = Tile.objects.filter(width=TILE_WIDTH).values_list("level", "index")
    size = LogState.objects.values_list("size", flat=True).first() or 0
    return {TileRef(level, index) for level, index in tiles} | {
        TileRef(ENTRIES_LEVEL, index) for index in range(size // TILE_WIDTH)
    }


def log_url() -> str:
    """Return the public address of the log, the SOURCE citizens give to `terbuka verify`.

    Example: "https://terbuka.bojonegorokab.go.id/log/".
    """
    return str(settings.TERBUKA.get("BASE_URL", "")).rstrip("/") + "/log/"


def policy_current() -> str:
    """Return the tlog-policy text citizens verify against (log key, witnesses, quorum).

    Raises ConfigError naming the setting for a bad witness configuration or log key.
    """
    try:
        vkey = log_vkey()
    except SettingError as exc:
        raise ConfigError(exc.message_id, exc.message_en, where=exc.name) from exc
    return policy_text(log_vkey=vkey, log_url=log_url())


def checkpoint_is_final(*, checkpoint: Checkpoint) -> bool:
    """Report whether checkpoint's stored cosignatures satisfy the policy's quorum."""
    names = checkpoint.cosignatures.values_list("witness", flat=True)
    return Policy.parse(policy_current()).satisfied(names)


@dataclass(frozen=True)
class CosignedCheckpoint:
    """One checkpoint witnesses cosigned: its cosignatures, the witnesses that did not, final."""

    checkpoint: Checkpoint
    cosignatures: list[WitnessCosignature]
    absent: list[WitnessConfig]
    final: bool


@dataclass(frozen=True)
class Witnessing:
    """What the log pages show of the witnesses' work (see log_witnessing)."""

    witnesses: list[WitnessConfig]
    cosigned: list[CosignedCheckpoint]
    cosigned_total: int
    waiting: Checkpoint | None
    intermediate: int


def log_witnessing(*, limit: int = 20) -> Witnessing:
    """Return the witnesses, the latest cosigned checkpoints and what was not cosigned, and why.

    cosigned holds the newest `limit` checkpoints at least one witness cosigned (cosignatures
    in configuration order, then unconfigured ones), cosigned_total how many there are.
    waiting is the latest checkpoint when no witness has cosigned it yet (the sequencer asks
    the witnesses for the latest checkpoint only, and again until they answer). intermediate
    counts the other checkpoints nobody cosigned: a later checkpoint superseded them before
    they were sent, and the witnesses' consistency checks cover them through it.
    Raises ConfigError naming the setting for a bad witness configuration or log key.
    """
    witnesses = witnesses_configured()
    policy = Policy.parse(policy_current())
    order = {w.name: n for n, w in enumerate(witnesses)}
    signed = (
        WitnessCosignature.objects.order_by("-checkpoint_id")
        .values_list("checkpoint_id", flat=True)
        .distinct()
    )
    ids = list(signed[:limit])
    by_checkpoint: dict[int, list[WitnessCosignature]] = {}
    for cosignature in WitnessCosignature.objects.filter(checkpoint_id__in=ids):
        by_checkpoint.setdefault(cosignature.checkpoint_id, []).append(cosignature)
    cosigned = []
    for checkpoint in Checkpoint.objects.filter(id__in=ids).order_by("-id"):
        found = sorted(by_checkpoint[checkpoint.pk], key=lambda c: order.get(c.witness, len(order)))
        names = {c.witness for c in found}
        absent = [w for w in witnesses if w.name not in names]
        cosigned.append(CosignedCheckpoint(checkpoint, found, absent, policy.satisfied(names)))
    latest = checkpoint_latest()
    cosigned_total = signed.count()
    waiting = None if latest is None or (cosigned and cosigned[0].checkpoint == latest) else latest
    total = Checkpoint.objects.count()
    return Witnessing(
        witnesses=witnesses,
        cosigned=cosigned,
        cosigned_total=cosigned_total,
        waiting=waiting,
        intermediate=total - cosigned_total - (waiting is not None),
    )


def receipt_for(index: int) -> bytes | None:
    """Return the C2SP tlog-proof receipt of entry index, or None when it is not sequenced.

    The checkpoint is the latest one covering index that witnesses cosigned (else the latest),
    with its cosignatures. The inclusion proof is read from the stored tiles, authenticated
    against the checkpoint's root first (TileHashReader with root). Raises ProofError when
    the stored tiles do not match the checkpoint.
    Example: b"c2sp.org/tlog-proof@v1\\nindex 1\\n<hash>\\n\\n<note>".
    """
    if index < 0:
        return None
    covering = Checkpoint.objects.filter(size__gt=index).order_by("-id")
    checkpoint = covering.filter(cosignatures__isnull=False).first() or covering.first()
    if checkpoint is None:
        return None
    size = checkpoint.size
    reader = TileHashReader(size, _tile_read_required, root=bytes(checkpoint.root))
    proof = prove_inclusion(size, index, reader)
    note = checkpoint_note(checkpoint).encode("utf-8")
    return Receipt(None, index, tuple(proof), note).format()


def _tile_read_required(ref: TileRef) -> bytes:
    """Return tile ref; raise LookupError when it is missing (a store behind its checkpoint)."""
    data = tile_read(ref)
    if data is None:
        raise LookupError(f"tile {tile_path(ref)} hilang / missing")
    return data
