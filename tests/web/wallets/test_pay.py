"""Test online payments through the JSON API: accepted with a receipt and its inclusion proof,
refused with the reason (replayed, forged, expired, over a cap, wrong category or region,
out of chain, short), nothing moved on a refusal."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from terbuka.money.intent import GENESIS, SignedIntent
from terbuka.money.keys import wallet_key_generate
from terbuka.money.spend import merchant_account, wallet_account
from terbuka.tlog.proof import Receipt
from terbuka_web.ledger.models import Account
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.services import log_sequence
from terbuka_web.wallets.models import Payment
from terbuka_web.wallets.payments import payment_accept

from .conftest import ENTITLEMENT, SLUG, World, enrol, intent, reading

pytestmark = pytest.mark.django_db


def pay(signed: SignedIntent | str) -> Any:
    text = signed if isinstance(signed, str) else signed.format()
    return Client().post("/api/wallets/payments", {"intent": text}, content_type="application/json")


def balance(key: str) -> int:
    return Account.objects.filter(key=key).values_list("balance", flat=True).first() or 0


def test_payment_moves_money_logs_the_intent_and_gets_a_proof(world: World, settings: Any) -> None:
    key = enrol(world, world.people[0])
    first = intent(key, 25_000)
    answer = pay(first)
    assert answer.status_code == 201, answer.content
    receipt = answer.json()
    assert receipt["hash"] == first.hash() and receipt["proof"] is None  # not sequenced yet
    assert balance(wallet_account(key.did, SLUG)) == ENTITLEMENT - 25_000
    assert balance(merchant_account("toko-ani")) == 25_000
    entry = LogEntry.objects.get(kind="wallet.payment")
    assert json.loads(entry.data)["intent"] == first.format()
    log_sequence()
    shown = Client().get(f"/api/wallets/payments/{first.hash()}").json()
    proof = Receipt.parse(shown["proof"].encode())
    assert proof.index == shown["log_index"]
    second = intent(key, 10_000, merchant="toko-ani")
    assert second.intent.prev == first.hash() and pay(second).status_code == 201
    assert ledger_check().ok


def _refusal(world: World, case: str) -> tuple[str, str]:
    """Set up case and return (intent text, the reason expected)."""
    key = enrol(world, world.people[0])
    now = int(time.time())
    if case == "replay":
        first = intent(key, 1_000)
        assert pay(first).status_code == 201
        return first.format(), "replay"
    if case == "forged":
        text = intent(key, 1_000).format()
        fields = text.split(".")
        fields[4] = "100000"  # the amount raised after signing
        return ".".join(fields), "forged"
    if case == "stranger":  # someone else's key signs for the victim's wallet
        victim = intent(key, 1_000).intent
        forged = SignedIntent(victim, wallet_key_generate().sign(victim.signing_bytes()))
        return forged.format(), "forged"
    cases = {
        "expired": (intent(key, 1_000, expires=now - 1), "expired"),
        "over_payment_cap": (intent(key, 200_001), "over_payment_cap"),
        "wrong_category": (intent(key, 1_000, merchant="apotek-a"), "wrong_category"),
        "wrong_region": (intent(key, 1_000, merchant="toko-b"), "wrong_region"),
        "gap": (intent(key, 1_000, counter=2, prev=GENESIS), "chain_gap"),
        "fork": (intent(key, 1_000, counter=1, prev="B" * 42 + "A"), "chain_fork"),
        "merchant": (intent(key, 1_000, merchant="toko-x"), "unknown_merchant"),
    }
    if case == "over_day_cap":
        assert pay(intent(key, 200_000)).status_code == 201
        return intent(key, 50_001).format(), "over_day_cap"
    if case == "short":
        other = enrol(world, world.people[1])
        payment_accept(intent=intent(other, 200_000).format(), now=now - 86400)  # yesterday
        return intent(other, 100_001).format(), "insufficient_balance"
    signed, reason = cases[case]
    return signed.format(), reason


@pytest.mark.parametrize(
    "case",
    ["replay", "forged", "stranger", "expired", "over_payment_cap", "over_day_cap",
     "wrong_category", "wrong_region", "gap", "fork", "merchant", "short"],
)  # fmt: skip
def test_refused_intent_says_why_and_moves_nothing(world: World, case: str) -> None:
    text, reason = _refusal(world, case)
    before = dict(Account.objects.values_list("key", "balance"))
    payments = Payment.objects.count()
    answer = pay(text)
    assert answer.status_code == 422, answer.content
    error = answer.json()["error"]
    assert error.get("reason", "forged") == reason and error["message"] and error["message_en"]
    assert dict(Account.objects.values_list("key", "balance")) == before
    assert Payment.objects.count() == payments


def test_unknown_receipt_and_wallet_are_404_in_the_error_shape(world: World) -> None:
    client = Client()
    unknown = wallet_key_generate()  # signs its own read, but was never enrolled
    for path, headers in (
        ("/api/wallets/payments/" + "A" * 43, {}),
        (f"/api/wallets/{unknown.did}", reading(unknown)),
    ):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


def test_merchants_are_listed_with_their_villages(world: World) -> None:
    rows = Client().get("/api/wallets/merchants").json()
    assert [(m["id"], m["category"], m["village_code"]) for m in rows] == [
        ("apotek-a", "apotek", "35.22.01.2001"),
        ("toko-ani", "atk", "35.22.01.2001"),
        ("toko-b", "atk", "35.22.02.2001"),
    ]
