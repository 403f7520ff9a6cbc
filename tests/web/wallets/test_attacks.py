"""Attack a wallet without its owner's signature: as admin, as operator, through the API and
through the services and the ledger itself; and race 50 spenders on one wallet.

Every path that moves money ends in terbuka_web.ledger.services, which refuses a wallet debit
that is not the posting of a verified intent or a recorded key rotation (money.spend).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client, RequestFactory

from terbuka.money.errors import PaymentRefused
from terbuka.money.intent import Intent, SignedIntent
from terbuka.money.keys import WalletKey, wallet_key_generate
from terbuka.money.posting import posting_make
from terbuka.money.spend import intent_posting, merchant_account, rekey_posting, wallet_account
from terbuka_web.accounts.models import Role, User
from terbuka_web.ledger.models import Account
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.ledger.services import posting_record, postings_record
from terbuka_web.wallets.models import Merchant, Payment, Wallet
from terbuka_web.wallets.payments import payment_accept
from terbuka_web.wallets.services import purpose_set

from .conftest import ENTITLEMENT, SLUG, World, enrol, intent


def balance(key: str) -> int:
    return Account.objects.filter(key=key).values_list("balance", flat=True).first() or 0


@pytest.mark.django_db
def test_the_ledger_refuses_every_unsigned_wallet_debit(world: World) -> None:
    key = enrol(world, world.people[0])
    account = wallet_account(key.did, SLUG)
    signed = intent(key, 1_000)
    unsigned = [
        posting_make("steal:1", [(account, "debit", 5), (merchant_account("x"), "credit", 5)]),
        # a true intent's memo, but the money goes elsewhere
        posting_make(
            "pay:" + signed.hash(),
            [(account, "debit", 1_000), (merchant_account("thief"), "credit", 1_000)],
            signed.format(),
        ),
        # a key rotation nobody recorded: to a thief's key
        rekey_posting(key.did, wallet_key_generate().did, SLUG, ENTITLEMENT),
    ]
    for posting in unsigned:
        with pytest.raises(PaymentRefused) as refused:
            postings_record(postings=[posting])
        assert refused.value.reason == "unsigned_debit"
    with pytest.raises(PaymentRefused):  # the one-posting service, as a shell would call it
        posting_record(key="x", legs=[(account, "debit", 1), ("merchant:x", "credit", 1)])
    assert balance(account) == ENTITLEMENT
    # Even a truly signed intent only moves money through the wallet's chain checks:
    # posted straight to the ledger it lands, so the intent's posting key makes it once only.
    postings_record(postings=[intent_posting(signed)])
    assert postings_record(postings=[intent_posting(signed)]).created == 0
    assert balance(account) == ENTITLEMENT - 1_000 and ledger_check().ok


@pytest.mark.django_db
def test_admin_and_operator_cannot_debit(world: World) -> None:
    key = enrol(world, world.people[0])
    admin_user = User.objects.create_user("admin", role=Role.ADMIN, is_superuser=True)
    request = RequestFactory().post("/")
    request.user = admin_user
    for model in (Merchant, Payment, Wallet):
        model_admin = admin.site._registry.get(model)
        if model_admin is not None:
            assert not model_admin.has_add_permission(request)
            assert not model_admin.has_change_permission(request)
            assert not model_admin.has_delete_permission(request)
    victim = intent(key, 50_000).intent
    for user in (admin_user, world.operator):
        client = Client()
        client.force_login(user)
        own = User.objects.get(pk=user.pk).username  # signs with a key of its own
        forged = SignedIntent(victim, wallet_key_generate().sign(victim.signing_bytes()))
        answer = client.post(
            "/api/wallets/payments", {"intent": forged.format()}, content_type="application/json"
        )
        assert answer.status_code == 422, own
        assert answer.json()["error"]["code"] == "signature_refused"
        missing = client.post(
            "/api/wallets/payments",
            {"wallet": key.did, "merchant": "toko-ani", "amount": 50_000},
            content_type="application/json",
        )
        assert missing.status_code == 422  # there is no debit without an intent
    assert balance(wallet_account(key.did, SLUG)) == ENTITLEMENT


SPENDERS = 50
AMOUNT = 30_000  # the balance pays exactly ten


def _spend(key: WalletKey, accepted: list[int], refusals: list[str]) -> None:
    """Pay AMOUNT again and again from the server's chain head until the balance is short."""
    try:
        for _attempt in range(400):
            wallet = Wallet.objects.get(did=key.did)
            signed = SignedIntent(*_signed(key, wallet.counter + 1, wallet.head))
            try:
                payment_accept(intent=signed.format())
            except PaymentRefused as exc:
                if exc.reason == "insufficient_balance":
                    refusals.append(exc.reason)
                    return
                if exc.reason not in {"replay", "chain_fork", "chain_gap"}:
                    raise
                continue  # another spender took this counter: read the head again
            accepted.append(AMOUNT)
    finally:
        connection.close()


def _signed(key: WalletKey, counter: int, prev: str) -> tuple[Intent, bytes]:
    body = Intent(
        wallet=key.did, merchant="toko-ani", programme=SLUG, amount=AMOUNT, counter=counter,
        expires=int(time.time()) + 600, prev=prev,
    )  # fmt: skip
    return body, key.sign(body.signing_bytes())


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_spenders_spend_exactly_the_balance(world: World) -> None:
    if connection.vendor == "sqlite":  # writers there are serialised (BEGIN IMMEDIATE)
        pytest.skip("threads cannot share SQLite's in-memory test database: PostgreSQL only")
    purpose_set(actor=None, programme=world.programme, categories=["atk"])  # no caps
    key = enrol(world, world.people[0])
    accepted: list[int] = []
    refusals: list[str] = []
    threads = [
        threading.Thread(target=_spend, args=(key, accepted, refusals)) for _ in range(SPENDERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert sum(accepted) == ENTITLEMENT and len(refusals) == SPENDERS
    assert balance(wallet_account(key.did, SLUG)) == 0
    assert balance(merchant_account("toko-ani")) == ENTITLEMENT
    assert Payment.objects.count() == ENTITLEMENT // AMOUNT
    assert ledger_check().ok
