"""Verify a large batch of offline vouchers on all the machine's cores.

vouchers_verify_parallel(texts, issuer) gives what voucher.vouchers_verify gives, in the same
order. A batch of at least PARALLEL_MIN vouchers on a machine of more than one core is split
by allowance (so each distinct allowance's signature is still checked once) into one chunk
per core: this process verifies the first chunk itself while each of the pool's processes
(one fewer than the cores) runs vouchers_verify on another and sends back the vouchers it
verified, with their signing bytes and hashes already computed (pickled). A voucher a worker
refused comes back as None and is checked again here for its exact refusal: refusals are
rare, the honest batch stays parallel. What the workers verified is recorded with
keys.signatures_verified, so the ledger's re-check of an accepted payment here costs no
second verification. Smaller batches, or one core, run in this process.

The pool is started on first use and kept for the life of the process ("forkserver": the
workers start clean, with none of the caller's threads or database connections).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from terbuka.errors import TerbukaError
from terbuka.money.keys import signatures_forget, signatures_verified
from terbuka.money.voucher import Voucher, vouchers_verify

PARALLEL_MIN = 200  # below this a batch verifies faster in process than through the pool
_pools: dict[int, ProcessPoolExecutor] = {}


def verify_workers() -> int:
    """Return how many cores this process may run on (its CPU affinity)."""
    return len(os.sched_getaffinity(0))


def verify_pool(workers: int) -> ProcessPoolExecutor:
    """Return the process pool of workers processes, started on first use and kept
    (vouchers_verify_parallel on N cores uses the pool of N - 1)."""
    if workers not in _pools:
        context = multiprocessing.get_context("forkserver")
        _pools[workers] = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    return _pools[workers]


def vouchers_verify_parallel(
    texts: Iterable[str], issuer: str, *, workers: int | None = None
) -> list[Voucher | TerbukaError]:
    """Return each voucher of texts verified as vouchers_verify does, on workers processes
    (default: verify_workers()); in process for a small batch or a single worker."""
    batch = list(texts)
    count = verify_workers() if workers is None else workers
    if count < 2 or len(batch) < PARALLEL_MIN:
        return vouchers_verify(batch, issuer)
    chunks = _chunks(batch, count)
    own, others = chunks[0], chunks[1:]
    results: list[Voucher | TerbukaError | None] = [None] * len(batch)
    parts = [[batch[n] for n in chunk] for chunk in others]
    done = verify_pool(count - 1).map(_verify_chunk, parts, [issuer] * len(parts))  # submitted
    for n, checked in zip(own, vouchers_verify([batch[n] for n in own], issuer), strict=True):
        results[n] = checked  # meanwhile, here
    for chunk, verified in zip(others, done, strict=True):
        for n, voucher in zip(chunk, verified, strict=True):
            results[n] = voucher
    refused = [n for n, result in enumerate(results) if result is None]
    for n, checked in zip(
        refused, vouchers_verify([batch[n] for n in refused], issuer), strict=True
    ):
        results[n] = checked
    signatures_verified(_triples(results[n] for chunk in others for n in chunk))
    return [r for r in results if r is not None]


def _chunks(batch: list[str], count: int) -> list[list[int]]:
    """Return the indices of batch in count chunks of about equal size, one allowance's
    vouchers (same text after "~") in one chunk, the biggest groups placed first."""
    groups: dict[str, list[int]] = {}
    for n, text in enumerate(batch):
        groups.setdefault(text.rpartition("~")[2], []).append(n)
    chunks: list[list[int]] = [[] for _ in range(count)]
    for group in sorted(groups.values(), key=len, reverse=True):
        min(chunks, key=len).extend(group)
    return [sorted(chunk) for chunk in chunks if chunk]


def _verify_chunk(texts: list[str], issuer: str) -> list[Voucher | None]:
    """Verify texts in a worker: each voucher, or None where it was refused. The worker keeps
    no memo from an earlier chunk: what it verified is remembered by the caller."""
    signatures_forget()
    return [v if isinstance(v, Voucher) else None for v in vouchers_verify(texts, issuer)]


def _triples(
    results: Iterable[Voucher | TerbukaError | None],
) -> list[tuple[str, bytes, bytes]]:
    """Return the (did:key, signature, signed bytes) of each verified voucher's intent."""
    found: list[tuple[str, bytes, bytes]] = []
    for voucher in results:
        if not isinstance(voucher, Voucher):
            continue
        intent = voucher.intent
        found.append((intent.intent.wallet, intent.signature, intent.intent.signing_bytes()))
    return found
