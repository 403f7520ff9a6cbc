"""Check the sequencer: gapless indices in id order, tiles equal to a from-scratch tree."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from pytest_django.fixtures import Settings
from tlog_scales.signing import DummySigner
from tlog_scales.writer import TilesWriter

from terbuka.tlog.checkpoint import Checkpoint as CheckpointBody
from terbuka.tlog.hashing import EMPTY_ROOT, leaf_hash
from terbuka.tlog.note import Verifier, generate_key, open_note
from terbuka.tlog.tiles import (
    MAX_ENTRY_SIZE,
    append_leaves,
    bundles_for_size,
    parse_entry_bundle,
    tile_path,
    tiles_for_size,
)
from terbuka.tlog.tree import root_from_leaf_hashes
from terbuka_web.transparency import keys, services
from terbuka_web.transparency.models import Checkpoint, LogBatch, LogEntry, Tile
from terbuka_web.transparency.selectors import (
    entries_pending,
    entry_id_at,
    entry_index_for,
    entry_index_of,
    tile_read,
)
from terbuka_web.transparency.services import (
    entry_append,
    entry_append_many,
    log_export,
    log_sequence,
)

Publish = Callable[[int], list[LogEntry]]

pytestmark = pytest.mark.django_db


def body(checkpoint: Checkpoint, verifier: Verifier) -> CheckpointBody:
    """Return the checkpoint's body after checking its signature."""
    return CheckpointBody.parse(open_note(checkpoint.note.encode(), [verifier]).text)


def test_sequencing_assigns_gapless_indices_in_id_order_across_batches(
    log_verifier: Verifier, publish: Publish
) -> None:
    publish(300)
    first = log_sequence(batch_size=256)
    publish(250)
    sizes = [first.size] + [log_sequence(batch_size=256).size for _ in range(3)]
    assert sizes == [256, 512, 550, 550]
    rows = list(LogEntry.objects.order_by("id").values_list("id", "data"))
    assert [entry_index_of(entry_id) for entry_id, _ in rows] == list(range(550))
    assert [entry_id_at(index) for index in range(551)] == [i for i, _ in rows] + [None]
    assert LogBatch.objects.count() == 3 and not entries_pending()
    latest = body(Checkpoint.objects.latest(), log_verifier)
    assert latest.origin == log_verifier.name
    assert latest.size == 550
    assert latest.root == root_from_leaf_hashes([leaf_hash(bytes(d)) for _, d in rows])
    assert Checkpoint.objects.count() == 3  # nothing pending: no new signature


def test_empty_log_signs_the_empty_tree_once(log_verifier: Verifier) -> None:
    checkpoint = log_sequence()
    assert (body(checkpoint, log_verifier).size, bytes(checkpoint.root)) == (0, EMPTY_ROOT)
    assert log_sequence().pk == checkpoint.pk


def test_stored_tiles_equal_tiles_computed_from_scratch(log_verifier: Verifier) -> None:
    start = 0
    for n in (1, 255, 2, 700, 66000 - 958):  # crosses full tiles at levels 0 and 1
        LogEntry.objects.bulk_create(
            LogEntry(kind="t", ref=f"r{k}", data=b"%d" % k) for k in range(start, start + n)
        )
        start += n
        while log_sequence(batch_size=20000).size < start:
            pass
    datas = [bytes(d) for d in LogEntry.objects.order_by("id").values_list("data", flat=True)]
    assert datas == [b"%d" % k for k in range(66000)]
    expected, root = append_leaves(0, [leaf_hash(d) for d in datas], lambda r: b"")
    stored = {(t.level, t.index, t.width): bytes(t.data) for t in Tile.objects.all()}
    assert stored == {(r.level, r.index, r.width): data for r, data in expected.items()}
    assert body(Checkpoint.objects.latest(), log_verifier).root == root
    assert {(r.level, r.width) for r in expected} >= {(0, 256), (1, 256), (2, 1)}


def test_export_matches_tlog_scales_byte_for_byte(
    log_verifier: Verifier, publish: Publish, tmp_path: Path
) -> None:
    peer = TilesWriter.create(tmp_path / "peer", log_verifier.name)
    for n in (3, 600, 1):
        entries = publish(n)
        log_sequence()
        for entry in entries:
            peer.add_leaf(bytes(entry.data))
        peer.commit([DummySigner()], gc=False)
        checkpoint = log_export(directory=tmp_path / "out")
    size = 604
    assert (tmp_path / "out" / "checkpoint").read_text() == checkpoint.note
    for ref in tiles_for_size(size) + bundles_for_size(size):
        path = tile_path(ref)
        assert (tmp_path / "out" / path).read_bytes() == (tmp_path / "peer" / path).read_bytes()
        assert tile_read(ref) == (tmp_path / "out" / path).read_bytes()
    assert (tmp_path / "out" / "tile/0/000.p/3").exists()  # older partials stay for old readers
    assert not list((tmp_path / "out").rglob(".*"))  # no temporary files left


def test_export_refuses_an_unsequenced_log(log_verifier: Verifier, tmp_path: Path) -> None:
    with pytest.raises(LookupError):
        log_export(directory=tmp_path)
    assert not tmp_path.joinpath("checkpoint").exists()


def test_entry_index_for_names_the_latest_sequenced_entry(
    log_verifier: Verifier, publish: Publish
) -> None:
    publish(3)
    assert entry_index_for("r1") is None  # pending
    log_sequence()
    assert entry_index_for("r1") == 1
    assert entry_index_for("nothing") is None


def test_entry_index_for_a_kind_skips_later_entries_of_other_kinds(log_verifier: Verifier) -> None:
    with transaction.atomic():
        entry_append(kind="ocds.release", ref="ocds-x-1", payload={"release": {"id": "1"}})
        entry_append(kind="document.sha256", ref="ocds-x-1", payload={"sha256": "0" * 64})
    log_sequence()
    assert entry_index_for("ocds-x-1") == 1
    assert entry_index_for("ocds-x-1", kind="ocds.release") == 0
    assert entry_index_for("ocds-x-1", kind="award") is None


def test_log_key_is_generated_0600_only_in_debug(settings: Settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    off = {"LOG_KEY": "", "LOG_KEY_FILE": "", "LOG_KEY_GENERATE": False}
    settings.TERBUKA = {**settings.TERBUKA, **off}
    with pytest.raises(ImproperlyConfigured, match="TERBUKA_LOG_KEY"):
        keys.log_signer()
    assert not (tmp_path / "log.key").exists()
    settings.TERBUKA = {**settings.TERBUKA, "LOG_KEY_GENERATE": True}
    signer = keys.log_signer()
    assert stat.S_IMODE(os.stat(tmp_path / "log.key").st_mode) == 0o600
    assert signer.name == settings.TERBUKA["LOG_ORIGIN"]
    assert keys.log_signer().vkey == signer.vkey  # read back, not regenerated


def test_log_key_file_must_be_0600(settings: Settings, tmp_path: Path) -> None:
    key_file = tmp_path / "k"
    key_file.write_text(generate_key(settings.TERBUKA["LOG_ORIGIN"])[0])
    key_file.chmod(0o644)
    settings.TERBUKA = {**settings.TERBUKA, "LOG_KEY": "", "LOG_KEY_FILE": str(key_file)}
    with pytest.raises(ImproperlyConfigured, match="0600"):
        keys.log_signer()
    key_file.chmod(0o600)
    assert keys.log_signer().name == settings.TERBUKA["LOG_ORIGIN"]


def test_log_key_for_another_origin_is_refused(log_verifier: Verifier, settings: Settings) -> None:
    settings.TERBUKA = {**settings.TERBUKA, "LOG_KEY": generate_key("other.example/log")[0]}
    with pytest.raises(ImproperlyConfigured, match="origin"):
        keys.log_signer()


def test_ids_missing_from_a_batch_are_skipped_by_indices_and_bundles(
    log_verifier: Verifier,
) -> None:
    ids = [3, 4, 9, 10, 11, 40, *range(100, 400), 1000]  # holes: ids of rolled-back appends
    LogEntry.objects.bulk_create(LogEntry(id=i, kind="t", ref=f"r{i}", data=b"%d" % i) for i in ids)
    for batch in (2, 3, 1, 200, 500):  # bundle 0 spans five batches
        log_sequence(batch_size=batch)
    assert [entry_index_of(i) for i in ids] == list(range(len(ids)))
    assert [entry_id_at(k) for k in range(len(ids) + 1)] == [*ids, None]
    assert entry_index_of(5) is None  # between batches, never appended
    assert entry_index_for("r40") == 5
    bundle = tile_read(bundles_for_size(len(ids))[0])
    assert bundle is not None
    assert parse_entry_bundle(bundle) == [b"%d" % i for i in ids[:256]]
    latest = body(Checkpoint.objects.latest(), log_verifier)
    assert latest.root == root_from_leaf_hashes([leaf_hash(b"%d" % i) for i in ids])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite writers are serial: no append in flight"
)
def test_sequencer_never_passes_an_append_still_in_flight(
    log_verifier: Verifier, settings: Settings
) -> None:
    """PostgreSQL draws a lower id for an open transaction that commits after a higher one."""
    settings.TERBUKA = {**settings.TERBUKA, "LOG_LOCK_TIMEOUT": 0.3}
    appended, finish = threading.Event(), threading.Event()

    def slow_publisher() -> None:
        with transaction.atomic():
            entry_append(kind="t", ref="early", payload={"n": 1})
            appended.set()
            finish.wait(30)
        connection.close()

    thread = threading.Thread(target=slow_publisher)
    thread.start()
    try:
        assert appended.wait(30)
        with transaction.atomic():
            entry_append(kind="t", ref="late", payload={"n": 2})
        assert log_sequence().size == 0  # waited 0.3 s, integrated nothing ahead of "early"
    finally:
        finish.set()
        thread.join()
    assert log_sequence().size == 2
    assert (entry_index_for("early"), entry_index_for("late")) == (0, 1)


def test_a_plan_made_before_another_sequencer_moved_the_log_is_discarded(
    log_verifier: Verifier, publish: Publish
) -> None:
    publish(5)
    stale = services._plan(3)  # planned on size 0 …
    moved = log_sequence(batch_size=2)  # … while another sequencer commits
    assert services._plan_commit(stale, None) is None
    assert (Checkpoint.objects.latest().pk, LogBatch.objects.count()) == (moved.pk, 1)
    assert log_sequence().size == 5
    assert [entry_index_for(f"r{k}") for k in range(5)] == list(range(5))


def test_the_largest_entry_accepted_is_served_in_its_bundle(log_verifier: Verifier) -> None:
    with transaction.atomic():
        entry_append_many(kind="t", entries=[("max", b"x" * MAX_ENTRY_SIZE)])
    log_sequence()
    bundle = tile_read(bundles_for_size(1)[0])
    assert bundle is not None and parse_entry_bundle(bundle) == [b"x" * 0xFFFF]


def durability_setting() -> str:
    """Return how the sequencer's connection commits: SQLite's synchronous level or PostgreSQL's
    synchronous_commit."""
    query = "SHOW synchronous_commit" if connection.vendor == "postgresql" else "PRAGMA synchronous"
    with connection.cursor() as cursor:
        cursor.execute(query)
        return str(cursor.fetchone()[0])


def test_the_log_commits_are_durable_before_a_checkpoint_is_signed(
    log_verifier: Verifier, publish: Publish
) -> None:
    publish(2)
    log_sequence()  # the connection log_sequence signs with
    # SQLite FULL (2) or EXTRA (3), not NORMAL (1): in WAL mode a power cut may roll back a
    # NORMAL commit. PostgreSQL: anything but off.
    assert durability_setting() in {"2", "3", "on", "local", "remote_write", "remote_apply"}


@pytest.mark.django_db(transaction=True)
def test_a_connection_whose_commits_may_be_lost_signs_nothing(
    log_verifier: Verifier, publish: Publish
) -> None:
    publish(2)
    lossy, configured = (
        ("SET synchronous_commit = off", "RESET synchronous_commit")
        if connection.vendor == "postgresql"
        else ("PRAGMA synchronous=NORMAL", "PRAGMA synchronous=FULL")  # not inside a transaction
    )
    with connection.cursor() as cursor:
        cursor.execute(lossy)
    try:
        with pytest.raises(ImproperlyConfigured, match="durable on disk"):
            log_sequence()
        assert Checkpoint.objects.count() == 0 and entries_pending()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(configured)
