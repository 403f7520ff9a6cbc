"""Measure public search latency on 100k processes through a real HTTP server.

Seeds N published processes (default 100 000) into a PostgreSQL database of your own (once;
later runs reuse them), starts gunicorn on 127.0.0.1, and runs C concurrent clients (default
20) issuing a varied mix of portal (HTML) and API searches for a bounded time: once as in
production (each worker caches search counts and pages per publication stamp; the share of
requests repeating an earlier one is printed) and once with that cache off
(TERBUKA_SEARCH_CACHE_SECONDS=0), so every search queries. The target is judged on the
first; the second shows what an uncached search costs. The peer, in the
same run, is the same query mix executed directly as SQL (the ORM's count + page queries) by
C threads: the gap is what Django, templates and HTTP add. Prints p50/p95/p99 and ends with
one JSON line. Target: p95 < 200 ms.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/terbuka_portal \\
    python bench/portal_search.py [--n 100000] [--clients 20] [--seconds 20] [--workers 2]
      [--threads 4] [--requests 3000] [--revalidate]

Also reports the CPU the gunicorn workers and their PostgreSQL backends spent per request
(from /proc), the honest figure when other work shares the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PREFIX = "ocds-tbk352-bench-"
WORDS = [
    "jalan",
    "jembatan",
    "gedung",
    "sekolah",
    "puskesmas",
    "irigasi",
    "drainase",
    "pengaspalan",
    "rehabilitasi",
    "pembangunan",
    "pengadaan",
    "obat",
    "alat",
    "kesehatan",
    "komputer",
    "seragam",
    "makanan",
    "ternak",
    "bibit",
    "padi",
    "konsultan",
    "pengawasan",
    "perencanaan",
    "kantor",
    "desa",
    "kecamatan",
    "sumur",
    "bor",
    "embung",
    "talud",
]
PLACES = [
    "Kalitidu",
    "Padangan",
    "Kasiman",
    "Dander",
    "Kapas",
    "Baureno",
    "Kanor",
    "Sumberrejo",
    "Balen",
    "Sukosewu",
    "Trucuk",
    "Malo",
    "Purwosari",
    "Ngraho",
    "Tambakrejo",
    "Ngambon",
    "Bubulan",
    "Temayang",
    "Sugihwaras",
    "Kedungadem",
]
SUPPLIERS = ["CV Maju Jaya", "PT Bangun Persada", "CV Sinar Abadi", "PT Farmasi Sehat", "CV Karya"]
METHODS = ["tender", "seleksi", "pengadaan_langsung", "penunjukan_langsung", "e_purchasing"]
STAGES = ["planning", "tender", "award", "contract", "implementation"]


def django_setup(database_url: str) -> None:
    """Configure Django for database_url (production settings, no debug query log)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terbuka_web.config.settings")
    import django

    django.setup()


def seed(n: int) -> int:
    """Insert published processes until N bench processes exist; return how many were added."""
    from django.core.management import call_command
    from django.db import connection

    from terbuka_web.contracting.models import Process

    call_command("migrate", interactive=False, verbosity=0)
    have = Process.objects.filter(ocid__startswith=PREFIX).count()
    if have < n:
        _insert(have, n)
    with connection.cursor() as cursor:  # as autovacuum would after a seed or a migration
        cursor.execute("VACUUM ANALYZE contracting_process")
    return max(n - have, 0)


def _insert(have: int, n: int) -> None:
    """Insert bench processes number have … n-1, with search_text as publishing derives it."""
    from terbuka.words import with_root_forms
    from terbuka_web.accounts.models import Agency
    from terbuka_web.contracting.models import Process
    from terbuka_web.regions.models import Region

    rng = random.Random(have)
    region, _ = Region.objects.get_or_create(
        code="35.22", defaults={"name": "Kabupaten Bojonegoro", "level": "regency"}
    )
    agencies = []
    for i, name in enumerate(["Dinas Pekerjaan Umum", "Dinas Kesehatan", "Dinas Pendidikan"] * 14):
        agency, _ = Agency.objects.get_or_create(
            code=f"bench-{i}",
            defaults={"name": f"{name} {i}", "kind": "dinas", "government": region},
        )
        agencies.append(agency)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    batch: list[Process] = []
    for i in range(have, n):
        agency = rng.choice(agencies)
        reached = rng.randrange(5)
        title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {rng.choice(PLACES)}"
        supplier = rng.choice(SUPPLIERS) if reached >= 2 else ""
        published = start + timedelta(minutes=i * 25)
        batch.append(
            Process(
                ocid=f"{PREFIX}{i:07d}",
                agency=agency,
                buyer_name=agency.name,
                title=title,
                description=f"{rng.choice(WORDS)} {rng.choice(WORDS)} tahun {2019 + i % 7}",
                fiscal_year=2019 + i % 7,
                method=rng.choice(METHODS),
                stage_reached=STAGES[reached],
                stages_published=STAGES[: reached + 1],
                value_idr=int(rng.lognormvariate(19, 1.5)),
                search_text=with_root_forms(f"{title} {agency.name} {supplier}".lower()),
                first_published_at=published,
                last_published_at=published + timedelta(days=reached * 20),
            )
        )
        if len(batch) == 5000:
            Process.objects.bulk_create(batch)
            batch = []
    Process.objects.bulk_create(batch)


def query_mix(rng: random.Random) -> dict[str, str]:
    """Return one varied set of search parameters, as a citizen or journalist would send."""
    params: dict[str, str] = {}
    kind = rng.randrange(8)
    if kind in (0, 1, 2):
        roots = ["aspal", "bangun", "maju jaya", "jalan kalitidu"]  # roots find derived words
        params["q"] = rng.choice(WORDS + PLACES + roots).lower()
    if kind in (1, 3):
        params["agency"] = f"bench-{rng.randrange(42)}"
    if kind in (2, 4):
        params["year"] = str(rng.randrange(2019, 2026))
    if kind == 5:
        params["stage"] = rng.choice(STAGES)
        params["method"] = rng.choice(METHODS)
    if kind == 6:
        low = rng.choice([10**7, 10**8, 10**9])
        params["value_min"], params["value_max"] = str(low), str(low * 10)
    if rng.random() < 0.3:
        params["page"] = str(rng.randrange(2, 6))
    if rng.random() < 0.15:  # the other orders; with q the default is relevance (ranked)
        params["sort"] = rng.choice(["newest", "value_desc", "value_asc", "title"])
    return params


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_start(
    database_url: str, port: int, workers: int, data_dir: str, threads: int, cache_seconds: int
) -> subprocess.Popen:
    """Start gunicorn serving Terbuka on 127.0.0.1:port and wait until it answers."""
    env = {
        **os.environ,
        "TERBUKA_SEARCH_CACHE_SECONDS": str(cache_seconds),
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT / "src"),
        "TERBUKA_DEBUG": "0",
        "TERBUKA_DATA_DIR": data_dir,
        "TERBUKA_LOG_LEVEL": "ERROR",
    }
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    cmd = [gunicorn, "terbuka_web.config.wsgi:application", "-b", f"127.0.0.1:{port}"]
    cmd += ["-w", str(workers), "-k", "gthread", "--threads", str(threads), "--log-level", "error"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/processes?per_page=1")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn did not answer within 60 s")


NOT_MODIFIED: list[str] = []  # paths answered 304 (only with --revalidate)
ASKED: list[str] = []  # every path asked, in order (its repeats are what a cache can serve)


def http_client(
    port: int,
    revalidate: bool,
    limit: int,
    until: float,
    seed_: int,
    out: list[float],
    errors: list[str],
) -> None:
    """Send searches (half HTML portal, half API) until the deadline, or limit of them when
    limit > 0; record latencies in ms.

    With revalidate, each client remembers the ETags it received and sends If-None-Match, as a
    browser would; a 304 then counts as an answer.
    """
    rng = random.Random(seed_)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    etags: dict[str, str] = {}
    sent = 0
    while time.monotonic() < until and (limit <= 0 or sent < limit):
        sent += 1
        path = rng.choice(["/", "/api/processes"]) + "?" + urlencode(query_mix(rng))
        ASKED.append(path)
        headers = {"If-None-Match": etags[path]} if revalidate and path in etags else {}
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == 304 and headers:
                NOT_MODIFIED.append(path)
            elif response.status != 200:
                errors.append(f"{response.status} {path}")
            if response.getheader("ETag"):
                etags[path] = response.getheader("ETag", "")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        out.append((time.perf_counter() - t0) * 1000)


class Timed:
    """Send requests on one kept connection to 127.0.0.1:port, recording each answer's
    latency in ms (out) and each unexpected status or transport error (errors); after an
    error the connection is opened again and nothing is recorded for that request."""

    def __init__(self, port: int, out: list[float], errors: list[str], timeout: float = 30):
        self.port, self.out, self.errors, self.timeout = port, out, errors, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def send(
        self, method: str, path: str, body: str | bytes | None = None,
        headers: dict[str, str] | None = None, expect: tuple[int, ...] = (200,),
    ) -> None:  # fmt: skip
        """Send one request and read its answer; expect lists the statuses that are right."""
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body, headers or {})
            response = self.conn.getresponse()
            answer = response.read()
            if response.status not in expect:
                self.errors.append(f"{response.status} {answer[:200]!r}")
        except (OSError, http.client.HTTPException) as exc:
            self.errors.append(type(exc).__name__)
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            return
        self.out.append((time.perf_counter() - t0) * 1000)


def sql_client(until: float, seed_: int, out: list[float], errors: list[str]) -> None:
    """Run the same query mix as raw SQL (count + one page) on this thread's connection."""
    from django.db import connection

    from terbuka_web.portal import selectors

    rng = random.Random(seed_)
    try:
        while time.monotonic() < until:
            params = query_mix(rng)
            filters = selectors.filters_parse(params)
            unranked = selectors.process_search(replace(filters, sort="newest")).order_by()
            count_sql, count_params = _compiled(unranked.values("pk")[: selectors.COUNT_CAP + 1])
            page = int(params.get("page", "1"))
            spent = 0.0  # only the statements count: compiling them is the ORM's share
            with connection.cursor() as cursor:
                t0 = time.perf_counter()
                cursor.execute(f"SELECT COUNT(*) FROM ({count_sql}) c", count_params)
                matches = cursor.fetchone()[0]
                spent += time.perf_counter() - t0
                qs = selectors.process_search(filters, matches=matches)  # as the paginator
                sql, sql_params = _compiled(
                    qs.values(*selectors.LIST_FIELDS)[(page - 1) * 20 : page * 20]
                )
                t0 = time.perf_counter()
                cursor.execute(sql, sql_params)
                cursor.fetchall()
                spent += time.perf_counter() - t0
            out.append(spent * 1000)
    except Exception as exc:  # report and stop this client
        errors.append(repr(exc))
    finally:
        connection.close()


def _compiled(qs: Any) -> tuple[str, tuple[Any, ...]]:
    sql, params = qs.query.get_compiler("default").as_sql()
    return sql, tuple(params)


def run_clients(
    target: Any, clients: int, seconds: float, *args: Any, seed_base: int = 0
) -> dict[str, Any]:
    """Run clients threads of target for seconds; return latency percentiles and counts.

    Client i draws its queries from random seed seed_base + i.
    """
    until = time.monotonic() + seconds
    results: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    threads = [
        threading.Thread(target=target, args=(*args, until, seed_base + i, results[i], errors))
        for i in range(clients)
    ]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    lat = sorted(x for r in results for x in r)
    return summary(lat, elapsed, errors)


def summary(lat: list[float], elapsed: float, errors: list[str]) -> dict[str, Any]:
    """Return count, throughput and p50/p95/p99 (ms) of sorted latencies."""
    if not lat:
        return {"requests": 0, "errors": len(errors), "first_errors": errors[:3]}
    cuts = statistics.quantiles(lat, n=100, method="inclusive")
    return {
        "requests": len(lat),
        "rps": round(len(lat) / elapsed, 1),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "max_ms": round(lat[-1], 1),
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def cpu_seconds(pids: list[int]) -> float:
    """Return the user + system CPU seconds used so far by the live processes pids (Linux)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class BackendCpu:
    """Sum the CPU seconds the PostgreSQL backends of a database spend from start() to stop(),
    also of backends opened meanwhile (Django reconnects after CONN_MAX_AGE, 60 s: a slow run
    outlives its first backends). Sampled every 0.5 s, so a backend that closes loses at most
    its last half second."""

    def __init__(self, database_url: str) -> None:
        self.name = database_url.rsplit("/", 1)[1].split("?")[0]
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _sample(self, initial: bool = False) -> None:
        for pid in backend_pids(self.name):
            spent = cpu_seconds([pid])
            self.first.setdefault(pid, spent if initial else 0.0)
            self.last[pid] = spent

    def _watch(self) -> None:
        from django.db import connection

        try:
            while not self.done.wait(0.5):
                self._sample()
        finally:
            connection.close()

    def start(self) -> BackendCpu:
        """Note the CPU spent so far and start sampling."""
        self._sample(initial=True)
        self.thread.start()
        return self

    def stop(self) -> float:
        """Stop sampling; return the CPU seconds spent since start."""
        self.done.set()
        self.thread.join()
        self._sample()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def backend_pids(name: str) -> list[int]:
    """Return the pids of the PostgreSQL client backends connected to database name, but ours."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'",
            [name],
        )
        return [row[0] for row in cursor.fetchall()]


def worker_pids(server: subprocess.Popen) -> list[int]:
    """Return the gunicorn worker pids (the server's children)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(c) for c in children]


def explain_text_search() -> str:
    """Return the PostgreSQL plan of a selective free-text count (word + year): it should use
    the full-text index portal_process_search_fts."""
    from django.db import connection

    from terbuka_web.portal import selectors

    qs = selectors.process_search(selectors.ProcessFilters(q="kalitidu", year=2022))
    sql, params = qs.order_by()[: selectors.COUNT_CAP + 1].query.get_compiler("default").as_sql()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def http_run(args: argparse.Namespace, database_url: str, cache_seconds: int) -> dict[str, Any]:
    """Serve with gunicorn (search cache kept cache_seconds), warm up, load; return figures.

    The warm-up opens every connection with other seeds than the measured run, so a cached
    answer in the measured run is one its own clients asked for before.
    """
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = server_start(
            database_url, port, args.workers, data_dir, args.threads, cache_seconds
        )
        try:
            run_clients(http_client, args.clients, 2.0, port, False, 0, seed_base=1000)
            workers = worker_pids(server)
            app0, load0 = cpu_seconds(workers), os.getloadavg()[0]
            database = BackendCpu(database_url).start()
            NOT_MODIFIED.clear()
            ASKED.clear()
            limit = -(-args.requests // args.clients) if args.requests else 0
            seconds = args.seconds if not args.requests else 600.0
            served = run_clients(http_client, args.clients, seconds, port, args.revalidate, limit)
            served["not_modified_304"] = len(NOT_MODIFIED)
            served["repeated_share"] = round(1 - len(set(ASKED)) / max(len(ASKED), 1), 3)
            done = max(served.get("requests", 0), 1)
            served["app_cpu_ms_per_request"] = round(1000 * (cpu_seconds(workers) - app0) / done, 2)
            served["db_cpu_ms_per_request"] = round(1000 * database.stop() / done, 2)
            served["load_avg_1m_before"] = round(load0, 1)
            served["search_cache_seconds"] = cache_seconds
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return served


def main() -> None:
    """Seed, serve, load, compare, and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)  # issue 9: 2 workers x 4 threads
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--requests",
        type=int,
        default=0,
        help="send this many requests (split over the clients) instead of --seconds of them:"
        " the same requests, hence the same repeats, in every run, so CPU per request"
        " compares across runs on a busy machine",
    )
    parser.add_argument(
        "--revalidate", action="store_true", help="clients send If-None-Match like browsers"
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of your own")
    django_setup(database_url)
    t0 = time.monotonic()
    added = seed(args.n)
    print(f"seeded {added} processes in {time.monotonic() - t0:.1f} s (target {args.n})")
    plan = explain_text_search()
    print("free-text plan:\n" + plan)
    served = http_run(args, database_url, cache_seconds=60)
    uncached = http_run(args, database_url, cache_seconds=0)
    peer = run_clients(sql_client, args.clients, args.seconds)
    runs = (
        ("gunicorn HTTP (portal + API), search cache on (production)", served),
        ("gunicorn HTTP, search cache off (every search queries)", uncached),
        ("peer: raw SQL", peer),
    )
    for name, result in runs:
        print(
            f"{name}: {result.get('requests')} requests, {result.get('rps')} /s, "
            f"p50 {result.get('p50_ms')} ms, p95 {result.get('p95_ms')} ms, "
            f"p99 {result.get('p99_ms')} ms, errors {result.get('errors')}"
        )
    print(
        f"CPU per HTTP request: gunicorn {served.get('app_cpu_ms_per_request')} ms + "
        f"PostgreSQL {served.get('db_cpu_ms_per_request')} ms (2 cores shared; load "
        f"{served.get('load_avg_1m_before')} before the run); cache off: "
        f"{uncached.get('app_cpu_ms_per_request')} + {uncached.get('db_cpu_ms_per_request')} ms"
    )
    print(f"requests repeating an earlier one of their run: {served['repeated_share']:.0%}")
    line = {
        "bench": "portal_search",
        "processes": args.n,
        "clients": args.clients,
        "seconds": args.seconds,
        "requests_fixed": args.requests,
        "server": "gunicorn gthread",
        "workers": args.workers,
        "threads": args.threads,
        "revalidate": args.revalidate,
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "text_index_in_plan": next(
            (i for i in ("portal_process_search_fts", "portal_process_search_trgm") if i in plan),
            None,
        ),
        "http": served,
        "http_cache_off": uncached,
        "peer_sql": peer,
        "target_p95_ms": 200,
        "meets_target": bool(served.get("p95_ms", 1e9) < 200 and not served.get("errors")),
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
