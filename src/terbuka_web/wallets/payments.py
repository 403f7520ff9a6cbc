"""Accept a wallet's signed payment intent: the one service that spends a wallet's money.

payment_accept(intent=…) runs in one transaction, in six statements on PostgreSQL (paying):
1. parses the intent (TPI1 wire text), then in one statement locks the wallet's row (SELECT …
   FOR UPDATE OF it on PostgreSQL; SQLite transactions are IMMEDIATE, so payments are
   serialised there) and reads the merchant, the programme with its purpose and the day's
   spending, so two payments of one wallet are decided one after the other, each against the
   chain head and the balance the other left;
2. refuses, with the reason, an unknown or revoked wallet, an unknown merchant or programme,
   and every rule of terbuka.money.purpose.payment_check (forged, replay, chain_fork,
   chain_gap, expired, wrong_category, wrong_region, over_payment_cap, over_day_cap), then a
   balance short of the amount (insufficient_balance, found by the ledger under its lock);
3. posts the intent's posting (wallet → merchant, memo the signed intent: the ledger itself
   refuses any wallet debit without it; ledger.services.posting_record_in), appends a
   pseudonymous wallet.payment log entry (the signed intent: a did:key, never a name),
   advances the chain and records the payment.
"""

from __future__ import annotations

import time
from typing import NoReturn

from django.db import transaction

from terbuka.money.errors import BalanceNegative
from terbuka.money.intent import SignedIntent
from terbuka.money.purpose import ChainHead, Restrictions, day_number, payment_check
from terbuka.money.spend import intent_posting, wallet_account
from terbuka_web.benefits.models import Programme
from terbuka_web.ledger.models import Account
from terbuka_web.ledger.services import posting_record_in
from terbuka_web.transparency.services import entry_append
from terbuka_web.wallets.models import Payment, Purpose, Wallet
from terbuka_web.wallets.paying import (
    payment_context,
    payment_write,
    refused,
    restrictions_make,
    wallet_usable,
)

PAYMENT = "wallet.payment"


def restrictions_of(programme: Programme) -> Restrictions:
    """Return the purpose binding of programme's wallet money (none set: regions and expiry).

    The money expires at the end of the programme's last day, WIB.
    """
    try:
        purpose: Purpose | None = programme.purpose  # read with the programme when selected
    except Purpose.DoesNotExist:
        purpose = None
    return restrictions_make(
        programme.slug, programme.period_end, programme.regions,
        (purpose.categories, purpose.payment_cap, purpose.day_cap) if purpose else None,
    )  # fmt: skip


def wallet_locked(did: str) -> Wallet:
    """Return the wallet of did locked for this transaction; refuse unknown or revoked."""
    return wallet_usable(Wallet.objects.select_for_update().filter(did=did).first())


def payment_accept(*, intent: str, now: int | None = None, offline: bool = False) -> Payment:
    """Accept the signed intent (TPI1 wire text) and move its money; return the Payment.

    Raises WalletFormatError for text that does not parse (before any query),
    SignatureRefused for a forged signature, PaymentRefused with its reason for every other
    refusal (module doc). Writes nothing when it raises.
    """
    signed = SignedIntent.parse(intent)
    moment = now if now is not None else int(time.time())
    with transaction.atomic():
        return _accept(signed, moment, offline)


def _accept(signed: SignedIntent, moment: int, offline: bool) -> Payment:
    """Check and record signed at unix second moment inside the caller's transaction."""
    i = signed.intent
    day = day_number(moment)
    found = payment_context(i.wallet, i.merchant, i.programme, day)
    payment_check(
        signed, restrictions=found.restrictions, merchant=found.rule_merchant,
        head=ChainHead(found.wallet.counter, found.wallet.head), spent_today=found.spent_today,
        now=moment,
    )  # fmt: skip
    intent_record(signed)
    text, digest = signed.format(), signed.hash()
    entry = entry_append(
        kind=PAYMENT, ref=f"dompet/{i.wallet}/{i.counter}",
        payload={"intent": text, "hash": digest, "offline": offline},
    )  # fmt: skip
    return payment_write(found, signed, text, day, offline, entry.pk)


def intent_record(signed: SignedIntent) -> None:
    """Post signed's intent_posting; refuse (insufficient_balance) when the wallet is short.

    The ledger reads the balance under its lock and refuses to go below zero.
    """
    account = wallet_account(signed.intent.wallet, signed.intent.programme)
    try:
        posting_record_in(posting=intent_posting(signed))
    except BalanceNegative as short:
        if short.where != account:
            raise
        _balance_refuse(account, signed.intent.amount)


def _balance_refuse(account: str, amount: int) -> NoReturn:
    """Refuse (insufficient_balance): account holds less than amount Rupiah."""
    balance = Account.objects.filter(key=account).values_list("balance", flat=True).first() or 0
    raise refused(
        "insufficient_balance",
        f"saldo Rp {balance} kurang dari Rp {amount}",
        f"the balance of Rp {balance} is short of Rp {amount}",
        "amount",
    )
