"""Accept a wallet's signed payment intent: the one service that spends a wallet's money.

payment_accept(intent=…) runs in one transaction:
1. parses the intent (TPI1 wire text) and locks the wallet's row (SELECT … FOR UPDATE on
   PostgreSQL; SQLite transactions are IMMEDIATE, so payments are serialised there), so two
   payments of one wallet are decided one after the other, each against the chain head and
   the balance the other left;
2. refuses, with the reason, an unknown or revoked wallet, an unknown merchant or programme,
   and every rule of terbuka.money.purpose.payment_check (forged, replay, chain_fork,
   chain_gap, expired, wrong_category, wrong_region, over_payment_cap, over_day_cap), then a
   balance short of the amount (insufficient_balance, found by the ledger under its lock);
3. posts the intent's posting (wallet → merchant, memo the signed intent: the ledger itself
   refuses any wallet debit without it), appends a pseudonymous wallet.payment log entry
   (the signed intent: a did:key, never a name), advances the chain and records the payment.
"""

from __future__ import annotations

import time
from typing import NoReturn

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from terbuka.money.errors import BalanceNegative, PaymentRefused
from terbuka.money.intent import SignedIntent
from terbuka.money.purpose import ChainHead, Restrictions, day_of, money_expires, payment_check
from terbuka.money.purpose import Merchant as RuleMerchant
from terbuka.money.spend import intent_posting, wallet_account
from terbuka_web.benefits.models import Programme
from terbuka_web.ledger.models import Account
from terbuka_web.ledger.services import postings_record
from terbuka_web.transparency.services import entry_append
from terbuka_web.wallets.models import Merchant, Payment, Purpose, Wallet

PAYMENT = "wallet.payment"


def restrictions_of(programme: Programme) -> Restrictions:
    """Return the purpose binding of programme's wallet money (none set: regions and expiry).

    The money expires at the end of the programme's last day, WIB.
    """
    try:
        purpose: Purpose | None = programme.purpose  # read with the programme when selected
    except Purpose.DoesNotExist:
        purpose = None
    return Restrictions(
        programme=programme.slug,
        expires=money_expires(programme.period_end),
        categories=frozenset(purpose.categories if purpose else ()),
        regions=tuple(programme.regions),
        payment_cap=purpose.payment_cap if purpose else 0,
        day_cap=purpose.day_cap if purpose else 0,
    )


def _refused(reason: str, message_id: str, message_en: str, where: str) -> PaymentRefused:
    return PaymentRefused(reason, message_id, message_en, where=where)


def wallet_locked(did: str) -> Wallet:
    """Return the wallet of did locked for this transaction; refuse unknown or revoked."""
    wallet = Wallet.objects.select_for_update().filter(did=did).first()
    if wallet is None:
        raise _refused("unknown_wallet", "dompet tidak terdaftar", "unknown wallet", "wallet")
    if wallet.status != Wallet.Status.ACTIVE:
        raise _refused(
            "revoked_wallet",
            "kunci dompet ini sudah dicabut (diganti kunci baru)",
            "this wallet key was revoked (replaced by a new key)",
            "wallet",
        )
    return wallet


@transaction.atomic
def payment_accept(*, intent: str, now: int | None = None, offline: bool = False) -> Payment:
    """Accept the signed intent (TPI1 wire text) and move its money; return the Payment.

    Raises WalletFormatError for text that does not parse, SignatureRefused for a forged
    signature, PaymentRefused with its reason for every other refusal (module doc). Writes
    nothing when it raises.
    """
    signed = SignedIntent.parse(intent)
    i = signed.intent
    wallet = wallet_locked(i.wallet)
    merchant = Merchant.objects.filter(code=i.merchant).first()
    if merchant is None:
        raise _refused(
            "unknown_merchant", "pedagang tidak disetujui", "merchant not approved", "merchant"
        )
    programme = Programme.objects.select_related("purpose").filter(slug=i.programme).first()
    if programme is None:
        raise _refused("wrong_programme", "program tidak dikenal", "unknown programme", "programme")
    restrictions = restrictions_of(programme)
    moment = now if now is not None else int(time.time())
    day = day_of(moment, restrictions)
    payment_check(
        signed,
        restrictions=restrictions,
        merchant=RuleMerchant(merchant.code, merchant.category, merchant.village_id),
        head=ChainHead(wallet.counter, wallet.head),
        spent_today=_spent(wallet, i.programme, day) if restrictions.day_cap else 0,
        now=moment,
    )
    intent_record(signed)
    entry = entry_append(
        kind=PAYMENT, ref=f"dompet/{i.wallet}/{i.counter}",
        payload={"intent": signed.format(), "hash": signed.hash(), "offline": offline},
    )  # fmt: skip
    wallet.counter, wallet.head = i.counter, signed.hash()
    wallet.save(update_fields=["counter", "head"])
    return Payment.objects.create(
        intent_hash=signed.hash(), wallet=wallet, merchant=merchant, programme=i.programme,
        amount=i.amount, counter=i.counter, day=day, intent=signed.format(), offline=offline,
        accepted_at=timezone.now(), entry_id=entry.pk,
    )  # fmt: skip


def _spent(wallet: Wallet, programme: str, day: int) -> int:
    """Return the Rupiah wallet spent from programme on day (asked only under a day cap)."""
    spent = Payment.objects.filter(wallet=wallet, programme=programme, day=day)
    return int(spent.aggregate(total=Sum("amount"))["total"] or 0)


def intent_record(signed: SignedIntent) -> None:
    """Post signed's intent_posting; refuse (insufficient_balance) when the wallet is short.

    The ledger reads the balance under its lock and refuses to go below zero.
    """
    account = wallet_account(signed.intent.wallet, signed.intent.programme)
    try:
        postings_record(postings=[intent_posting(signed)])
    except BalanceNegative as short:
        if short.where != account:
            raise
        _balance_refuse(account, signed.intent.amount)


def _balance_refuse(account: str, amount: int) -> NoReturn:
    """Refuse (insufficient_balance): account holds less than amount Rupiah."""
    balance = Account.objects.filter(key=account).values_list("balance", flat=True).first() or 0
    raise _refused(
        "insufficient_balance",
        f"saldo Rp {balance} kurang dari Rp {amount}",
        f"the balance of Rp {balance} is short of Rp {amount}",
        "amount",
    )
