"""Read the wallets app: approved merchants, a wallet's balances, a payment's receipt.

Nothing here names a registrant: a wallet is its did:key, a payment its signed intent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.benefits.models import Programme
from terbuka_web.ledger.models import Account
from terbuka_web.transparency.selectors import entry_index_of, receipt_for
from terbuka_web.wallets.models import Merchant, Payment, Settlement, Wallet
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
