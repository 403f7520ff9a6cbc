"""Measure durable batch append to the transparency log: outbox insert + sequence, committed.

Each batch of 256-byte entries is inserted into the outbox in one transaction
(entry_append_many: COPY on PostgreSQL, executemany on SQLite) and sequenced
(log_sequence: one batch row, leaf hashes, tiles, signed checkpoint) in another. Two runs:
serial (insert, then sequence, in one process; the time covers both commits) and pipelined
(a separate sequencer process integrates while this one inserts, as the background worker
does in production; the time runs until a checkpoint covers every entry).
The peer, pymerkle 7's SqliteTree, appends the same entries with its bulk append_entries
and computes the root (what a checkpoint needs) in the same run, once before and once after
ours; ratios are against the mean of its two runs. Like with like: both sides sync each commit
to disk (SQLite synchronous=FULL, as Terbuka's settings configure it and pymerkle's default;
the run stops if they differ; PostgreSQL synchronous_commit=on), reported as "durability".
RSS is printed after every batch, and a last untimed pass under tracemalloc prints the live
Python heap after each batch: it must stay flat as the log grows. CPU time is reported
beside wall time (this process, plus the PostgreSQL backend's when it runs on this host), so a
loaded machine's figures can be read for what the code costs.

Usage: python bench/log_append.py [--batches 5] [--batch 100000] [--db sqlite,postgresql]
PostgreSQL: TERBUKA_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/terbuka_pipeline);
its transparency tables are emptied before and after (also on failure), and the temporary
directory of the SQLite runs is removed. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
ENTRY_SIZE = 256
PG_URL = os.environ.get(
    "TERBUKA_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/terbuka_pipeline"
)


def entries(start: int, count: int) -> list[bytes]:
    """Return count canonical-JSON entries of exactly 256 bytes, numbered from start."""
    head = b'{"kind":"bench","n":%012d,"pad":"'
    pad = b"x" * (ENTRY_SIZE - len(head % 0) - 2)
    return [head % n + pad + b'"}' for n in range(start, start + count)]


def entry_refs(b: int, batch: int) -> list[tuple[str, bytes]]:
    """Return batch number b's (ref, entry) pairs for entry_append_many."""
    return [(f"bench-{b * batch + i}", d) for i, d in enumerate(entries(b * batch, batch))]


def rss_mib() -> float:
    """Return this process's resident set size in MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(backend_pid: int | None) -> float:
    """Return this process's CPU seconds, plus the local PostgreSQL backend's (Linux /proc)."""
    total = time.process_time()
    stat = Path(f"/proc/{backend_pid}/stat") if backend_pid else None
    if stat is not None and stat.exists():
        fields = stat.read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def child(db: str, batches: int, batch: int) -> dict[str, Any]:
    """Run the Terbuka log append in this process against db, serial then pipelined.

    The temporary directory (the SQLite file, the log key) is removed and the PostgreSQL log
    tables are emptied afterwards, also when a run fails.
    """
    tmp = Path(tempfile.mkdtemp(prefix="terbuka-bench-"))
    try:
        os.environ["DATABASE_URL"] = PG_URL if db == "postgresql" else f"sqlite:///{tmp / 'b.db'}"
        os.environ["TERBUKA_DATA_DIR"] = str(tmp)
        os.environ["TERBUKA_DEBUG"] = "0"  # production settings: DEBUG's query log grows RSS
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terbuka_web.config.settings")
        from terbuka.tlog.note import generate_key

        os.environ["TERBUKA_LOG_KEY"] = generate_key("bench.terbuka.example/log")[0]
        os.environ["TERBUKA_LOG_ORIGIN"] = "bench.terbuka.example/log"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        try:
            figures = {**serial(db, batches, batch), "pipelined": pipelined(db, batches, batch)}
            return {**figures, "heap_mib": heap_traced(db, batches, batch)}
        finally:
            log_empty()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def durability() -> str:
    """Return how this connection commits: `synchronous=N` (SQLite: 2 FULL, each commit synced
    to disk) or `synchronous_commit=on` (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW synchronous_commit")
            return f"synchronous_commit={cursor.fetchone()[0]}"
        cursor.execute("PRAGMA synchronous")
        return f"synchronous={cursor.fetchone()[0]}"


def heap_traced(db: str, batches: int, batch: int) -> list[float]:
    """Append and sequence again under tracemalloc (untimed); return the live Python heap in
    MiB after each batch, once its entries are dropped: flat means nothing grows with the log
    (RSS also holds the allocator's and SQLite's free pages)."""
    import gc
    import tracemalloc

    from django.db import transaction

    from terbuka_web.transparency.services import entry_append_many, log_sequence

    log_empty()
    heap = []
    tracemalloc.start()
    for b in range(batches):
        refs = entry_refs(b, batch)
        with transaction.atomic():
            entry_append_many(kind="bench", entries=refs)
        del refs
        log_sequence(batch_size=batch)
        gc.collect()
        heap.append(round(tracemalloc.get_traced_memory()[0] / 2**20, 2))
    tracemalloc.stop()
    print(f"  {db}: traced Python heap after each batch: {heap} MiB", file=sys.stderr)
    return heap


def log_empty() -> None:
    """Empty the transparency log's tables (outside any timing).

    PostgreSQL truncates: deleting would leave every earlier run's rows as dead tuples that
    the next run's inserts wade through (production never deletes a log entry).
    """
    from django.db import connection

    from terbuka_web.transparency.models import (
        Checkpoint,
        LogBatch,
        LogEntry,
        LogState,
        Tile,
        WitnessCosignature,
    )

    models = (WitnessCosignature, LogBatch, LogEntry, Tile, Checkpoint, LogState)
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables}")
        return
    for model in models:
        model.objects.all().delete()


def serial(db: str, batches: int, batch: int) -> dict[str, Any]:
    """Insert a batch and sequence it, one after the other; return the figures."""
    from django.db import connection, transaction

    from terbuka_web.transparency.services import entry_append_many, log_sequence

    log_empty()
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = int(cursor.fetchone()[0])
    rates, rss, insert_s, sequence_s, cpu = [], [], 0.0, 0.0, 0.0
    for b in range(batches):
        refs = entry_refs(b, batch)
        c0, t0 = cpu_s(backend), time.perf_counter()
        with transaction.atomic():
            entry_append_many(kind="bench", entries=refs)
        t1 = time.perf_counter()
        checkpoint = log_sequence(batch_size=batch)
        t2, c2 = time.perf_counter(), cpu_s(backend)
        assert checkpoint.size == (b + 1) * batch
        insert_s, sequence_s, cpu = insert_s + t1 - t0, sequence_s + t2 - t1, cpu + c2 - c0
        rates.append(batch / (t2 - t0))
        rss.append(rss_mib())
        print(
            f"  {db}: batch {b + 1}: size {checkpoint.size}, {rates[-1]:,.0f} entries/s "
            f"(insert {t1 - t0:.2f}s, sequence {t2 - t1:.2f}s; CPU {c2 - c0:.2f}s), "
            f"RSS {rss[-1]:.0f} MiB",
            file=sys.stderr,
        )
    total = batches * batch
    return {
        "db": connection.vendor,
        "durability": durability(),
        "entries": total,
        "entries_per_s": total / (insert_s + sequence_s),
        "insert_per_s": total / insert_s,
        "sequence_per_s": total / sequence_s,
        "cpu_s": round(cpu, 2),
        "entries_per_cpu_s": total / cpu,
        "cpu_includes_pg_backend": backend is not None and Path(f"/proc/{backend}").exists(),
        "batch_rates": [round(r) for r in rates],
        "rss_mib": [round(r, 1) for r in rss],
    }


def pipelined(db: str, batches: int, batch: int) -> dict[str, Any]:
    """Insert batches while a separate sequencer process integrates them, as in production.

    The sequencer (`--sequencer-for`) starts first and says "ready"; the clock runs from the
    first insert until it has signed a checkpoint covering every entry.
    """
    from django.db import transaction

    from terbuka_web.transparency.services import entry_append_many

    log_empty()
    total = batches * batch
    sequencer = subprocess.Popen(
        [sys.executable, __file__, "--sequencer-for", str(total), "--batch", str(batch)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sequencer.stdout is not None and sequencer.stdout.readline().strip() == "ready"
    work = [entry_refs(b, batch) for b in range(batches)]  # made before the clock starts
    c0, t0 = time.process_time(), time.perf_counter()
    for refs in work:
        with transaction.atomic():
            entry_append_many(kind="bench", entries=refs)
    written = time.perf_counter() - t0
    figures = json.loads(sequencer.stdout.read())
    sequencer.wait()
    wall = time.perf_counter() - t0
    print(
        f"  {db}: pipelined: {total / wall:,.0f} entries/s ({total} in {wall:.2f}s; "
        f"inserts done at {written:.2f}s; sequencer CPU {figures['cpu_s']}s)",
        file=sys.stderr,
    )
    return {
        "entries_per_s": total / wall,
        "writer_cpu_s": round(time.process_time() - c0, 2),
        "sequencer_cpu_s": figures["cpu_s"],
        "checkpoints": figures["checkpoints"],
    }


def sequencer_run(total: int, batch: int) -> None:
    """Sequence until the log holds total entries; print ready, then a JSON line of figures."""
    import django

    django.setup()
    from terbuka_web.transparency.services import log_sequence

    print("ready", flush=True)
    c0, size, checkpoints = time.process_time(), 0, 0
    while size < total:
        checkpoint = log_sequence(batch_size=batch)
        if checkpoint.size == size:
            time.sleep(0.005)
            continue
        size, checkpoints = checkpoint.size, checkpoints + 1
    print(json.dumps({"cpu_s": round(time.process_time() - c0, 2), "checkpoints": checkpoints}))


def pymerkle_peer(batches: int, batch: int) -> dict[str, Any]:
    """Append the same entries to pymerkle's SqliteTree (bulk) and compute the root per batch."""
    from pymerkle import SqliteTree

    with tempfile.TemporaryDirectory() as tmp:
        tree = SqliteTree(str(Path(tmp) / "pymerkle.db"))
        append_s = root_s = cpu = 0.0
        for b in range(batches):
            data = entries(b * batch, batch)
            c0, t0 = time.process_time(), time.perf_counter()
            tree.append_entries(data)
            t1 = time.perf_counter()
            tree.get_root()
            t2, c2 = time.perf_counter(), time.process_time()
            append_s, root_s, cpu = append_s + t1 - t0, root_s + t2 - t1, cpu + c2 - c0
            print(
                f"  pymerkle: batch {b + 1}: {batch / (t2 - t0):,.0f} entries/s "
                f"(append {t1 - t0:.2f}s, root {t2 - t1:.2f}s), RSS {rss_mib():.0f} MiB",
                file=sys.stderr,
            )
        synchronous = tree.con.execute("PRAGMA synchronous").fetchone()
        tree.close()
    total = batches * batch
    return {
        "durability": f"synchronous={synchronous}",  # the row factory returns the value
        "entries": total,
        "entries_per_s": total / (append_s + root_s),
        "append_only_per_s": total / append_s,
        "cpu_s": round(cpu, 2),
        "entries_per_cpu_s": total / cpu,
    }


def main() -> None:
    """Run every database in its own process, then the peer; print figures and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--sequencer-for", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sequencer_for:
        sequencer_run(args.sequencer_for, args.batch)
        return
    if args.child:
        print(json.dumps(child(args.child, args.batches, args.batch)))
        return
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    before = pymerkle_peer(args.batches, args.batch)  # the peer runs before and after us:
    results: dict[str, Any] = {}  # a shared host's speed drifts, the mean brackets our runs
    for db in args.db.split(","):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                db,
                "--batches",
                str(args.batches),
                "--batch",
                str(args.batch),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        sys.stderr.write(out.stderr)
        results[db] = json.loads(out.stdout.strip().splitlines()[-1])
    after = pymerkle_peer(args.batches, args.batch)
    like = {results[db]["durability"] for db in results if db == "sqlite"} | {
        run["durability"] for run in (before, after)
    }
    assert len(like) == 1, f"SQLite commits are not synced as pymerkle's are: {like}"
    peer = {
        "entries_per_s": (before["entries_per_s"] + after["entries_per_s"]) / 2,
        "entries_per_cpu_s": (before["entries_per_cpu_s"] + after["entries_per_cpu_s"]) / 2,
        "runs": [before, after],
    }
    print(f"{'':22}{'entries/s':>12}{'vs pymerkle':>13}{'per CPU s':>12}  RSS MiB per batch")
    for db, r in results.items():
        r["ratio_vs_pymerkle"] = round(r["entries_per_s"] / peer["entries_per_s"], 2)
        piped = r["pipelined"]
        piped["ratio_vs_pymerkle"] = round(piped["entries_per_s"] / peer["entries_per_s"], 2)
        print(
            f"{db + ' serial':22}{r['entries_per_s']:>12,.0f}{r['ratio_vs_pymerkle']:>12}x"
            f"{r['entries_per_cpu_s']:>12,.0f}  {r['rss_mib']}"
        )
        print(
            f"{db + ' pipelined':22}{piped['entries_per_s']:>12,.0f}"
            f"{piped['ratio_vs_pymerkle']:>12}x"
        )
    print(
        f"{'pymerkle':22}{peer['entries_per_s']:>12,.0f}{1:>12}x{peer['entries_per_cpu_s']:>12,.0f}"
    )
    print(
        json.dumps(
            {
                "bench": "log_append",
                "entry_bytes": ENTRY_SIZE,
                "batch": args.batch,
                "load_average": [round(x, 2) for x in os.getloadavg()],
                **results,
                "pymerkle": peer,
            }
        )
    )


if __name__ == "__main__":
    main()
