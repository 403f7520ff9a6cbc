"""Services of the transparency app: outbox, sequencer, export, and witness cosigning."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from terbuka.canonical import canonical_json
from terbuka.errors import TerbukaError, ValidationError
from terbuka.human import size_over_words
from terbuka.tlog.anchor import AnchorPayload, anchor_broadcast
from terbuka.tlog.checkpoint import Checkpoint as CheckpointBody
from terbuka.tlog.cosignature import signature_timestamp
from terbuka.tlog.hashing import EMPTY_ROOT, leaf_hashes
from terbuka.tlog.note import Signature, Signer, parse_note, sign_note
from terbuka.tlog.tiles import (
    MAX_ENTRY_SIZE,
    TILE_WIDTH,
    TileHashReader,
    TileRef,
    append_leaves,
    bundles_for_size,
    tile_path,
    tiles_for_size,
)
from terbuka.tlog.tree import prove_consistency
from terbuka.tlog.witness import SIZE_CONTENT_TYPE, AddCheckpointRequest, parse_size_body
from terbuka_web.accounts.services import audit_record
from terbuka_web.common.bulk import bound_cursor, rows_copy
from terbuka_web.config.secrets import read_secret_file
from terbuka_web.transparency.batches import APPEND_LOCK_KEY, gaps_of
from terbuka_web.transparency.keys import log_origin, log_signer
from terbuka_web.transparency.models import (
    Checkpoint,
    LogBatch,
    LogEntry,
    LogState,
    Tile,
    WitnessCosignature,
    WitnessStatus,
)
from terbuka_web.transparency.selectors import checkpoint_latest, checkpoint_note, tile_read
from terbuka_web.transparency.witnesses import (
    WitnessConfig,
    cosignature_from_answer,
    witness_post,
    witnesses_configured,
)

HASH_SIZE = 32
SQLITE_SYNCHRONOUS_FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def entry_append(*, kind: str, ref: str, payload: dict[str, Any]) -> LogEntry:
    """Append payload's canonical JSON as a pending log entry, inside the caller's transaction.

    Raises ValidationError when the canonical bytes exceed 65535 (documents go in by hash)
    or when called outside an atomic block (the entry must commit with its change).
    Example entry bytes: {"kind":"ocds.release","release":{...}}.
    """
    _transaction_require()
    data = canonical_json({"kind": kind, **payload})
    _size_check(ref, data)
    now = timezone.now()
    with connection.cursor() as cursor:  # plain INSERT … RETURNING: a payment's hot path
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(LogEntry._meta.db_table)} "
            "(kind, ref, data, created_at) VALUES (%s, %s, %s, %s) RETURNING id",
            [kind, ref, data, connection.ops.adapt_datetimefield_value(now)],
        )
        pk = cursor.fetchone()[0]
    return LogEntry.from_db(
        connection.alias, ["id", "kind", "ref", "data", "created_at"], [pk, kind, ref, data, now]
    )


def _transaction_require() -> None:
    """Raise ValidationError unless inside an atomic block (the entry commits with its change)."""
    if not transaction.get_connection().in_atomic_block:
        raise ValidationError(
            "entri log harus ditulis dalam transaksi yang sama dengan perubahannya",
            "a log entry must be written in the same transaction as its change",
        )


def _size_check(ref: str, data: bytes) -> None:
    """Raise ValidationError when data exceeds 65535 bytes, the most a tlog-tiles bundle holds."""
    if len(data) > MAX_ENTRY_SIZE:
        over_id, over_en = size_over_words(len(data), MAX_ENTRY_SIZE)
        raise ValidationError(
            f"entri terlalu besar untuk log: {over_id}; perpendek teksnya",
            f"the entry is too large for the log: {over_en}; shorten its text",
            where=ref,
        )


def log_sequence(*, batch_size: int | None = None, signer: Signer | None = None) -> Checkpoint:
    """Integrate up to batch_size pending entries into the log and sign a new checkpoint.

    First, with no lock held (publishers keep appending, even on SQLite), plan the batch:
    read the oldest pending entries (id > last_id, id order, only ids every appending
    transaction has settled, see _committed_bound), hash them (RFC 6962) and compute the
    changed hash tiles (C2SP tlog-tiles). Then, in ONE short transaction holding the LogState
    row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite transactions are IMMEDIATE), check
    that no other sequencer moved the log meanwhile (else plan again), record the entries as
    one LogBatch at indices size, size+1, …, write the tiles, update the state and sign a
    checkpoint with the log key. No entry row is written. A crash at any point rolls all of
    it back: the entries stay pending and are integrated next time, never twice. Entry
    bundles are not stored: selectors.tile_read assembles one from the entries' rows. With
    nothing pending, returns the latest checkpoint (signing the empty tree once). Raises
    ImproperlyConfigured when no log key is configured, or when the database connection does
    not make commits durable before they return (_commit_durable_require), writing nothing.
    """
    batch = batch_size or int(settings.TERBUKA["LOG_BATCH"])
    while True:
        checkpoint = _plan_commit(_plan(batch), signer)
        if checkpoint is not None:
            return checkpoint


@dataclass(frozen=True)
class _Plan:
    """A batch computed from the log state (size, last_id) it was planned on."""

    size: int
    last_id: int
    ids: list[int]
    tiles: dict[TileRef, bytes]
    root: bytes


def _plan(batch: int) -> _Plan:
    """Read the state and up to batch pending entries; return their tiles and the new root."""
    state = LogState.objects.filter(pk=1).first() or LogState(size=0, root=EMPTY_ROOT)
    bound = _committed_bound()
    ids, leaves = _pending_leaves(state.last_id, bound, batch)
    if not ids:
        return _Plan(state.size, state.last_id, [], {}, bytes(state.root))
    tiles, root = append_leaves(state.size, leaves, _tile_reader(state.size))
    return _Plan(state.size, state.last_id, ids, tiles, root)


def _plan_commit(plan: _Plan, signer: Signer | None) -> Checkpoint | None:
    """Commit plan as the next batch and checkpoint; None when the log moved since planning.

    With nothing to add and the plan's size already signed, return that checkpoint without
    taking the lock (an idle sequencer's poll never holds up publishers' transactions).
    """
    if not plan.ids:
        signed = Checkpoint.objects.filter(size=plan.size).first()
        if signed is not None:
            return signed
    with transaction.atomic():
        state = _state_lock()
        if (state.size, state.last_id) != (plan.size, plan.last_id):
            return None
        if not plan.ids:  # another sequencer may have signed this size since the check above
            signed = Checkpoint.objects.filter(size=state.size).first()
            if signed is not None:
                return signed
        _commit_durable_require()
        _tiles_write(plan.tiles)
        if plan.ids:
            LogBatch.objects.create(
                first_index=plan.size,
                entries=len(plan.ids),
                first_id=plan.ids[0],
                last_id=plan.ids[-1],
                gaps=gaps_of(plan.ids),
            )
            state.last_id = plan.ids[-1]
        state.size, state.root = plan.size + len(plan.ids), plan.root
        state.save()
        text = CheckpointBody(log_origin(), state.size, plan.root).format()
        note = sign_note(text, [signer or log_signer()]).decode("utf-8")
        return Checkpoint.objects.create(size=state.size, root=plan.root, note=note)


def _commit_durable_require() -> None:
    """Raise ImproperlyConfigured unless this connection's commits are on disk when they return.

    A checkpoint is signed, then cosigned and published, over entries that must survive a
    power cut: SQLite needs `PRAGMA synchronous` FULL or EXTRA (settings sets FULL; in WAL mode
    the sequencer's synced commit also syncs the entries committed before it), PostgreSQL any
    `synchronous_commit` but off.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW synchronous_commit")
            setting = f"synchronous_commit={cursor.fetchone()[0]}"
            durable = setting != "synchronous_commit=off"
        else:
            cursor.execute("PRAGMA synchronous")
            level = int(cursor.fetchone()[0])
            setting, durable = f"PRAGMA synchronous={level}", level >= SQLITE_SYNCHRONOUS_FULL
    if not durable:
        raise ImproperlyConfigured(
            f"log tidak menandatangani checkpoint: basis data tidak menjamin commit tersimpan di "
            f"disk ({setting}); pakai PRAGMA synchronous=FULL (SQLite) atau synchronous_commit "
            f"on (PostgreSQL) / the log signs no checkpoint: the database does not make commits "
            f"durable on disk ({setting}); use PRAGMA synchronous=FULL (SQLite) or "
            "synchronous_commit on (PostgreSQL)"
        )


def _state_lock() -> LogState:
    """Return the LogState row, locked until the transaction ends (created on first use)."""
    state, _ = LogState.objects.select_for_update().get_or_create(
        pk=1, defaults={"size": 0, "root": EMPTY_ROOT}
    )
    state.root = bytes(state.root)
    return state


def _committed_bound() -> int | None:
    """Return an id at or below which every outbox entry is committed or gone for good.

    PostgreSQL draws ids before commit, so a later id may commit first. Every outbox insert
    holds the append lock shared until its transaction ends (migration 0008's statement
    trigger, taken before any id is drawn); taking it exclusive here waits out the appends
    in flight, and ids drawn afterwards are higher than the max(id) read now. Waits at most
    TERBUKA_LOG_LOCK_TIMEOUT, then returns 0 (sequence nothing this time). SQLite writers are
    serial (IMMEDIATE transactions), so there the bound is None: every visible id is final.
    """
    if connection.vendor != "postgresql":
        return None
    timeout_ms = int(float(settings.TERBUKA["LOG_LOCK_TIMEOUT"]) * 1000)
    table = connection.ops.quote_name(LogEntry._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {timeout_ms}")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            return int(cursor.fetchone()[0])
    except OperationalError:  # lock_timeout: a long transaction is still appending
        return 0


def _pending_leaves(last_id: int, bound: int | None, batch: int) -> tuple[list[int], list[bytes]]:
    """Return the ids and RFC 6962 leaf hashes of the first `batch` entries after last_id.

    SQLite: the data is read and hashed here. PostgreSQL (ids up to bound): the server
    hashes each row's data, sha256('\\x00' || data) (RFC 6962 §2.1), and sends only the
    32-byte hashes, in binary.
    """
    table = connection.ops.quote_name(LogEntry._meta.db_table)
    if bound is None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, data FROM {table} WHERE id > %s ORDER BY id LIMIT %s",
                [last_id, batch],
            )
            rows = cursor.fetchall()
        return [int(row[0]) for row in rows], leaf_hashes([bytes(row[1]) for row in rows])
    rows = _fetch_binary(
        f"SELECT id, sha256('\\x00'::bytea || data) FROM {table} "
        "WHERE id > %s AND id <= %s ORDER BY id LIMIT %s",
        [last_id, bound, batch],
    )
    return [int(row[0]) for row in rows], [bytes(row[1]) for row in rows]


def _fetch_binary(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run sql on PostgreSQL with binary results: bytea arrives as raw bytes, not hex text.

    Django's psycopg cursor binds client-side, which cannot ask for binary results; this
    cursor (common.bulk.bound_cursor) shares the same connection, hence the same transaction.
    """
    with bound_cursor() as raw:
        raw.execute(sql, params, binary=True)
        return raw.fetchall()


def _tile_reader(size: int) -> Callable[[TileRef], bytes]:
    """Return read_tile for append_leaves: the stored tile's first width hashes.

    Raises LookupError when the tile is missing or narrower than asked (a corrupt store).
    """

    def read_tile(ref: TileRef) -> bytes:
        row = Tile.objects.filter(level=ref.level, index=ref.index).values_list("data").first()
        data = bytes(row[0]) if row else b""
        if len(data) < ref.width * HASH_SIZE:
            raise LookupError(f"tile {tile_path(ref)} missing at log size {size}")
        return data[: ref.width * HASH_SIZE]

    return read_tile


def _tiles_write(tiles: dict[TileRef, bytes]) -> None:
    """Store each new tile version, replacing the narrower partial version of the same tile."""
    Tile.objects.bulk_create(
        [
            Tile(level=ref.level, index=ref.index, width=ref.width, data=data)
            for ref, data in tiles.items()
        ],
        update_conflicts=True,
        unique_fields=["level", "index"],
        update_fields=["width", "data"],
    )


def log_export(*, directory: Path) -> Checkpoint:
    """Write the log as static files for a mirror or CDN: DIR/tile/... then DIR/checkpoint.

    The layout is C2SP tlog-tiles', for the latest checkpoint's size. Each file is written to
    a temporary name and renamed, and the checkpoint goes last, so a reader never sees a
    checkpoint whose tiles are missing. Full tiles already present are skipped (immutable).
    Raises LookupError when nothing has been sequenced yet.
    """
    checkpoint = checkpoint_latest()
    if checkpoint is None:
        raise LookupError("log belum pernah diurutkan / the log has never been sequenced")
    refs = tiles_for_size(checkpoint.size) + bundles_for_size(checkpoint.size)
    for ref in refs:
        target = directory / tile_path(ref)
        if ref.width == TILE_WIDTH and target.exists():
            continue
        data = tile_read(ref)
        if data is None:
            raise LookupError(f"tile {tile_path(ref)} hilang / missing")
        _file_write_atomic(target, data)
    _file_write_atomic(directory / "checkpoint", checkpoint_note(checkpoint).encode("utf-8"))
    return checkpoint


def _file_write_atomic(target: Path, data: bytes) -> None:
    """Write data to target through a temporary file in the same directory and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _consistency_proof(size: int, old_size: int) -> list[bytes]:
    """Return the consistency proof from old_size to size, read from the stored tiles."""
    if old_size in (0, size):
        return []
    return prove_consistency(size, old_size, TileHashReader(size, lambda r: tile_read(r) or b""))


def _witness_ask(witness: WitnessConfig, checkpoint: Checkpoint) -> Signature:
    """Ask one witness to cosign checkpoint; on 409 retry once from the size it reports.

    Returns the verified cosignature. Raises TerbukaError (UnavailableError, ValidationError,
    MalformedError) saying why the witness did not cosign.
    """
    status = WitnessStatus.objects.filter(witness=witness.name).first()
    old_size = status.last_size if status and status.last_size <= checkpoint.size else 0
    note = checkpoint.note.encode()
    for _attempt in range(2):
        request = AddCheckpointRequest(
            old_size, tuple(_consistency_proof(checkpoint.size, old_size)), note
        )
        answer = witness_post(witness, request)
        if answer.status == 200:
            return cosignature_from_answer(witness, parse_note(note).text, answer.body)
        if answer.status != 409 or answer.content_type != SIZE_CONTENT_TYPE:
            break
        old_size = parse_size_body(answer.body)
        if old_size > checkpoint.size:
            break
    reason = f"HTTP {answer.status} {answer.body.decode(errors='replace').strip()[:300]}"
    raise ValidationError(
        f"saksi {witness.name} menolak checkpoint {checkpoint.size}: {reason}",
        f"witness {witness.name} refused checkpoint {checkpoint.size}: {reason}",
        where=witness.name,
    )


def checkpoint_collect_cosignatures(*, checkpoint: Checkpoint) -> list[WitnessCosignature]:
    """Ask every configured witness to cosign checkpoint; store and serve what they return.

    Witnesses are asked outside any transaction (C2SP tlog-witness add-checkpoint, with a
    consistency proof from the size each last cosigned; a 409 is retried once from the size
    the witness reports). Each cosignature is verified and stored with its timestamp in one
    transaction (selectors.checkpoint_note serves it); a witness that is unreachable or refuses
    is recorded in WitnessStatus.last_error. Returns the cosignatures stored by this call.
    """
    done = set(checkpoint.cosignatures.values_list("witness", flat=True))
    results: list[tuple[WitnessConfig, Signature | None, str]] = []
    for witness in witnesses_configured():
        if witness.name in done:
            continue
        try:
            results.append((witness, _witness_ask(witness, checkpoint), ""))
        except TerbukaError as exc:
            results.append((witness, None, f"{exc.message_id} / {exc.message_en}"))
    return _cosignatures_store(checkpoint, results) if results else []


@transaction.atomic
def _cosignatures_store(
    checkpoint: Checkpoint, results: list[tuple[WitnessConfig, Signature | None, str]]
) -> list[WitnessCosignature]:
    """Store cosignatures and the witness statuses that changed (the served note appends the
    cosignatures: checkpoint_note), with one audit event when anything changed.

    A witness that fails again with the same error changes nothing, so a sequencer polling a
    witness that is down writes no row per round.
    """
    locked = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    now = timezone.now()
    stored: list[WitnessCosignature] = []
    changed = False
    for witness, signature, error in results:
        status, created = WitnessStatus.objects.get_or_create(witness=witness.name)
        if signature is None and not created and status.last_error == error:
            continue
        changed = True
        status.contacted_at, status.last_error = now, error
        if signature is not None:
            status.last_size = max(status.last_size, locked.size)
            seconds = signature_timestamp(signature.signature)
            stored.append(
                WitnessCosignature.objects.create(
                    checkpoint=locked,
                    witness=witness.name,
                    group=witness.group,
                    line=signature.line(),
                    cosigned_at=dt.datetime.fromtimestamp(seconds, tz=dt.UTC),
                )
            )
        status.save()
    if changed:
        audit_record(
            actor=None,
            action="transparency:checkpoint:cosign",
            target=f"checkpoint {locked.size}",
            data={
                "cosigned": [c.witness for c in stored],
                "refused": [w.name for w, s, _ in results if s is None],
            },
        )
    return stored


def entry_append_many(*, kind: str, entries: Sequence[tuple[str, bytes]]) -> int:
    """Append many pending entries (ref, canonical bytes) in bulk, inside the caller's transaction.

    For importers and the append bench that already hold canonical JSON (terbuka.canonical):
    COPY on PostgreSQL, one executemany on SQLite. Returns the number appended. Raises
    ValidationError outside an atomic block or for an entry over 65535 bytes (nothing written).
    """
    _transaction_require()
    for ref, data in entries:
        _size_check(ref, data)
    now = timezone.now()
    table = connection.ops.quote_name(LogEntry._meta.db_table)
    if connection.vendor == "postgresql":
        rows = ((kind, ref, data, now) for ref, data in entries)
        rows_copy(table, "kind, ref, data, created_at", rows, binary=True)
        return len(entries)
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (kind, ref, data, created_at) VALUES (%s, %s, %s, %s)",
            [(kind, ref, data, stamp) for ref, data in entries],
        )
    return len(entries)


def checkpoint_anchor(*, checkpoint: Checkpoint) -> dict[str, Any] | None:
    """Anchor checkpoint's {origin, size, root} on Hive as a custom_json, when configured.

    Off by default: returns None unless TERBUKA_ANCHOR_NODES is set. Then signs with the
    posting key in TERBUKA_ANCHOR_KEY_FILE (0600) for TERBUKA_ANCHOR_ACCOUNT, broadcasts,
    records an audit event and returns the node's answer. Raises ImproperlyConfigured for
    a missing account or key file, ImportError without the `anchor` extra (hive-nectar).
    """
    config = settings.TERBUKA
    nodes = [n.strip() for n in str(config.get("ANCHOR_NODES", "")).split(",") if n.strip()]
    if not nodes:
        return None
    if not config.get("ANCHOR_ACCOUNT") or not config.get("ANCHOR_KEY_FILE"):
        raise ImproperlyConfigured(
            "penjangkaran butuh TERBUKA_ANCHOR_ACCOUNT dan TERBUKA_ANCHOR_KEY_FILE / "
            "anchoring needs TERBUKA_ANCHOR_ACCOUNT and TERBUKA_ANCHOR_KEY_FILE"
        )
    wif = read_secret_file(Path(config["ANCHOR_KEY_FILE"]), where="TERBUKA_ANCHOR_KEY_FILE")
    body = CheckpointBody.parse(parse_note(checkpoint.note).text)
    payload = AnchorPayload(body.origin, body.size, body.root)
    answer = anchor_broadcast(payload, account=config["ANCHOR_ACCOUNT"], wif=wif, nodes=nodes)
    with transaction.atomic():
        audit_record(
            actor=None,
            action="transparency:checkpoint:anchor",
            target=f"checkpoint {body.size}",
            data={"payload": payload.format(), "answer": str(answer)[:500]},
        )
    return answer
