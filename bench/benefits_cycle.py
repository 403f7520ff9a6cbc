"""Measure one benefits disbursement cycle over a large registry, on SQLite and PostgreSQL.

Seeds a synthetic registry across Bojonegoro's villages (valid-format NIKs that belong to
nobody, stored as keyed hashes; sealed fictional names; a realistic mix of deciles, household
sizes, disability, elderly, 2 % deceased, 0.1 % duplicated NIKs) with bulk statements (COPY
on PostgreSQL), and a programme whose CEL rules read decile, household, flags and region:
the demo's cash rule widened by a flood zone. Then, at each size (ascending, the registry
topped up between them), it times one full cycle_run: snapshot and evaluation of every
registrant, fund check, a credit of each entitlement on the ledger (a posting per 10,000
credits, a leg each), one benefit.credit log entry per credit and one benefit.village_total
per village. After each cycle, untimed, it verifies
the cycle: the ledger's balances sum to zero with none negative, the fund fell by what the
items hold, and the log's entries recomputed (terbuka.registry.cycles.cycle_totals) equal
the logged village totals and the cycle's figures. Each run reports wall seconds, the cycle
process's CPU seconds (cpu_s) and, on PostgreSQL, its backend's (server_cpu_s, read from /proc
when the server runs on this machine), with the load average: on a shared machine the CPU
figures compare between runs, the wall clock does not. Memory: the child's peak RSS during each
timed cycle (the high-water mark is reset before it; seeding runs in its own process), and at
sizes up to --trace-max a second cycle under tracemalloc whose peak Python heap must not grow
with the registry.
Target: 1,000,000 registrants in < 60 s; OpenSPP's published target is 10M per hour
(2,778/s), reported as a ratio. Peer in the same run: plain cel-python, both expressions
evaluated per registrant (no memo, no database), the interpreter's own rate.

Usage: python bench/benefits_cycle.py [--sizes 100000,300000,1000000] [--db sqlite,postgresql]
    [--trace-max 300000]
PostgreSQL: TERBUKA_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/terbuka_benefits);
its benefits, ledger and transparency tables are emptied before and after (also on failure);
the SQLite runs' temporary directory is removed. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "TERBUKA_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/terbuka_benefits"
)
OPENSPP_PER_S = 10_000_000 / 3600
SLUG = "bench-blt"
TODAY = dt.date(2027, 1, 15)
RULES = {
    "eligibility": "desil <= p.max_desil || (desil <= p.flood_desil && "
    'disaster_zones.exists(z, region.startsWith(z + ".")))',
    "entitlement": "p.base + (household > 4 ? p.per_member * (household - 4) : 0)"
    " + (disabilitas || lansia ? p.care : 0)",
    "parameters": {
        "max_desil": 3,
        "flood_desil": 5,
        "base": 300000,
        "per_member": 50000,
        "care": 100000,
        "disaster_zones": ["35.22.10", "35.22.11", "35.22.23"],
    },
}
SEED_CHUNK = 20_000
NAMES = 200  # sealed fictional names and addresses reused across rows (the cycle never reads them)


def rss_mib() -> float:
    """Return this process's resident set size in MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_reset() -> None:
    """Reset this process's peak RSS (Linux clear_refs 5), so the next reading is one step's."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mib() -> float:
    """Return this process's peak resident set size since the last reset in MiB (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def django_setup(db: str, tmp: Path) -> None:
    """Configure Django (production settings) for db, keys and data in tmp."""
    os.environ["DATABASE_URL"] = PG_URL if db == "postgresql" else f"sqlite:///{tmp / 'b.db'}"
    os.environ["TERBUKA_DATA_DIR"] = str(tmp)
    os.environ["TERBUKA_DEBUG"] = "0"  # DEBUG's query log would grow with every statement
    os.environ["TERBUKA_REGISTRY_HMAC_KEY"] = "bench registry hmac secret"
    os.environ["TERBUKA_REGISTRY_SEAL_KEY"] = "bench registry seal secret"
    os.environ["TERBUKA_LOG_ORIGIN"] = "bench.terbuka.example/log"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terbuka_web.config.settings")
    if "TERBUKA_LOG_KEY" not in os.environ:
        from terbuka.tlog.note import generate_key

        os.environ["TERBUKA_LOG_KEY"] = generate_key("bench.terbuka.example/log")[0]
    import django

    django.setup()


def tables_empty() -> None:
    """Empty the benefits, ledger and transparency tables (outside any timing)."""
    from django.apps import apps
    from django.db import connection

    models = [
        m
        for a in ("benefits", "ledger", "transparency")
        for m in apps.get_app_config(a).get_models()
    ]
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        return
    from terbuka_web.benefits.models import Programme

    Programme.objects.update(current=None)
    with connection.cursor() as cursor:
        for model in reversed(models):  # children first: dependants are declared later
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def programme_setup() -> None:
    """Load Bojonegoro's regions and agencies; create the programme with RULES in force."""
    from django.core.management import call_command
    from django.utils import timezone

    from terbuka.rules.ruleset import ruleset_parse
    from terbuka_web.accounts.models import Agency
    from terbuka_web.accounts.services import agencies_seed
    from terbuka_web.benefits.models import RuleVersion
    from terbuka_web.benefits.services import programme_create
    from terbuka_web.regions.models import Region
    from terbuka_web.regions.services import regions_load

    call_command("migrate", verbosity=0)
    tables_empty()
    if not Region.objects.filter(code="35.22").exists():
        regions_load(within="35.22")
    if not Agency.objects.filter(code="3522-dinsos").exists():
        agencies_seed(actor=None)
    programme = programme_create(
        actor=None,
        slug=SLUG,
        name="Bantuan Tunai Bench",
        description="Bench.",
        budget=10**15,
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        regions=["35.22"],
        agency=Agency.objects.get(code="3522-dinsos"),
    )
    rules = ruleset_parse(RULES)  # adopted directly, as a consortium decision would
    programme.current = RuleVersion.objects.create(
        programme=programme,
        number=1,
        rules=rules.as_data(),
        rule_hash=rules.hash(),
        text="Bench rules.",
        status=RuleVersion.Status.ADOPTED,
        adopted_at=timezone.now(),
    )
    programme.save(update_fields=["current"])


def villages() -> list[str]:
    """Return Bojonegoro's village codes."""
    from terbuka_web.regions.models import Region

    found = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith="35.22.")
    return list(found.order_by("code").values_list("code", flat=True))


def nik(i: int, village: str) -> str:
    """Return registrant i's synthetic NIK: village's district, a birth date, a serial.

    Unique per i below 9,999 × 21,900: the date runs over 60 years (a bijection of i // 9999
    modulo 21,900 days), women's day + 40 as the format has it.
    """
    born = dt.date(1945, 1, 1) + dt.timedelta(days=(i // 9999) * 7919 % 21900)
    day = born.day + (40 if i % 2 else 0)
    return f"{village[:8].replace('.', '')}{day:02d}{born:%m%y}{i % 9999 + 1:04d}"


def seed(size: int) -> int:
    """Insert registrants until size exist, in bulk; return how many were added."""
    from django.db import transaction

    from terbuka.registry.identity import kk_hash, nik_hash, seal
    from terbuka_web.benefits.keys import hmac_key, seal_key
    from terbuka_web.benefits.models import Registrant, RegistryImport
    from terbuka_web.common.bulk import rows_insert

    have = Registrant.objects.count()
    codes, hkey, skey = villages(), hmac_key(), seal_key()
    names = [
        (
            seal(skey, f"Warga Fiktif {n}", field="nama"),
            seal(skey, f"Dusun Bench {n} RT 01/RW 02", field="alamat"),
        )
        for n in range(NAMES)
    ]
    columns = [
        "source_id",
        "row",
        "nik_hash",
        "kk_hash",
        "name_sealed",
        "address_sealed",
        "village_code",
        "household",
        "desil",
        "disabilitas",
        "lansia",
        "meninggal",
        "duplicate",
    ]
    for start in range(have, size, SEED_CHUNK):
        rng, rows, number = random.Random(start), [], ""
        with transaction.atomic():
            source = RegistryImport.objects.create(
                filename=f"bench-{start}.csv", sha256="0" * 64, rows=min(SEED_CHUNK, size - start)
            )
            for i in range(start, min(start + SEED_CHUNK, size)):
                village = codes[rng.randrange(len(codes))]
                twin = i % 1000 == 999  # 0.1 %: the NIK of the registrant before, both flagged
                number = number if twin else nik(i, village)
                name, address = names[i % NAMES]
                rows.append(
                    (
                        source.pk,
                        i - start + 2,
                        nik_hash(hkey, number),
                        kk_hash(hkey, number[::-1]),
                        name,
                        address,
                        village,
                        rng.randint(1, 8),
                        rng.choices(range(1, 11), weights=range(10, 0, -1))[0],
                        rng.random() < 0.05,
                        rng.random() < 0.15,
                        rng.random() < 0.02,
                        i % 1000 >= 998,
                    )
                )
            rows_insert(Registrant, columns, rows)
    return max(size - have, 0)


def cycle_verify(number: int) -> dict[str, Any]:
    """Check cycle number of the programme on the ledger and in the log; return its figures.

    Raises AssertionError when the balances do not sum to zero, a holder is negative, the
    fund fell by other than the items' total, or the log's credits, its village totals and
    the cycle's figures disagree.
    """
    from django.db.models import Count, Sum

    from terbuka.registry.cycles import CREDIT, VILLAGE_TOTAL, cycle_totals
    from terbuka_web.benefits.models import Cycle, CycleItem, CycleVillage
    from terbuka_web.ledger.models import Account, Leg
    from terbuka_web.transparency.models import LogEntry

    cycle = Cycle.objects.get(programme__slug=SLUG, number=number)
    assert cycle.status == Cycle.Status.DONE
    items = CycleItem.objects.filter(cycle=cycle).aggregate(n=Count("id"), total=Sum("amount"))
    assert CycleItem.objects.filter(cycle=cycle).credited().count() == items["n"]
    figures = CycleVillage.objects.filter(cycle=cycle).aggregate(
        allocated=Sum("allocated"),
        eligible=Sum("eligible"),
        ineligible=Sum("ineligible"),
        deceased=Sum("deceased"),
        duplicate=Sum("duplicate"),
    )
    assert figures["allocated"] == items["total"] and figures["eligible"] == items["n"]
    balances = Account.objects.aggregate(total=Sum("balance"))["total"]
    assert balances == 0, f"balances sum to {balances}"
    assert not Account.objects.filter(balance__lt=0).exclude(kind="treasury").exists()
    prefix = f"entitlement:{SLUG}:{number}:"
    held = Account.objects.filter(key__startswith=prefix).aggregate(t=Sum("balance"), n=Count("id"))
    assert (held["t"], held["n"]) == (items["total"], items["n"])
    debited = Leg.objects.filter(
        posting__key__startswith=f"cycle:{SLUG}:{number}:",
        side="debit",
        account__key=f"programme:{SLUG}",
    ).aggregate(t=Sum("amount"))["t"]
    assert debited == items["total"]
    entries = LogEntry.objects.filter(
        kind__in=[CREDIT, VILLAGE_TOTAL], ref__startswith=f"bantuan/{SLUG}/siklus/{number}/"
    ).values_list("data", flat=True)
    totals = cycle_totals((bytes(d) for d in entries.iterator(5000)), SLUG, number)
    logged = {k: v for k, v in totals.logged_totals.items() if v}
    assert totals.credited == logged, "the log's credits differ from its village totals"
    assert totals.credits == items["n"] and sum(totals.credited.values()) == items["total"]
    assert len(totals.logged_totals) == CycleVillage.objects.filter(cycle=cycle).count()
    return {
        "eligible": items["n"],
        "credited_idr": items["total"],
        "villages": len(logged),
        **{k: figures[k] for k in ("ineligible", "deceased", "duplicate")},
    }


def backend_cpu() -> float | None:
    """Return the CPU seconds (user + system) of this connection's PostgreSQL backend so far.

    None on SQLite (in-process: its work is the client's), or when the server's process is
    not readable here (another machine).
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cycle_timed() -> tuple[int, float, float, float | None]:
    """Run one cycle of the programme; return its number, wall seconds, this process's CPU
    seconds and its PostgreSQL backend's CPU seconds (None on SQLite)."""
    from terbuka_web.benefits.cycles import cycle_run
    from terbuka_web.benefits.models import Programme

    programme = Programme.objects.get(slug=SLUG)
    gc.collect()
    peak_rss_reset()  # the earlier steps' verification holds each cycle's pseudonyms: not ours
    k0 = backend_cpu()
    c0, t0 = time.process_time(), time.perf_counter()
    cycle = cycle_run(programme=programme, today=TODAY)
    wall, cpu, k1 = time.perf_counter() - t0, time.process_time() - c0, backend_cpu()
    return cycle.number, wall, cpu, None if k0 is None or k1 is None else k1 - k0


def cycle_traced() -> float:
    """Run one more cycle under tracemalloc (untimed); return its peak Python heap in MiB."""
    import tracemalloc

    from terbuka_web.benefits.cycles import cycle_run
    from terbuka_web.benefits.models import Programme

    programme = Programme.objects.get(slug=SLUG)
    gc.collect()
    tracemalloc.start()
    cycle_run(programme=programme, today=TODAY)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 2)


def child(db: str, sizes: list[int], trace_max: int) -> dict[str, Any]:
    """Run the cycles on db at each size; return the figures per size."""
    tmp = Path(tempfile.mkdtemp(prefix="terbuka-bench-"))
    try:
        django_setup(db, tmp)
        programme_setup()
        try:
            return {"db": db, "runs": [size_run(db, size, trace_max) for size in sizes]}
        finally:
            tables_empty()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def size_run(db: str, size: int, trace_max: int) -> dict[str, Any]:
    """Top the registry up to size (in a separate process), then time and verify one cycle."""
    from django.db import connection

    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run([sys.executable, __file__, "--seed", str(size)], env=env, check=True)
    seeded = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would after a bulk load
            cursor.execute("VACUUM ANALYZE benefits_registrant")
    number, wall, cpu, server = cycle_timed()
    run = {
        "registrants": size,
        "seconds": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "server_cpu_s": None if server is None else round(server, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "registrants_per_s": round(size / wall),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "rss_after_mib": round(rss_mib(), 1),
        **cycle_verify(number),
    }
    if size <= trace_max:
        run["heap_peak_mib"] = cycle_traced()
    print(
        f"  {db}: {size:,} registrants: cycle {wall:.1f}s ({size / wall:,.0f}/s, CPU "
        f"{cpu:.1f}s, server CPU {'-' if server is None else f'{server:.1f}s'}, load "
        f"{os.getloadavg()[0]:.1f}), peak RSS {run['peak_rss_mib']} MiB, heap peak "
        f"{run.get('heap_peak_mib', '-')} MiB (seeded in {seeded:.0f}s)",
        file=sys.stderr,
    )
    return run


def cel_peer(count: int) -> dict[str, Any]:
    """Evaluate both expressions per registrant with plain cel-python: no memo, no database."""
    import celpy

    from terbuka.rules.environment import Registrant, activation
    from terbuka.rules.evaluate import context_for
    from terbuka.rules.ruleset import ruleset_parse

    rules = ruleset_parse(RULES)
    environment = celpy.Environment(runner_class=celpy.CompiledRunner)
    eligibility = environment.program(environment.compile(rules.eligibility))
    entitlement = environment.program(environment.compile(rules.entitlement))
    shared = context_for(rules, TODAY).shared()
    rng = random.Random(7)
    codes = [f"35.22.{d:02d}.{2000 + v}" for d in range(1, 29) for v in range(1, 16)]
    people = [
        Registrant(
            "",
            rng.choice(codes),
            rng.randint(1, 10),
            rng.randint(1, 8),
            rng.random() < 0.05,
            rng.random() < 0.15,
        )
        for _ in range(count)
    ]
    c0, t0 = time.process_time(), time.perf_counter()
    for person in people:
        values = activation(person, shared)
        if eligibility.evaluate(values):
            entitlement.evaluate(values)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"  cel-python, per registrant: {count / wall:,.0f}/s", file=sys.stderr)
    return {
        "registrants": count,
        "registrants_per_s": round(count / wall),
        "registrants_per_cpu_s": round(count / cpu),
    }


def main() -> None:
    """Run each database in its own process, the peer before and after; print a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--trace-max", type=int, default=300_000)
    parser.add_argument("--peer", type=int, default=20_000, help="registrants the peer evaluates")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if any(s % 1000 for s in sizes):
        parser.error("--sizes: multiples of 1000")
    if args.seed is not None:  # the child's helper: same environment, own process
        import django

        django.setup()
        seed(args.seed)
        return
    if args.child:
        print(json.dumps(child(args.child, sizes, args.trace_max)))
        return
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    sys.path.insert(0, str(REPO / "src"))
    runs = [cel_peer(args.peer)]
    results: dict[str, Any] = {}
    for db in args.db.split(","):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                db,
                "--sizes",
                args.sizes,
                "--trace-max",
                str(args.trace_max),
            ],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        results[db] = json.loads(out.stdout.strip().splitlines()[-1])
    runs.append(cel_peer(args.peer))
    peer = {"registrants_per_s": round(sum(r["registrants_per_s"] for r in runs) / 2), "runs": runs}
    print(
        f"{'':24}{'seconds':>9}{'per s':>10}{'vs OpenSPP':>12}{'vs cel':>8}{'RSS MiB':>9}"
        f"{'heap MiB':>10}"
    )
    for db, result in results.items():
        for run in result["runs"]:
            run["ratio_vs_openspp"] = round(run["registrants_per_s"] / OPENSPP_PER_S, 2)
            run["ratio_vs_cel_python"] = round(
                run["registrants_per_s"] / peer["registrants_per_s"], 2
            )
            print(
                f"{db + ' ' + format(run['registrants'], ','):24}{run['seconds']:>9}"
                f"{run['registrants_per_s']:>10,}{run['ratio_vs_openspp']:>11}x"
                f"{run['ratio_vs_cel_python']:>7}x{run['peak_rss_mib']:>9}"
                f"{run.get('heap_peak_mib', '-'):>10}"
            )
    print(f"{'cel-python per row':24}{'':9}{peer['registrants_per_s']:>10,}")
    largest = {db: r["runs"][-1] for db, r in results.items()}
    print(
        json.dumps(
            {
                "bench": "benefits_cycle",
                "target": "1,000,000 registrants in < 60 s",
                "openspp_per_s": round(OPENSPP_PER_S),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "met": {
                    db: r["registrants"] >= 1_000_000 and r["seconds"] < 60
                    for db, r in largest.items()
                },
                **results,
                "cel_python": peer,
            }
        )
    )


if __name__ == "__main__":
    main()
