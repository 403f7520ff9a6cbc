"""Test the expiry of purpose-bound money: after the programme's last day, `terbuka benefits
tick` returns every wallet's unspent balance to the programme's fund (the one wallet debit
without the owner's signature); before it, or to any other account, the ledger refuses."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from terbuka.errors import TerbukaError
from terbuka.money.errors import PaymentRefused
from terbuka.money.posting import posting_make
from terbuka.money.spend import expiry_posting, merchant_account, wallet_account
from terbuka_web.benefits.models import Programme
from terbuka_web.benefits.schedule import benefits_tick
from terbuka_web.ledger.models import Account
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.ledger.services import postings_record
from terbuka_web.transparency.models import LogEntry
from terbuka_web.wallets.payments import payment_accept
from terbuka_web.wallets.services import wallets_expire

from .conftest import ENTITLEMENT, SLUG, World, enrol, intent

FUND = f"programme:{SLUG}"


def balance(key: str) -> int:
    return Account.objects.filter(key=key).values_list("balance", flat=True).first() or 0


def expire(world: World) -> None:
    """End the programme two days ago: its money in wallets has expired."""
    Programme.objects.filter(pk=world.programme.pk).update(
        period_end=dt.date.today() - dt.timedelta(days=2)
    )
    world.programme.refresh_from_db()


@pytest.mark.django_db
def test_before_expiry_no_wallet_money_moves(world: World) -> None:
    key = enrol(world, world.people[0])
    account = wallet_account(key.did, SLUG)
    assert wallets_expire(programme=world.programme) == 0
    with pytest.raises(PaymentRefused) as refused:  # straight to the ledger, as a shell could
        postings_record(postings=[expiry_posting(key.did, SLUG, ENTITLEMENT, ENTITLEMENT)])
    assert refused.value.reason == "unsigned_debit"
    assert balance(account) == ENTITLEMENT and not LogEntry.objects.filter(kind="wallet.expiry")


@pytest.mark.django_db
def test_the_tick_returns_expired_wallet_money_to_the_fund(world: World) -> None:
    spender, keeper = enrol(world, world.people[0]), enrol(world, world.people[1])
    payment_accept(intent=intent(spender, 100_000).format())
    left = 2 * ENTITLEMENT - 100_000
    expire(world)
    fund_before = balance(FUND)
    out = io.StringIO()
    call_command("terbuka_benefits", "tick", stdout=out)
    assert balance(wallet_account(spender.did, SLUG)) == 0
    assert balance(wallet_account(keeper.did, SLUG)) == 0
    assert balance(merchant_account("toko-ani")) == 100_000  # the merchant keeps what was paid
    entry = json.loads(LogEntry.objects.get(kind="wallet.expiry").data)
    assert entry == {"kind": "wallet.expiry", "programme": SLUG, "wallets": 2, "clawed_back": left}
    cycles = sum(
        json.loads(e.data)["clawed_back"] for e in LogEntry.objects.filter(kind="benefit.clawback")
    )
    assert balance(FUND) - fund_before == left + cycles
    assert f"Rp {left + cycles}" in out.getvalue()
    # a second tick finds nothing left; a payment after expiry is refused
    assert benefits_tick().clawed_back == 0
    assert LogEntry.objects.filter(kind="wallet.expiry").count() == 1
    with pytest.raises(PaymentRefused) as late:
        payment_accept(intent=intent(keeper, 1_000).format())
    assert late.value.reason == "expired" and ledger_check().ok


@pytest.mark.django_db
def test_after_expiry_the_money_goes_nowhere_but_its_fund(world: World) -> None:
    key = enrol(world, world.people[0])
    account = wallet_account(key.did, SLUG)
    expire(world)
    good = expiry_posting(key.did, SLUG, ENTITLEMENT, ENTITLEMENT)
    legs = [(account, "debit", ENTITLEMENT)]
    elsewhere = [
        posting_make(
            good.key, [*legs, (merchant_account("toko-ani"), "credit", ENTITLEMENT)], good.memo
        ),
        posting_make(good.key, [*legs, ("programme:blt-lain", "credit", ENTITLEMENT)], good.memo),
        posting_make(good.key, [*legs, ("settlement:toko-ani", "credit", ENTITLEMENT)], good.memo),
        posting_make("steal:1", [*legs, (FUND, "credit", ENTITLEMENT)], good.memo),
    ]
    for posting in elsewhere:
        with pytest.raises(TerbukaError) as refused:
            postings_record(postings=[posting])
        assert getattr(refused.value, "reason", "") == "unsigned_debit"
    assert balance(account) == ENTITLEMENT
    fund = balance(FUND)
    assert postings_record(postings=[good]).created == 1
    assert postings_record(postings=[good]).created == 0  # the same clawback is a no-op
    assert balance(account) == 0 and balance(FUND) == fund + ENTITLEMENT
    assert wallets_expire(programme=world.programme) == 0 and ledger_check().ok


@pytest.mark.django_db(transaction=True)
def test_racing_ticks_claw_back_once(world: World) -> None:
    if connection.vendor == "sqlite":  # writers there are serialised (BEGIN IMMEDIATE)
        pytest.skip("threads cannot share SQLite's in-memory test database: PostgreSQL only")
    keys = [enrol(world, person) for person in world.people[:3]]
    expire(world)
    fund = balance(FUND)
    moved: list[int] = []

    def tick() -> None:
        try:
            moved.append(wallets_expire(programme=Programme.objects.get(slug=SLUG)))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(moved) == [0, 0, 0, 3 * ENTITLEMENT]
    assert LogEntry.objects.filter(kind="wallet.expiry").count() == 1
    assert balance(FUND) == fund + 3 * ENTITLEMENT
    assert all(balance(wallet_account(k.did, SLUG)) == 0 for k in keys) and ledger_check().ok
