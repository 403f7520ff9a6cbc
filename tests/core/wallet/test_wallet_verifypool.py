"""Test that a sync batch verified on worker processes gives what one process gives: the same
vouchers in the same order, the same refusals, and no second verification of what they
verified (the ledger's re-check)."""

from __future__ import annotations

from dataclasses import replace

from tests.core.wallet.samples import ISSUER, OTHER, WALLET

from terbuka.money import keys
from terbuka.money.allowance import Allowance, SignedAllowance, allowance_sign
from terbuka.money.intent import GENESIS, Intent, intent_sign
from terbuka.money.keys import (
    VERIFIED_MAX,
    signatures_forget,
    signatures_verified,
    wallet_key_from_seed,
)
from terbuka.money.purpose import refusal_reason
from terbuka.money.verifypool import PARALLEL_MIN, _chunks, vouchers_verify_parallel
from terbuka.money.voucher import Voucher, vouchers_verify


def _batch(wallets: int, per_wallet: int) -> list[str]:
    """Return per_wallet chained vouchers of each of wallets wallets, interleaved."""
    chains: list[list[str]] = []
    for n in range(wallets):
        key = wallet_key_from_seed(bytes([n + 10]) * 32)
        allowance = allowance_sign(ISSUER, Allowance(key.did, "pip-2026", 10**6, per_wallet, 1,
                                                     2 * 10**9))  # fmt: skip
        prev, chain = GENESIS, []
        for counter in range(1, per_wallet + 1):
            signed = intent_sign(key, Intent(key.did, "toko-ani", "pip-2026", 1000, counter,
                                             2 * 10**9, prev))  # fmt: skip
            prev = signed.hash()
            chain.append(Voucher(signed, allowance).format())
        chains.append(chain)
    return [chain[n] for n in range(per_wallet) for chain in chains]


def _refusals(batch: list[str]) -> list[str]:
    """Append refused vouchers: forged allowance, forged intent, outside, rubbish."""
    good = Voucher.parse(batch[0])
    a = good.allowance.allowance
    forged = SignedAllowance(replace(a, amount=a.amount * 10), good.allowance.signature)
    other = intent_sign(OTHER, replace(good.intent.intent, wallet=OTHER.did))
    mismatched = Voucher(replace(other, intent=good.intent.intent), good.allowance)
    outside = intent_sign(WALLET, Intent(WALLET.did, "toko-ani", "pip-2026", 1, 99, 1, GENESIS))
    theirs = allowance_sign(ISSUER, Allowance(WALLET.did, "pip-2026", 5, 1, 1, 1))
    return [Voucher(good.intent, forged).format(), mismatched.format(),
            Voucher(outside, theirs).format(), "TPI1.x"]  # fmt: skip


def test_workers_give_what_one_process_gives_in_order() -> None:
    batch = _batch(12, 20)
    batch[100:100] = _refusals(batch)
    assert len(batch) >= PARALLEL_MIN
    signatures_forget()
    parallel = vouchers_verify_parallel(batch, ISSUER.did, workers=2)
    serial = vouchers_verify(batch, ISSUER.did)
    assert len(parallel) == len(serial) == len(batch)
    for mine, theirs in zip(parallel, serial, strict=True):
        if isinstance(theirs, Voucher):
            assert mine == theirs and mine.intent.hash() == theirs.intent.hash()
        else:
            assert not isinstance(mine, Voucher)
            assert refusal_reason(mine) == refusal_reason(theirs)
    assert [refusal_reason(v) for v in parallel[100:104]] == [  # type: ignore[arg-type]
        "forged", "forged", "outside_allowance", "wallet_format"]  # fmt: skip


def test_what_workers_verified_is_known_here_and_forgotten_on_demand() -> None:
    batch = _batch(10, 20)
    signatures_forget()
    verified = vouchers_verify_parallel(batch, ISSUER.did, workers=2)
    triples = [(v.intent.intent.wallet, v.intent.signature, v.intent.intent.signing_bytes())
               for v in verified if isinstance(v, Voucher)]  # fmt: skip
    assert len(triples) == len(batch)
    # the workers' chunk is recorded for signature_valid (this process's own is in its memo)
    _own, theirs = _chunks(batch, 2)
    recorded = [triple for triple in triples if triple in keys._verified]
    assert len(recorded) == len(theirs) > 0
    # what is recorded is answered as valid, so only verified answers may be recorded
    wrong = (WALLET.did, bytes(64), b"never signed")
    signatures_verified([wrong])
    assert keys.signature_valid(*wrong)
    signatures_forget()
    assert not keys.signature_valid(*wrong)
    signatures_verified([(WALLET.did, bytes(64), str(n).encode()) for n in range(VERIFIED_MAX + 5)])
    assert len(keys._verified) == VERIFIED_MAX
    signatures_forget()


def test_a_small_batch_or_one_worker_stays_in_process() -> None:
    batch = _batch(2, 3)
    assert vouchers_verify_parallel(batch, ISSUER.did) == vouchers_verify(batch, ISSUER.did)
    big = _batch(10, 20)
    assert vouchers_verify_parallel(big, ISSUER.did, workers=1) == vouchers_verify(big, ISSUER.did)


def test_chunks_keep_each_allowance_whole_and_balance_the_work() -> None:
    batch = _batch(9, 20)
    chunks = _chunks(batch, 2)
    seen = [{batch[n].rpartition("~")[2] for n in chunk} for chunk in chunks]
    assert not seen[0] & seen[1]
    assert sorted(n for chunk in chunks for n in chunk) == list(range(len(batch)))
    assert abs(len(chunks[0]) - len(chunks[1])) <= 20
