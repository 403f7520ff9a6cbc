"""Read the wallets app: approved merchants, a wallet's balances, a payment's receipt, the
region's settlements and grievances.

Nothing here names a registrant: a wallet is its did:key, a payment its signed intent.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from terbuka.money.intent import SignedIntent
from terbuka.money.spend import wallet_account
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.benefits.models import Programme
from terbuka_web.common.tokens import token_digest
from terbuka_web.ledger.models import Account, Leg
from terbuka_web.transparency.selectors import entry_index_of, receipt_for
from terbuka_web.wallets.models import Grievance, Merchant, Payment, Settlement, Wallet
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
    programmes = Programme.objects.select_related("purpose").filter(slug__in=list(held))
    for programme in programmes.order_by("slug"):
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
    if payment is None:
        return None
    return receipt_of(payment, index=entry_index_of(payment.entry_id))


def wallet_receipts(wallet: Wallet, *, limit: int = 50) -> list[dict[str, Any]]:
    """Return the receipts (payment_receipt's shape) of wallet's last limit payments, newest
    first: online and synced offline ones, each with its inclusion proof once sequenced."""
    payments = Payment.objects.select_related("wallet", "merchant").filter(wallet=wallet)
    return [
        receipt_of(p, index=entry_index_of(p.entry_id))
        for p in payments.order_by("-counter")[:limit]
    ]


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


def receipt_of(payment: Payment, *, index: int | None) -> dict[str, Any]:
    """Return payment's receipt, with the inclusion proof of its log entry at index (None:
    not integrated yet, proof None). Reads nothing but the proof."""
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
    digest = token_digest(token)
    if merchant is None or not hmac.compare_digest(merchant.sync_token_sha256, digest):
        return None
    return merchant


def settling_region(officer: User) -> str | None:
    """Return the region code whose merchants officer may settle, or None (no such right)."""
    if not user_can(officer, Action.MERCHANT_APPROVE, officer.agency) or officer.agency is None:
        return None
    return str(officer.agency.government.code)


def _in_region(code: str) -> Q:
    return Q(village__code=code) | Q(village__code__startswith=code + ".")


def merchants_to_settle(code: str) -> list[tuple[Merchant, int, int]]:
    """Return the merchants of region code with (merchant, unsettled Rupiah, payments), by code."""
    merchants = merchants_approved().filter(_in_region(code))
    open_ = dict(
        (m, (total, count))
        for m, total, count in Payment.objects.filter(merchant__in=merchants, settled__isnull=True)
        .values("merchant")
        .annotate(total=Sum("amount"), n=Count("id"))
        .values_list("merchant", "total", "n")
    )
    return [(m, *open_.get(m.pk, (0, 0))) for m in merchants]


def settlements_of(code: str, limit: int = 50) -> QuerySet[Settlement]:
    """Return the latest settlements of region code's merchants, newest first."""
    return Settlement.objects.select_related("merchant").filter(
        merchant__in=Merchant.objects.filter(_in_region(code))
    )[:limit]


def settlement_get(code: str, key: str) -> Settlement | None:
    """Return the settlement under key when its merchant lies in region code, else None."""
    return (
        Settlement.objects.select_related("merchant__village")
        .filter(key=key, merchant__in=Merchant.objects.filter(_in_region(code)))
        .first()
    )


@dataclass(frozen=True)
class Evidence:
    """Hold one signed intent of a grievance's evidence: its wire text and what it says."""

    text: str
    hash: str
    counter: int
    prev: str
    merchant: str
    amount: int


def grievances_of(code: str, limit: int = 100) -> list[tuple[Grievance, list[Evidence]]]:
    """Return the grievances of region code's merchants, open first then newest first, each
    with its evidence parsed (the losing intent among them). Names no registrant."""
    found = Grievance.objects.select_related("voucher__merchant__village", "wallet").filter(
        voucher__merchant__in=Merchant.objects.filter(_in_region(code))
    )
    return [(g, _evidence(g)) for g in found.order_by("resolved", "-id")[:limit]]


def grievance_get(code: str, pk: int) -> Grievance | None:
    """Return grievance pk when its merchant lies in region code, else None."""
    return (
        Grievance.objects.select_related("voucher__merchant", "wallet")
        .filter(pk=pk, voucher__merchant__in=Merchant.objects.filter(_in_region(code)))
        .first()
    )


def _evidence(grievance: Grievance) -> list[Evidence]:
    result = []
    for text in grievance.evidence:
        signed = SignedIntent.parse(text)
        i = signed.intent
        result.append(Evidence(text, signed.hash(), i.counter, i.prev, i.merchant, i.amount))
    return result
