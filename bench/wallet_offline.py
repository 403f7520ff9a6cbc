"""Measure offline intents verified at sync per second against raw Ed25519 verification.

Builds --wallets wallets, each holding one issuer-signed allowance of --per-wallet intents,
and the vouchers (QR payloads "TPI1…~TOA1…") of their offline chains, shuffled as merchants
would hand them in. Then, in the same run, best of --repeat:
- sync, one process: terbuka.money.voucher.vouchers_verify over the payloads (parse both
  parts, the issuer's signature of each distinct allowance once per batch, every wallet's
  intent signature, the wallet and counter rules), then conflicts_find and chain_accept:
  what the server does per voucher before it writes;
- sync, all cores: the same with terbuka.money.verifypool.vouchers_verify_parallel (what
  the server's sync runs), on --workers processes (default: the cores this process may use),
  its pool started (untimed) before;
- raw, one process: cryptography's Ed25519PublicKey.verify of the same intents' signatures
  over their already built signing bytes with already loaded keys (the floor of any
  verifier);
- raw, all cores: the same verifications split into one chunk per process of the same pool
  (public key bytes, signature, message; each worker loads its keys, then verifies).
Every voucher must verify and be accepted (checked, untimed). Ends with one JSON line: the
four rates per second, the ratios sync/raw on one process and on all cores, the CPU seconds
per intent of the one-process runs (steady under other load), the target (10,000 intents/s
at sync), the processes used and the load average.

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


def sync_time(issuer: str, payloads: list[str], verify: Verifier) -> tuple[float, float]:
    """Return the wall and CPU seconds of verifying and deciding payloads as a sync does."""
    signatures_forget()  # nothing memoised by an earlier run
    started, cpu = time.perf_counter(), time.process_time()
    checked = verify(payloads, issuer)
    vouchers = [v for v in checked if isinstance(v, Voucher)]
    conflicts = conflicts_find(vouchers)
    outcome = chain_accept(vouchers, {})
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert len(vouchers) == len(payloads) and not conflicts and not outcome.rejected
    assert len(outcome.accepted) == len(payloads)
    return elapsed, cpu


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


def raw_time(items: list[Item]) -> tuple[float, float]:
    """Return the wall and CPU seconds of raw verification in this process, keys loaded."""
    loaded = [(Ed25519PublicKey.from_public_bytes(k), s, m) for k, s, m in items]
    started, cpu = time.perf_counter(), time.process_time()
    for public, signature, message in loaded:
        public.verify(signature, message)  # raises InvalidSignature if wrong
    return time.perf_counter() - started, time.process_time() - cpu


def raw_parallel_time(items: list[Item], workers: int) -> float:
    """Return the wall seconds of the same verifications split over workers processes."""
    chunks = [items[n::workers] for n in range(workers)]
    started = time.perf_counter()
    done = sum(verify_pool(workers).map(raw_verify, chunks))
    elapsed = time.perf_counter() - started
    assert done == len(items)
    return elapsed


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
            "sync_1": sync_time(issuer, payloads, vouchers_verify),
            "sync_n": (sync_time(issuer, payloads, parallel)[0], 0.0),
            "raw_1": raw_time(items),
            "raw_n": (raw_parallel_time(items, workers), 0.0),
        }
        for name, (wall, cpu) in runs.items():
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
        "cpu_us_per_intent_sync_one_process": round(best["sync_1_cpu"] / len(payloads) * 1e6, 1),
        "cpu_us_per_intent_raw_one_process": round(best["raw_1_cpu"] / len(payloads) * 1e6, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
