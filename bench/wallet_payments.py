"""Measure signed online wallet payments per second through the HTTP API on PostgreSQL.

Seeds (each run, in a PostgreSQL database of your own) a programme bound to warung with a
per-payment and a per-day cap (so both checks run, the day's spending read each time), ten
approved warung and W fresh wallets (keys generated here, registrants and wallets inserted in
bulk, each credited on the ledger with enough for P payments), pre-signs P chained intents per
wallet (counter 1…P, each naming the previous one's hash), starts gunicorn on 127.0.0.1 and:

1. http: C clients POST {"intent": "TPI1…"} to /api/wallets/payments, each client walking its
   own wallets' chains in order (every intent is the next of its wallet: no refusal expected),
   for a bounded time; every answer must be 201.
2. peer, the HTTP ceiling, in the same run and on the same server: the same C clients POST a
   malformed intent to the same route (422, refused at parsing, before any query or
   signature check): what this machine serves at all through that stack;
3. peer, in the same run: C threads call wallets.payments.payment_accept directly on other
   wallets (no HTTP, no middleware, no JSON): the gap is what the web stack adds.
Each reports the CPU per request of the app (the gunicorn workers, or this process) and of
the PostgreSQL backends, and the load average before and after.

Every payment is checked in full (signature, chain, expiry, purpose, caps, balance, the
ledger's own signature rule) and appends a log entry. The figure is compared with Mojaloop's
reported 450–650 transfers/s (with its security on): ratio = ours / 650 and / 450. Then the
direct path is profiled (cProfile on CPU time, --profile N payments) and its queries per
payment counted.
Prints the figures and ends with one JSON line.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/terbuka_wallets \\
    python bench/wallet_payments.py [--wallets 3000] [--per 8] [--clients 16] [--seconds 10]
      [--workers 2] [--threads 4] [--profile 300]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portal_search import (  # the shared bench helpers
    BackendCpu,
    Timed,
    cpu_seconds,
    django_setup,
    free_port,
    run_clients,
    server_start,
    worker_pids,
)

SLUG = "bench-dompet"
AMOUNT = 5_000
MERCHANTS = [f"bench-warung-{i}" for i in range(10)]
MOJALOOP = (450, 650)  # transfers per second reported by Mojaloop with its security on


def seed_world() -> None:
    """Create the regency, villages, an agency, the programme, its purpose and the merchants."""
    from django.core.management import call_command
    from django.utils import timezone

    from terbuka_web.accounts.models import Agency
    from terbuka_web.benefits.models import Programme
    from terbuka_web.regions.models import Region
    from terbuka_web.wallets.models import Merchant, Purpose

    call_command("migrate", interactive=False, verbosity=0)
    regency, _ = Region.objects.get_or_create(
        code="35.22", defaults={"name": "Kabupaten Bojonegoro", "level": "regency"}
    )
    district, _ = Region.objects.get_or_create(
        code="35.22.01", defaults={"name": "Margomulyo", "level": "district", "parent": regency}
    )
    village, _ = Region.objects.get_or_create(
        code="35.22.01.2001",
        defaults={"name": "Desa Margomulyo", "level": "village", "parent": district},
    )
    agency, _ = Agency.objects.get_or_create(
        code="bench-dinsos",
        defaults={"name": "Dinas Sosial", "kind": "dinas", "government": regency},
    )
    programme, _ = Programme.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Bantuan dompet bench", "budget": 10**15, "agency": agency,
            "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2099, 12, 31),
            "regions": ["35.22"],
        },
    )  # fmt: skip
    Purpose.objects.update_or_create(
        programme=programme,
        defaults={"categories": ["warung"], "payment_cap": 1_000_000, "day_cap": 10**9},
    )
    for code in MERCHANTS:
        Merchant.objects.get_or_create(
            code=code,
            defaults={"name": code, "category": "warung", "village": village,
                      "approved_at": timezone.now()},
        )  # fmt: skip


def wallets_new(count: int, per: int) -> list[list[str]]:
    """Enrol count fresh wallets (bulk), credit each per payments' worth; return each wallet's
    chain of per pre-signed intents (wire text), in order."""
    from django.db import transaction
    from django.utils import timezone

    from terbuka.money.intent import GENESIS, Intent, intent_sign
    from terbuka.money.keys import wallet_key_generate
    from terbuka.money.posting import posting_make
    from terbuka.money.spend import wallet_account
    from terbuka_web.benefits.models import Registrant, RegistryImport
    from terbuka_web.ledger.services import postings_record
    from terbuka_web.wallets.models import Wallet

    keys = [wallet_key_generate() for _ in range(count)]
    tag = f"{time.time_ns():x}"
    with transaction.atomic():
        source = RegistryImport.objects.create(filename=f"bench-{tag}.csv", sha256="0" * 64,
                                               rows=count)  # fmt: skip
        people = Registrant.objects.bulk_create(
            Registrant(source=source, row=i, nik_hash=f"{tag}{i:x}".ljust(64, "0")[:64],
                       kk_hash="0" * 64, name_sealed=b"", address_sealed=b"",
                       village_code="35.22.01.2001", household=1, desil=1)
            for i in range(count)
        )  # fmt: skip
        now = timezone.now()
        Wallet.objects.bulk_create(
            Wallet(did=k.did, registrant=p, enrolled_at=now)
            for k, p in zip(keys, people, strict=True)
        )
        postings_record(postings=[
            posting_make(f"bench:{tag}:{i}", [("treasury:bench", "debit", AMOUNT * per),
                         (wallet_account(k.did, SLUG), "credit", AMOUNT * per)])
            for i, k in enumerate(keys)
        ])  # fmt: skip
    expires = int(time.time()) + 3600
    chains = []
    for n, key in enumerate(keys):
        prev, chain = GENESIS, []
        for counter in range(1, per + 1):
            signed = intent_sign(key, Intent(
                wallet=key.did, merchant=MERCHANTS[(n + counter) % len(MERCHANTS)],
                programme=SLUG, amount=AMOUNT, counter=counter, expires=expires, prev=prev,
            ))  # fmt: skip
            chain.append(signed.format())
            prev = signed.hash()
        chains.append(chain)
    return chains


def _walk(chains: list[list[str]], until: float) -> Any:
    """Yield the intents of chains round by round (each wallet's in order) until the deadline."""
    for counter in range(len(chains[0]) if chains else 0):
        for chain in chains:
            if time.monotonic() >= until:
                return
            yield chain[counter]


def http_client(
    port: int, share: list[list[list[str]]], until: float, seed_: int, out: list[float],
    errors: list[str],
) -> None:  # fmt: skip
    """POST this client's intents to /api/wallets/payments; every answer must be 201."""
    client = Timed(port, out, errors)
    headers = {"Content-Type": "application/json"}
    for text in _walk(share[seed_], until):
        client.send("POST", "/api/wallets/payments", json.dumps({"intent": text}), headers, (201,))


CEILING_BODY = json.dumps({"intent": "TPI1.x"})  # refused at parsing: no query, no crypto


def ceiling_client(
    port: int, until: float, seed_: int, out: list[float], errors: list[str]
) -> None:
    """POST a malformed intent to /api/wallets/payments until the deadline; every answer must
    be 422 (the same server, route, middleware and JSON body as a payment, refused at parsing
    before any query or signature check: what this machine serves at all on that route)."""
    client = Timed(port, out, errors)
    headers = {"Content-Type": "application/json"}
    while time.monotonic() < until:
        client.send("POST", "/api/wallets/payments", CEILING_BODY, headers, (422,))


def peer_client(
    share: list[list[list[str]]], until: float, seed_: int, out: list[float], errors: list[str]
) -> None:
    """Call payment_accept directly (the same checks and writes, no HTTP)."""
    from django.db import connection

    from terbuka_web.wallets.payments import payment_accept

    try:
        for text in _walk(share[seed_], until):
            t0 = time.perf_counter()
            payment_accept(intent=text)
            out.append((time.perf_counter() - t0) * 1000)
    except Exception as exc:  # report and stop this client
        errors.append(repr(exc))
    finally:
        connection.close()


def _shares(chains: list[list[str]], clients: int) -> list[list[list[str]]]:
    return [chains[i::clients] for i in range(clients)]


def _measured(
    target: Any, args: argparse.Namespace, database_url: str, workers: list[int], *extra: Any
) -> dict[str, Any]:  # fmt: skip
    """Run args.clients clients of target for args.seconds; return their figures with the CPU
    the workers (pids; [] for this process) and the database's backends spent per request."""
    app = (lambda: cpu_seconds(workers)) if workers else time.process_time
    app0, load0 = app(), os.getloadavg()[0]
    database = BackendCpu(database_url).start()
    found = run_clients(target, args.clients, args.seconds, *extra)
    done = max(found.get("requests", 0), 1)
    found["app_cpu_ms_per_request"] = round(1000 * (app() - app0) / done, 2)
    found["db_cpu_ms_per_request"] = round(1000 * database.stop() / done, 2)
    found["load_avg_1m_before"] = round(load0, 1)
    found["load_avg_1m_after"] = round(os.getloadavg()[0], 1)
    return found


def served(
    args: argparse.Namespace, database_url: str, chains: list[list[str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Serve with gunicorn, warm up on a few wallets, run the payment clients, then the same
    clients on the ceiling request; return both figures."""
    port = free_port()
    warm, timed = chains[: args.clients * 4], chains[args.clients * 4 :]
    with tempfile.TemporaryDirectory() as data_dir:
        server = server_start(database_url, port, args.workers, data_dir, args.threads, 60)
        try:
            run_clients(http_client, args.clients, 3.0, port, _shares(warm, args.clients))
            workers = worker_pids(server)
            paid = _measured(
                http_client, args, database_url, workers, port, _shares(timed, args.clients)
            )
            ceiling = _measured(ceiling_client, args, database_url, workers, port)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return paid, ceiling


def profiled(chains: list[list[str]], top: int = 25) -> tuple[float, str]:
    """Accept the intents of chains directly under cProfile; return (queries per payment, the
    top functions by cumulative time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from terbuka_web.wallets.payments import payment_accept

    texts = [text for chain in zip(*chains, strict=True) for text in chain]
    profile = cProfile.Profile(time.process_time)  # CPU time, not waits on the database
    with CaptureQueriesContext(connection) as queries:
        profile.enable()
        for text in texts:
            payment_accept(intent=text)
        profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
    return len(queries.captured_queries) / max(len(texts), 1), out.getvalue()


def main() -> None:
    """Seed, serve, load, compare, profile, and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wallets", type=int, default=3000, help="per run (HTTP and peer each)")
    parser.add_argument("--per", type=int, default=8, help="pre-signed payments per wallet")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--profile", type=int, default=300, help="payments profiled directly")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of your own")
    django_setup(database_url)
    seed_world()
    t0 = time.monotonic()
    http_chains = wallets_new(args.wallets + args.clients * 4, args.per)
    peer_chains = wallets_new(args.wallets, args.per)
    profile_chains = wallets_new(max(args.profile // 3, 1), 3)
    print(f"seeded and signed {len(http_chains) + len(peer_chains)} wallets × {args.per} "
          f"intents in {time.monotonic() - t0:.1f} s")  # fmt: skip
    over_http, ceiling = served(args, database_url, http_chains)
    peer = _measured(peer_client, args, database_url, [], _shares(peer_chains, args.clients))
    per_payment, profile = profiled(profile_chains)
    print(profile)
    for name, result in (
        ("payments, gunicorn HTTP POST /api/wallets/payments", over_http),
        ("peer: HTTP ceiling, same server, a malformed intent (no query)", ceiling),
        ("peer: payment_accept direct", peer),
    ):
        print(
            f"{name}: {result.get('requests')} requests, {result.get('rps')} /s, "
            f"p50 {result.get('p50_ms')} ms, p95 {result.get('p95_ms')} ms, CPU per request: "
            f"app {result.get('app_cpu_ms_per_request')} ms + PostgreSQL "
            f"{result.get('db_cpu_ms_per_request')} ms, errors {result.get('errors')} "
            f"{result.get('first_errors', [])[:1]}, load {result.get('load_avg_1m_before')}→"
            f"{result.get('load_avg_1m_after')}"
        )
    rps = float(over_http.get("rps", 0))
    print(f"queries per payment: {per_payment:.1f}; Mojaloop ratio {rps / MOJALOOP[1]:.2f}–"
          f"{rps / MOJALOOP[0]:.2f}")  # fmt: skip
    line = {
        "bench": "wallet_payments",
        "wallets": args.wallets,
        "intents_per_wallet": args.per,
        "clients": args.clients,
        "seconds": args.seconds,
        "server": "gunicorn gthread",
        "workers": args.workers,
        "threads": args.threads,
        "cpus": os.cpu_count(),
        "payments_http": over_http,
        "http_ceiling_peer": ceiling,
        "payments_peer_direct": peer,
        "queries_per_payment": round(per_payment, 1),
        "target_per_s": 1000,
        "meets_target": bool(rps >= 1000 and not over_http.get("errors")),
        "mojaloop_transfers_per_s": list(MOJALOOP),
        "ratio_to_mojaloop_650": round(rps / MOJALOOP[1], 2),
        "ratio_to_mojaloop_450": round(rps / MOJALOOP[0], 2),
        "http_over_peer": round(rps / max(float(peer.get("rps", 0)), 1e-9), 2),
        "payments_over_http_ceiling": round(rps / max(float(ceiling.get("rps", 0)), 1e-9), 2),
    }
    print(json.dumps(line))


if __name__ == "__main__":
    main()
