"""Measure offline intents verified at sync per second against raw Ed25519 verification.

Builds --wallets wallets, each holding one issuer-signed allowance of --per-wallet intents,
and the vouchers (QR payloads "TPI1…~TOA1…") of their offline chains, shuffled as merchants
would hand them in. Then, in the same run:
- sync: terbuka.money.voucher.vouchers_verify over the payloads (parse both parts, the
  issuer's signature of each distinct allowance once per batch, every wallet's intent
  signature, the wallet and counter rules), then conflicts_find and chain_accept: what the
  server does per voucher before it writes; target ≥ 10,000 intents/s;
- peer: cryptography's Ed25519PublicKey.verify of the same intents' signatures over their
  already built signing bytes with already loaded keys (the floor of any verifier).
Every voucher must verify and be accepted (checked, untimed). Ends with one JSON line
(figures per second, the ratio sync/peer, and the load average).

Usage: python bench/wallet_offline.py [--wallets 1000] [--per-wallet 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from terbuka.money.allowance import Allowance, allowance_sign
from terbuka.money.didkey import did_key_parse
from terbuka.money.intent import Intent, SignedIntent, intent_sign
from terbuka.money.keys import wallet_key_generate
from terbuka.money.voucher import Voucher, chain_accept, conflicts_find, vouchers_verify


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


def sync_rate(issuer: str, payloads: list[str]) -> tuple[float, int]:
    """Return the seconds of verifying and deciding payloads as a sync does, and accepted."""
    started = time.perf_counter()
    checked = vouchers_verify(payloads, issuer)
    vouchers = [v for v in checked if isinstance(v, Voucher)]
    conflicts = conflicts_find(vouchers)
    outcome = chain_accept(vouchers, {})
    elapsed = time.perf_counter() - started
    assert len(vouchers) == len(payloads) and not conflicts and not outcome.rejected
    return elapsed, len(outcome.accepted)


def peer_rate(payloads: list[str]) -> float:
    """Return the seconds of raw Ed25519 verification of the payloads' intent signatures."""
    items = []
    for payload in payloads:
        signed = SignedIntent.parse(payload.split("~")[0])
        public = Ed25519PublicKey.from_public_bytes(did_key_parse(signed.intent.wallet))
        items.append((public, signed.signature, signed.intent.signing_bytes()))
    started = time.perf_counter()
    for public, signature, message in items:
        public.verify(signature, message)  # raises InvalidSignature if wrong
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wallets", type=int, default=1000)
    parser.add_argument("--per-wallet", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    issuer, payloads = vouchers_make(args.wallets, args.per_wallet)
    sync_best, peer_best, accepted = float("inf"), float("inf"), 0
    for _ in range(args.repeat):
        elapsed, accepted = sync_rate(issuer, payloads)
        sync_best = min(sync_best, elapsed)
        peer_best = min(peer_best, peer_rate(payloads))
    assert accepted == len(payloads)
    sync_per_s = len(payloads) / sync_best
    peer_per_s = len(payloads) / peer_best
    print(json.dumps({
        "bench": "wallet_offline", "vouchers": len(payloads), "wallets": args.wallets,
        "sync_intents_per_s": round(sync_per_s), "target_per_s": 10_000,
        "raw_ed25519_per_s": round(peer_per_s),
        "ratio_sync_to_raw": round(sync_per_s / peer_per_s, 3),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
