"""Measure offline intents verified at sync per second against raw Ed25519 verification.

Builds --wallets wallets, each holding one issuer-signed allowance of --per-wallet intents,
and the vouchers (QR payloads "TPI1…~TOA1…") of their offline chains, shuffled as merchants
would hand them in. Then, in the same run, best of --repeat:
- sync, one process: terbuka.money.voucher.vouchers_verify over the payloads (parse both
  parts, the issuer's signature of each distinct allowance once per batch, every wallet's
  intent signature, the wallet and counter rules), then conflicts_find and chain_accept:
  what the server does per voucher before it writes;
- sync, all cores: the same with terbuka.money.verifypool.vouchers_verify_parallel (what
  the server's sync runs), on --workers processes (default: the cores this process may use):
  this one and a pool of --workers - 1, started (untimed) before;
- raw, one process: cryptography's Ed25519PublicKey.verify of the same intents' signatures
  over their already built signing bytes with already loaded keys (the floor of any
  verifier);
- raw, all cores: the same verifications split into one chunk per process, one verified
  here, the others on the same pool (public key bytes, signature, message; each process
  loads its keys, then verifies).
Every voucher must verify and be accepted (checked). signature_valid's memo is cleared
before each run. Ends with one JSON line: the four rates per second (wall clock, best run),
the ratios sync/raw on one process and on all cores, the CPU µs per intent of each run (this
process plus the pool's processes, from /proc: steadier than the rates when other jobs load
the machine) and raw/sync of those on all processes, the target (10,000 intents/s at sync),
the processes used and the load average.

Usage: python bench/wallet_offline.py [--wallets 1000] [--per-wallet 10] [--repeat 3]
       [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from terbuka.money.allowance import Allowance, allowance_sign
from terbuka.money.didkey import did_key_parse
from terbuka.money.intent import Intent, SignedIntent, intent_sign
from terbuka.money.keys import signatures_forget, wallet_key_generate
from terbuka.money.verifypool import verify_pool, verify_workers, vouchers_verify_parallel
from terbuka.money.voucher import Voucher, chain_accept, conflicts_find, vouchers_verify

Verifier = Callable[[list[str], str], list[Voucher | Exception]]
Item = tuple[bytes, bytes, bytes]  # public key, signature, message


def vouchers_make(wallets: int, per_wallet: int) -> tuple[str, list[str]]:
    """Return the issuer's did:key and the shuffled payloads of every wallet's offline chain."""
    issuer = wallet_key_generate()
    expires = int(time.time()) + 86400
    payloads: list[str] = []
    for _ in range(wallets):
        key = wallet_key_generate()
        allowance = allowance_sign(issuer, Allowance(
            wallet=key.did, programme="pip-2026", amount=per_wallet * 1000, count=per_wallet,
            start=1, expires=expires, categories=("atk",), regions=("3522",),
        ))  # fmt: skip
        prev = "A" * 43
        for counter in range(1, per_wallet + 1):
            signed = intent_sign(key, Intent(
                wallet=key.did, merchant=f"toko-{counter % 7}", programme="pip-2026",
                amount=1000, counter=counter, expires=expires, prev=prev,
            ))  # fmt: skip
            prev = signed.hash()
            payloads.append(Voucher(signed, allowance).format())
    random.Random(12).shuffle(payloads)
    return issuer.did, payloads


def sync_run(issuer: str, payloads: list[str], verify: Verifier) -> None:
    """Verify and decide payloads as a sync does; check every one was accepted."""
    checked = verify(payloads, issuer)
    vouchers = [v for v in checked if isinstance(v, Voucher)]
    conflicts = conflicts_find(vouchers)
    outcome = chain_accept(vouchers, {})
    assert len(vouchers) == len(payloads) and not conflicts and not outcome.rejected
    assert len(outcome.accepted) == len(payloads)


def raw_items(payloads: list[str]) -> list[Item]:
    """Return each payload's intent public key bytes, signature and signing bytes."""
    items = []
    for payload in payloads:
        signed = SignedIntent.parse(payload.split("~")[0])
        key = did_key_parse(signed.intent.wallet)
        items.append((key, signed.signature, signed.intent.signing_bytes()))
    return items


def raw_verify(items: list[Item]) -> int:
    """Verify items with keys loaded first; return how many (raises InvalidSignature)."""
    loaded = [(Ed25519PublicKey.from_public_bytes(k), s, m) for k, s, m in items]
    for public, signature, message in loaded:
        public.verify(signature, message)
    return len(loaded)


def raw_one(items: list[Item]) -> Callable[[], None]:
    """Return a run of raw verification in this process, its keys loaded beforehand."""
    loaded = [(Ed25519PublicKey.from_public_bytes(k), s, m) for k, s, m in items]

    def run() -> None:
        for public, signature, message in loaded:
            public.verify(signature, message)  # raises InvalidSignature if wrong

    return run


def raw_parallel(items: list[Item], workers: int) -> None:
    """Verify items split over workers processes as the sync's pool is used: one chunk here,
    the others on the pool of workers - 1 processes."""
    own, *others = [items[n::workers] for n in range(workers)]
    done = verify_pool(workers - 1).map(raw_verify, others)
    assert raw_verify(own) + sum(done) == len(items)


def pool_cpu(workers: int) -> float:
    """Return the CPU seconds (user + system) the pool's processes have used (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in verify_pool(workers - 1)._processes:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def measure(run: Callable[[], None], workers: int) -> tuple[float, float]:
    """Return the wall seconds of run and the CPU seconds it took here and in the pool."""
    signatures_forget()  # nothing memoised by an earlier run
    wall, cpu, pool = time.perf_counter(), time.process_time(), pool_cpu(workers)
    run()
    cpu = time.process_time() - cpu + pool_cpu(workers) - pool
    return time.perf_counter() - wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wallets", type=int, default=1000)
    parser.add_argument("--per-wallet", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=verify_workers())
    args = parser.parse_args()
    issuer, payloads = vouchers_make(args.wallets, args.per_wallet)
    items = raw_items(payloads)
    workers = args.workers

    def parallel(texts: list[str], issuer: str) -> list[Voucher | Exception]:
        return list(vouchers_verify_parallel(texts, issuer, workers=workers))

    parallel(payloads[:1000], issuer)  # start the pool's processes, untimed
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        runs = {
            "sync_1": lambda: sync_run(issuer, payloads, vouchers_verify),
            "sync_n": lambda: sync_run(issuer, payloads, parallel),
            "raw_1": raw_one(items),
            "raw_n": lambda: raw_parallel(items, workers),
        }
        for name, run in runs.items():
            wall, cpu = measure(run, workers)
            best[name] = min(best.get(name, float("inf")), wall)
            best[name + "_cpu"] = min(best.get(name + "_cpu", float("inf")), cpu)
    rate = {name: len(payloads) / best[name] for name in ("sync_1", "sync_n", "raw_1", "raw_n")}
    print(json.dumps({
        "bench": "wallet_offline", "vouchers": len(payloads), "wallets": args.wallets,
        "processes": workers, "cores": os.cpu_count(), "target_per_s": 10_000,
        "sync_intents_per_s": round(rate["sync_n"]),
        "raw_ed25519_per_s_same_processes": round(rate["raw_n"]),
        "ratio_sync_to_raw_same_processes": round(rate["sync_n"] / rate["raw_n"], 3),
        "sync_intents_per_s_one_process": round(rate["sync_1"]),
        "raw_ed25519_per_s_one_process": round(rate["raw_1"]),
        "ratio_sync_to_raw_one_process": round(rate["sync_1"] / rate["raw_1"], 3),
        "speedup_sync_all_cores": round(rate["sync_n"] / rate["sync_1"], 2),
        **{f"cpu_us_per_intent_{name}": round(best[name + "_cpu"] / len(payloads) * 1e6, 1)
           for name in ("sync_1", "sync_n", "raw_1", "raw_n")},
        "cpu_ratio_raw_to_sync_all_processes": round(best["raw_n_cpu"] / best["sync_n_cpu"], 3),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
