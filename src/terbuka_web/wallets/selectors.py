"""Read the wallets app: approved merchants, a wallet's balances, a payment's receipt.

Nothing here names a registrant: a wallet is its did:key, a payment its signed intent.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from terbuka.money.spend import wallet_account
from terbuka_web.benefits.models import Programme
from terbuka_web.ledger.models import Account, Leg
from terbuka_web.transparency.selectors import entry_index_of, receipt_for
from terbuka_web.wallets.models import Merchant, Payment, Wallet
from terbuka_web.wallets.payments import restrictions_of


def merchants_approved() -> QuerySet[Merchant]:
    """Return the approved merchants with their villages, by code."""
    return Merchant.objects.select_related("village").order_by("code")


@dataclass(frozen=True)
class Balance:
    """Hold one programme's balance in a wallet with the restrictions on spending it."""

    programme: str
    balance: int
    expires: int
    categories: list[str]
    regions: list[str]
    payment_cap: int
    day_cap: int


def wallet_get(did: str) -> Wallet | None:
    """Return the wallet of did (active or revoked), or None."""
    return Wallet.objects.filter(did=did).first()


def wallet_balances(wallet: Wallet) -> list[Balance]:
    """Return wallet's balance per programme (Rupiah) with its restrictions, by programme."""
    prefix = f"wallet:{wallet.did}:"
    held = dict(
        (key[len(prefix) :], balance)
        for key, balance in Account.objects.filter(key__startswith=prefix).values_list(
            "key", "balance"
        )
    )
    result = []
    for programme in Programme.objects.filter(slug__in=list(held)).order_by("slug"):
        r = restrictions_of(programme)
        categories, regions = sorted(r.categories), list(r.regions)
        balance = held[programme.slug]
        result.append(
            Balance(programme.slug, balance, r.expires, categories, regions, r.payment_cap,
                    r.day_cap)
        )  # fmt: skip
    return result


def payment_receipt(intent_hash: str) -> dict[str, Any] | None:
    """Return the receipt of the payment with intent_hash, or None when there is none.

    "proof" is the C2SP tlog-proof of its log entry (inclusion proof and checkpoint), None
    until the sequencer has integrated it ("log_index" None too).
    """
    payment = (
        Payment.objects.select_related("wallet", "merchant").filter(intent_hash=intent_hash).first()
    )
    return _receipt_of(payment) if payment is not None else None


def wallet_receipts(wallet: Wallet, *, limit: int = 50) -> list[dict[str, Any]]:
    """Return the receipts (payment_receipt's shape) of wallet's last limit payments, newest
    first: online and synced offline ones, each with its inclusion proof once sequenced."""
    payments = Payment.objects.select_related("wallet", "merchant").filter(wallet=wallet)
    return [_receipt_of(p) for p in payments.order_by("-counter")[:limit]]


CREDIT_KINDS = {"towallet": "entitlement", "rekey": "rekey", "unreserve": "unreserve"}


def wallet_credits(wallet: Wallet, *, limit: int = 50) -> list[dict[str, Any]]:
    """Return the last limit credits into wallet's balances, newest first: {id, programme,
    amount, kind, at}; kind "entitlement" (a cycle's money moved in), "rekey" (balances moved
    from the lost key) or "unreserve" (an expired offline allowance's unused amount back).
    id is the ledger posting's number (rising: notices compare it)."""
    prefix = wallet_account(wallet.did, "")
    legs = Leg.objects.filter(account__key__startswith=prefix, side=Leg.Side.CREDIT)
    rows = legs.select_related("posting", "account").order_by("-posting_id")[:limit]
    return [
        {"id": leg.posting_id, "programme": leg.account.key[len(prefix) :], "amount": leg.amount,
         "kind": CREDIT_KINDS.get(leg.posting.key.partition(":")[0], "entitlement"),
         "at": leg.posting.created_at}
        for leg in rows
    ]  # fmt: skip


def _receipt_of(payment: Payment) -> dict[str, Any]:
    index = entry_index_of(payment.entry_id)
    proof = receipt_for(index) if index is not None else None
    return {
        "hash": payment.intent_hash,
        "wallet": payment.wallet.did,
        "merchant": payment.merchant.code,
        "programme": payment.programme,
        "amount": payment.amount,
        "counter": payment.counter,
        "intent": payment.intent,
        "offline": payment.offline,
        "accepted_at": payment.accepted_at,
        "log_index": index,
        "proof": proof.decode("utf-8") if proof is not None else None,
    }


def wallet_replaced(wallet: Wallet) -> str | None:
    """Return the did:key of the wallet that wallet replaced (a re-enrolment), or None."""
    return Wallet.objects.filter(replaced_by=wallet).values_list("did", flat=True).first()


def merchant_of_token(token: str) -> Merchant | None:
    """Return the merchant whose sync token is token ("<code>.<secret>"), or None."""
    code = token.partition(".")[0]
    merchant = Merchant.objects.filter(code=code).exclude(sync_token_sha256="").first()
    digest = hashlib.sha256(token.encode()).hexdigest()
    if merchant is None or not hmac.compare_digest(merchant.sync_token_sha256, digest):
        return None
    return merchant
