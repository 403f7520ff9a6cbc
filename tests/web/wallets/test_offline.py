"""Test offline payments on the server: allowances issued for a signed request, merchants'
syncs (accepted, duplicate, waiting, grievance, refused), every double spend caught in random
sync mixes, idempotent and interrupted syncs, reserves returned, concurrent merchants."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from terbuka.money.allowance import SignedAllowance, allowance_sign
from terbuka.money.intent import Intent, SignedIntent, intent_sign
from terbuka.money.keys import WalletKey, wallet_key_generate
from terbuka.money.spend import merchant_account, offline_account, wallet_account
from terbuka.money.verifypool import PARALLEL_MIN
from terbuka.money.voucher import Voucher
from terbuka_web.benefits.schedule import benefits_tick
from terbuka_web.ledger.models import Account
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.wallets.models import (
    Grievance,
    OfflineAllowance,
    OfflineVoucher,
    Payment,
    Wallet,
)
from terbuka_web.wallets.offline import (
    GRACE_SECONDS,
    allowances_close,
    vouchers_sync,
)
from terbuka_web.wallets.services import merchant_approve, merchant_token_issue

from .conftest import ENTITLEMENT, SLUG, World, approved, enrol, intent

pytestmark = pytest.mark.django_db


def balance(key: str) -> int:
    return Account.objects.filter(key=key).values_list("balance", flat=True).first() or 0


def ask(key: WalletKey, amount: int, count: int = 5) -> Any:
    request = intent(key, amount, merchant="luring")
    body = {"intent": request.format(), "count": count}
    return Client().post("/api/wallets/allowances", body, content_type="application/json")


class Offline:
    """A wallet's offline side: its allowance and the chain it signs from the request."""

    def __init__(self, key: WalletKey, answer: dict[str, Any]) -> None:
        self.key = key
        self.allowance = SignedAllowance.parse(answer["allowance"])
        self.counter, self.prev = answer["start"] - 1, answer["request"]

    def pay(self, merchant: str, amount: int, *, counter: int = 0, prev: str = "") -> str:
        """Return a voucher (the next one unless counter/prev given; those do not advance),
        expiring with the allowance as the phone's do."""
        signed = intent_sign(self.key, Intent(
            wallet=self.key.did, merchant=merchant, programme=SLUG, amount=amount,
            counter=counter or self.counter + 1, expires=self.allowance.allowance.expires,
            prev=prev or self.prev,
        ))  # fmt: skip
        if not counter:
            self.counter, self.prev = signed.intent.counter, signed.hash()
        return Voucher(signed, self.allowance).format()


def offline(world: World, amount: int = 100_000, count: int = 5, person: int = 0) -> Offline:
    key = enrol(world, world.people[person])
    answer = ask(key, amount, count)
    assert answer.status_code == 201, answer.content
    return Offline(key, answer.json())


def sync(token: str, vouchers: list[str]) -> Any:
    return Client().post(
        "/api/wallets/sync", {"vouchers": vouchers}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip


def statuses(answer: Any) -> list[tuple[str, str | None]]:
    assert answer.status_code == 200, answer.content
    return [(r["status"], r["reason"]) for r in answer.json()["results"]]


def test_allowance_moves_money_to_the_reserve_and_online_skips_its_counters(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 100_000, 5)
    a = w.allowance.allowance
    assert (a.wallet, a.amount, a.count, a.start) == (w.key.did, 100_000, 5, 2)
    assert (a.categories, a.regions, a.payment_cap) == (("atk", "warung"), ("352201",), 200_000)
    assert balance(wallet_account(w.key.did, SLUG)) == ENTITLEMENT - 100_000
    assert balance(offline_account(w.key.did, SLUG)) == 100_000
    wallet = Wallet.objects.get(did=w.key.did)
    assert (wallet.counter, wallet.head) == (6, w.allowance.hash())
    online = intent(w.key, 10_000)  # counter 7 after the allowance's hash
    answer = Client().post(
        "/api/wallets/payments", {"intent": online.format()}, content_type="application/json"
    )
    assert answer.status_code == 201 and online.intent.counter == 7
    assert ledger_check().ok


def test_allowance_requests_are_refused_without_the_owner_or_the_money(
    world: World, issuer: WalletKey, settings: Any
) -> None:
    key = enrol(world, world.people[0])
    other = wallet_key_generate()
    forged = SignedIntent(intent(key, 1000, merchant="luring").intent, other.sign(b"x" * 10))
    cases = [
        (intent(key, 1000).format(), 3, "wrong_merchant"),
        (forged.format(), 3, "signature_refused"),
        (intent(key, ENTITLEMENT + 1, merchant="luring").format(), 3, "insufficient_balance"),
        (intent(key, 1000, merchant="luring", counter=5).format(), 3, "chain_gap"),
        (intent(key, 1000, merchant="luring", expires=1).format(), 3, "expired"),
    ]
    for text, count, reason in cases:
        answer = Client().post(
            "/api/wallets/allowances", {"intent": text, "count": count},
            content_type="application/json",
        )  # fmt: skip
        error = answer.json()["error"]
        assert answer.status_code == 422 and error.get("reason", error["code"]) == reason, reason
    answer = ask(key, 1000, count=21)
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "count"
    settings.TERBUKA = {**settings.TERBUKA, "WALLET_ISSUER_KEY_FILE": ""}
    assert ask(key, 1000).json()["error"]["field"] == "allowance"
    assert OfflineAllowance.objects.count() == 0
    assert balance(wallet_account(key.did, SLUG)) == ENTITLEMENT


def test_sync_pays_merchants_with_receipts_and_a_retry_duplicates_nothing(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 100_000, 5)
    token = merchant_token_issue(officer=world.ppk, code="toko-ani")
    first, second = w.pay("toko-ani", 30_000), w.pay("toko-ani", 20_000)
    assert statuses(sync(token, [second])) == [("waiting", None)]
    assert statuses(sync(token, [first, second])) == [("accepted", None), ("accepted", None)]
    assert statuses(sync(token, [first, second])) == [("duplicate", None), ("duplicate", None)]
    assert balance(merchant_account("toko-ani")) == 50_000
    assert balance(offline_account(w.key.did, SLUG)) == 50_000
    receipt = Client().get(sync(token, [first]).json()["results"][0]["receipt"]).json()
    assert receipt["offline"] is True and receipt["amount"] == 30_000
    assert sync("toko-ani.wrong", [first]).status_code == 401
    assert sync("", [first]).status_code == 401
    assert ledger_check().ok


def test_attacks_at_sync_are_refused_or_queued_with_evidence(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 50_000, 5)
    v = offline(world, 50_000, 5, person=1)
    token = merchant_token_issue(officer=world.ppk, code="toko-ani")
    thief = wallet_key_generate()
    a = w.allowance.allowance
    forged_allowance = allowance_sign(thief, a)  # not the issuer's key
    signed = SignedIntent.parse(w.pay("toko-ani", 1000, counter=a.start).split("~")[0])
    never_issued = allowance_sign(issuer, replace(a, amount=10**9))
    other_wallets = Voucher(signed, v.allowance).format()  # v's allowance, w's intent
    answer = statuses(sync(token, [
        Voucher(signed, forged_allowance).format(), other_wallets,
        Voucher(signed, never_issued).format(), w.pay("toko-b", 1000, counter=a.start),
        w.pay("toko-ani", 1000, counter=a.start + 5), "TPI1.rubbish",
    ]))  # fmt: skip
    assert answer == [
        ("refused", "forged"),
        ("refused", "forged"),
        ("refused", "unknown_allowance"),
        ("refused", "wrong_merchant"),
        ("refused", "outside_allowance"),
        ("refused", "wallet_format"),
    ]
    x1 = w.pay("toko-ani", 20_000)  # counter 2
    x1_twin = w.pay("toko-ani", 25_000, counter=x1_counter(x1), prev=w_request(w))
    x2 = w.pay("toko-ani", 20_000)  # counter 3 after x1
    fork = w.pay(
        "toko-ani",
        5_000,
        counter=x1_counter(x1) + 2,
        prev=SignedIntent.parse(x1.split("~")[0]).hash(),
    )  # counter 4 after x1, skipping x2's place: a fork of x2
    x3 = w.pay("toko-ani", 20_000)  # counter 4 after x2: overdraws 50,000
    answer = statuses(sync(token, [x1, x1_twin, x2, fork, x3]))
    assert answer == [("accepted", None), ("grievance", "counter"), ("accepted", None),
                      ("grievance", "fork"), ("grievance", "overdrawn")]  # fmt: skip
    queue = {g.reason: g.evidence for g in Grievance.objects.all()}
    assert set(queue) == {"counter", "fork", "overdrawn"}
    assert all(len(evidence) >= 2 for evidence in queue.values())
    assert x1.split("~")[0] in queue["counter"] and x1_twin.split("~")[0] in queue["counter"]
    assert balance(merchant_account("toko-ani")) == 40_000
    assert ledger_check().ok


def x1_counter(voucher: str) -> int:
    return SignedIntent.parse(voucher.split("~")[0]).intent.counter


def w_request(w: Offline) -> str:
    return OfflineAllowance.objects.get(hash=w.allowance.hash()).request_hash


def test_expired_allowances_return_the_reserve_and_later_vouchers_are_late(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 60_000, 3)
    merchant = approved("toko-ani")
    paid, gap_after, late = w.pay("toko-ani", 10_000), None, None
    w.pay("toko-ani", 10_000)  # never synced
    gap_after = w.pay("toko-ani", 10_000)
    assert [r.status for r in vouchers_sync(merchant=merchant, vouchers=[paid, gap_after])] == [
        "accepted", "waiting"]  # fmt: skip
    after = w.allowance.allowance.expires + GRACE_SECONDS + 1
    assert allowances_close(now=after) == 1 and allowances_close(now=after) == 0
    assert balance(offline_account(w.key.did, SLUG)) == 0
    assert balance(wallet_account(w.key.did, SLUG)) == ENTITLEMENT - 10_000
    assert Grievance.objects.get().reason == "gap"
    late = w.pay("toko-ani", 5_000, counter=2, prev=w_request(w))
    assert [(r.status, r.reason) for r in vouchers_sync(merchant=merchant, vouchers=[late])] == [
        ("grievance", "late")]  # fmt: skip
    assert ledger_check().ok


def test_a_reserve_returns_to_the_new_key_after_a_re_enrolment(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 60_000, 3)
    new = enrol(world, world.people[0])  # key lost: re-enrolled at the desk
    assert balance(wallet_account(new.did, SLUG)) == ENTITLEMENT - 60_000
    paid = w.pay("toko-ani", 10_000)  # taken before the loss, synced after
    assert vouchers_sync(merchant=approved("toko-ani"), vouchers=[paid])[0].status == "accepted"
    assert allowances_close(now=w.allowance.allowance.expires + GRACE_SECONDS + 1) == 1
    assert balance(wallet_account(new.did, SLUG)) == ENTITLEMENT - 10_000
    assert balance(wallet_account(w.key.did, SLUG)) == 0
    assert ledger_check().ok


def test_an_interrupted_sync_retried_loses_and_duplicates_nothing(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 100_000, 5)
    token = merchant_token_issue(officer=world.ppk, code="toko-ani")
    vouchers = [w.pay("toko-ani", 10_000) for _ in range(5)]
    sync(token, vouchers[:3])  # the answer never reached the merchant
    assert statuses(sync(token, vouchers)) == [("duplicate", None)] * 3 + [("accepted", None)] * 2
    assert Payment.objects.filter(offline=True).count() == 5
    assert balance(merchant_account("toko-ani")) == 50_000


MERCHANTS = ["toko-ani", "toko-c", "toko-b", "apotek-a"]  # the last two break purpose rules


@hsettings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_sync_mixes_catch_every_double_spend(
    world: World, issuer: WalletKey, data: st.DataObject
) -> None:
    with transaction.atomic():  # each example from the same start
        _random_mix(world, data)
        transaction.set_rollback(True)


def shop_c(world: World) -> None:
    """Approve toko-c, a warung in toko-ani's village: a second shop keeping every rule."""
    merchant_approve(officer=world.ppk, code="toko-c", name="Toko C", category="warung",
                     village=approved("toko-ani").village_id)  # fmt: skip


def _random_mix(world: World, data: st.DataObject) -> None:
    shop_c(world)
    w = offline(world, 60_000, 4)
    allowance = w.allowance.allowance
    request = w_request(w)
    # an honest chain plus forks and counter reuses branching anywhere in it
    chain: list[str] = []
    made: list[str] = []
    for _ in range(data.draw(st.integers(1, 6))):
        merchant = data.draw(st.sampled_from(MERCHANTS))
        amount = data.draw(st.integers(1, 30)) * 1000
        if chain and data.draw(st.booleans()):  # a double spend off an earlier intent
            at = data.draw(st.integers(0, min(len(chain), allowance.count - 1)))
            prev = request if at == 0 else SignedIntent.parse(chain[at - 1].split("~")[0]).hash()
            made.append(w.pay(merchant, amount, counter=allowance.start + at, prev=prev))
        elif w.counter < allowance.start + allowance.count - 1:
            chain.append(w.pay(merchant, amount))
            made.append(chain[-1])
    tokens = {m: merchant_token_issue(officer=world.ppk, code=m) for m in MERCHANTS}
    # each merchant syncs its vouchers in random batches, in random order, with retries
    for _ in range(data.draw(st.integers(1, 4))):
        merchant = data.draw(st.sampled_from(MERCHANTS))
        own = [v for v in made if f".{merchant}." in v.split("~")[0]]
        batch = data.draw(st.lists(st.sampled_from(own), max_size=6)) if own else []
        if batch:
            statuses(sync(tokens[merchant], batch))
    for merchant in MERCHANTS:  # a last full sync of everything, twice
        own = [v for v in made if f".{merchant}." in v.split("~")[0]]
        if own:
            sync(tokens[merchant], own)
            again = statuses(sync(tokens[merchant], own))
            assert all(s in ("duplicate", "grievance", "waiting") for s, _ in again)
    paid = Payment.objects.filter(offline=True, wallet__did=w.key.did)
    spent = sum(paid.values_list("amount", flat=True))
    assert spent <= allowance.amount
    counters = list(paid.values_list("counter", flat=True))
    assert len(counters) == len(set(counters))  # one intent per counter
    hashes = {p.intent_hash for p in paid}
    queued = set(Grievance.objects.filter(wallet__did=w.key.did).values_list(
        "voucher__intent_hash", flat=True))  # fmt: skip
    synced = {SignedIntent.parse(v.split("~")[0]).hash() for v in made}
    assert hashes.isdisjoint(queued)
    assert not paid.filter(merchant__code__in=MERCHANTS[2:]).exists()
    # every intent is paid, queued or waits for a predecessor that never arrived: none lost
    waiting = set(OfflineVoucher.objects.filter(status="waiting").values_list(
        "intent_hash", flat=True))  # fmt: skip
    assert synced == hashes | queued | waiting
    # every pair of distinct synced intents on one counter or one prev: at most one paid
    intents = [SignedIntent.parse(v.split("~")[0]) for v in made]
    for one in intents:
        for two in intents:
            if one.hash() != two.hash() and (
                one.intent.counter == two.intent.counter or one.intent.prev == two.intent.prev
            ):
                assert not (one.hash() in hashes and two.hash() in hashes)
    assert balance(offline_account(w.key.did, SLUG)) == allowance.amount - spent
    assert ledger_check().ok


@pytest.mark.django_db(transaction=True)
def test_two_merchants_syncing_conflicting_vouchers_at_once_pay_one(
    world: World, issuer: WalletKey
) -> None:
    if connection.vendor == "sqlite":  # writers there are serialised (BEGIN IMMEDIATE)
        pytest.skip("threads cannot share SQLite's in-memory test database: PostgreSQL only")
    w = offline(world, 100_000, 5)
    request = w_request(w)
    start = w.allowance.allowance.start
    shop_c(world)
    merchants = {"toko-ani": approved("toko-ani"), "toko-c": approved("toko-c")}
    vouchers = {m: [w.pay(m, 30_000, counter=start, prev=request)] for m in merchants}
    results: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def run(code: str) -> None:
        try:
            barrier.wait()
            results[code] = vouchers_sync(merchant=merchants[code], vouchers=vouchers[code])[
                0
            ].status
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(m,)) for m in merchants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results.values()) == ["accepted", "grievance"]
    assert Payment.objects.filter(offline=True).count() == 1
    assert balance(merchant_account("toko-ani")) + balance(merchant_account("toko-c")) == 30_000
    assert Grievance.objects.get().reason == "counter"
    assert ledger_check().ok


def test_the_benefits_tick_closes_allowances_past_grace(world: World, issuer: WalletKey) -> None:
    w = offline(world, 60_000, 3)
    OfflineAllowance.objects.update(expires=int(time.time()) - GRACE_SECONDS - 10)
    benefits_tick()
    assert OfflineAllowance.objects.get().closed_at is not None
    assert balance(offline_account(w.key.did, SLUG)) == 0
    assert ledger_check().ok


def test_a_sync_batch_verified_on_worker_processes_pays_each_voucher_once(
    world: World, issuer: WalletKey
) -> None:
    chains: list[Offline] = []
    for person in range(3):  # the three people of the programme's region
        key = enrol(world, world.people[person])
        for _ in range(4):  # four allowances of 20 intents each
            answer = ask(key, 20_000, 20)
            assert answer.status_code == 201, answer.content
            chains.append(Offline(key, answer.json()))
    shop_c(world)  # inside the programme's region, as toko-ani
    vouchers = [c.pay("toko-ani" if n % 2 else "toko-c", 1000)
                for n in range(20) for c in chains]  # fmt: skip
    assert len(vouchers) >= PARALLEL_MIN  # verified by verifypool's workers
    own = {m: [v for v in vouchers if f".{m}." in v] for m in ("toko-ani", "toko-c")}

    def statuses_of(shop: str) -> set[str]:
        return {r.status for r in vouchers_sync(merchant=approved(shop), vouchers=own[shop])}

    assert statuses_of("toko-ani") == {"waiting"}  # each after one of toko-c's
    assert statuses_of("toko-c") == {"accepted"}  # and toko-ani's with them
    assert statuses_of("toko-ani") == statuses_of("toko-c") == {"duplicate"}
    assert Payment.objects.filter(offline=True).count() == len(vouchers) == 240
    assert balance(merchant_account("toko-ani")) == balance(merchant_account("toko-c")) == 120_000
    assert ledger_check().ok
