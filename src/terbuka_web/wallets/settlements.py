"""Redeem a merchant's takings to Rupiah: settlement_create and its report.

An officer holding MERCHANT_APPROVE in the merchant's region settles the merchant
(settlement_create, the officer page /dompet/penyelesaian/ or `terbuka wallets settle`). In
one transaction it
1. returns the settlement already recorded under the caller's key (a retried request moves
   nothing twice), or refuses the key when another merchant used it;
2. locks the merchant's row, so two settlements of one merchant run one after the other and
   the second sees the first's payments as settled;
3. takes every accepted payment of the merchant not yet settled and posts their sum from the
   merchant's ledger account to its settlement account ("merchant:<id>" → "settlement:<id>",
   key "settle:<key>", the Rupiah paid out to the merchant's bank), ties each payment to the
   settlement (unique: a payment is settled once, whatever races) and appends a
   wallet.settlement log entry: merchant, key, amount, count, totals per programme and the
   SHA-256 of the report CSV, never the officer nor a citizen.
The report (settlement_rows, settlement_csv) lists the payments settled with their intent
hashes and the totals per programme.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from terbuka.errors import ValidationError
from terbuka.money.posting import posting_make
from terbuka.money.spend import merchant_account
from terbuka.money.wire import identifier_check
from terbuka.spreadsheet import csv_cell
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record
from terbuka_web.ledger.services import postings_record
from terbuka_web.transparency.services import entry_append
from terbuka_web.wallets.models import Merchant, Payment, SettledPayment, Settlement
from terbuka_web.wallets.services import officer_require

SETTLEMENT = "wallet.settlement"
COLUMNS = ("kind", "intent_hash", "programme", "amount", "counter", "accepted_at", "offline")


def settlement_account(merchant: str) -> str:
    """Return the ledger key of what was paid out to a merchant in Rupiah, "settlement:toko-ani"."""
    return f"settlement:{merchant}"


def unsettled(merchant: Merchant) -> QuerySet[Payment]:
    """Return merchant's accepted payments not yet settled, oldest first."""
    return Payment.objects.filter(merchant=merchant, settled__isnull=True).order_by("id")


def unsettled_total(merchant: Merchant) -> int:
    """Return the Rupiah of merchant's payments not yet settled."""
    total = unsettled(merchant).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


@transaction.atomic
def settlement_create(*, officer: User, merchant: Merchant, key: str) -> Settlement:
    """Settle every unsettled payment of merchant under idempotency key; return the Settlement.

    key is 1–32 of a-z A-Z 0-9 _ -. Raises PermissionDenied unless officer holds
    MERCHANT_APPROVE in the merchant's region; ValidationError (bilingual) for a bad key, a key
    used for another merchant, or nothing to settle; the ledger's MoneyError if the merchant's
    account holds less than its unsettled payments. Writes nothing when it raises.
    """
    identifier_check(key, "key")
    officer_require(officer, Action.MERCHANT_APPROVE, merchant.village_id)
    Merchant.objects.select_for_update().filter(pk=merchant.pk).first()
    done = Settlement.objects.filter(key=key).first()
    if done is not None:
        if done.merchant_id != merchant.pk:
            raise ValidationError(
                "kunci penyelesaian ini sudah dipakai untuk pedagang lain",
                "this settlement key was already used for another merchant",
                where="key",
            )
        return done
    payments = list(unsettled(merchant))
    if not payments:
        raise ValidationError(
            f"tidak ada pembayaran {merchant.code} yang belum diselesaikan",
            f"merchant {merchant.code} has no unsettled payment",
            where="merchant",
        )
    totals: dict[str, int] = defaultdict(int)
    for payment in payments:
        totals[payment.programme] += payment.amount
    amount = sum(totals.values())
    postings_record(postings=[posting_make(
        f"settle:{key}",
        [(merchant_account(merchant.code), "debit", amount),
         (settlement_account(merchant.code), "credit", amount)],
        f"Penyelesaian {key} ke rupiah / settlement to Rupiah",
    )])  # fmt: skip
    report = _csv_bytes(payments, dict(totals))
    entry = entry_append(
        kind=SETTLEMENT, ref=f"pedagang/{merchant.code}/penyelesaian/{key}",
        payload={"merchant": merchant.code, "key": key, "amount": amount,
                 "count": len(payments), "totals": dict(sorted(totals.items())),
                 "report_sha256": hashlib.sha256(report).hexdigest()},
    )  # fmt: skip
    settlement = Settlement.objects.create(
        key=key, merchant=merchant, amount=amount, count=len(payments),
        totals=dict(sorted(totals.items())), officer=officer, created_at=timezone.now(),
        entry_id=entry.pk,
    )  # fmt: skip
    SettledPayment.objects.bulk_create(
        [SettledPayment(payment=p, settlement=settlement) for p in payments]
    )
    audit_record(actor=officer, action="wallets:settle", target=f"{merchant.code}/{key}")
    return settlement


def settlement_payments(settlement: Settlement) -> list[Payment]:
    """Return the payments a settlement paid out, oldest first."""
    return list(Payment.objects.filter(settled__settlement=settlement).order_by("id"))


def settlement_rows(payments: list[Payment], totals: dict[str, int]) -> Iterator[list[object]]:
    """Yield the report's rows (COLUMNS): one per payment, then "total" per programme."""
    for payment in payments:
        yield ["payment", payment.intent_hash, payment.programme, payment.amount,
               payment.counter, payment.accepted_at.isoformat(), payment.offline]  # fmt: skip
    for programme, amount in sorted(totals.items()):
        yield ["total", "", programme, amount, "", "", ""]


def _csv_bytes(payments: list[Payment], totals: dict[str, int]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in settlement_rows(payments, totals):
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def settlement_csv(settlement: Settlement) -> bytes:
    """Return the settlement report as CSV bytes (UTF-8; its SHA-256 is in the log entry)."""
    return _csv_bytes(settlement_payments(settlement), settlement.totals)
