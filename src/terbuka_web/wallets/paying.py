"""Read and write an online payment's own rows in plain SQL: the payment's hot path.

payment_context reads, in ONE statement, the wallet (locked: SELECT … FOR UPDATE OF the
wallet's row on PostgreSQL; SQLite transactions are IMMEDIATE), the merchant, the programme
with its purpose and what the wallet already spent from that programme on the day; it
refuses an unknown or revoked wallet, an unknown merchant or programme. payment_write
advances the wallet's chain head and inserts the payment (INSERT … RETURNING), returning a
Payment whose wallet and merchant are loaded (their other fields load on first use). The
ORM would build each of these statements anew per payment, which costs more than running
them. Table and column names come from our models only, never from input.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from terbuka.money.errors import PaymentRefused
from terbuka.money.intent import SignedIntent
from terbuka.money.purpose import Merchant as RuleMerchant
from terbuka.money.purpose import Restrictions, money_expires
from terbuka_web.benefits.models import Programme
from terbuka_web.wallets.models import Merchant, Payment, Purpose, Wallet


def refused(reason: str, message_id: str, message_en: str, where: str) -> PaymentRefused:
    """Return the PaymentRefused of reason (bilingual message, the field it is about)."""
    return PaymentRefused(reason, message_id, message_en, where=where)


def wallet_usable(wallet: Wallet | None) -> Wallet:
    """Return wallet; refuse (unknown_wallet) None and (revoked_wallet) a revoked one."""
    if wallet is None:
        raise refused("unknown_wallet", "dompet tidak terdaftar", "unknown wallet", "wallet")
    if wallet.status != Wallet.Status.ACTIVE:
        raise refused(
            "revoked_wallet",
            "kunci dompet ini sudah dicabut (diganti kunci baru)",
            "this wallet key was revoked (replaced by a new key)",
            "wallet",
        )
    return wallet


def restrictions_make(
    slug: str, period_end: dt.date, regions: list[str],
    purpose: tuple[list[str], int, int] | None,
) -> Restrictions:  # fmt: skip
    """Return the Restrictions of programme slug from its row and its purpose's (categories,
    payment cap, day cap), None when it has none. The money expires at the end of the
    programme's last day, WIB; a per-day cap counts WIB days (purpose.day_number)."""
    categories, payment_cap, day_cap = purpose or ((), 0, 0)
    return Restrictions(
        programme=slug,
        expires=money_expires(period_end),
        categories=frozenset(categories),
        regions=tuple(regions),
        payment_cap=payment_cap,
        day_cap=day_cap,
    )


@dataclass(frozen=True)
class Context:
    """Hold what a payment is checked against: the locked wallet, the merchant (its row and
    what the rules need of it), the programme's restrictions and the day's spending so far."""

    wallet: Wallet
    merchant: Merchant
    rule_merchant: RuleMerchant
    restrictions: Restrictions
    spent_today: int


_WALLET = ["id", "did", "status", "counter", "head"]
_MERCHANT = ["id", "code", "category", "village_id"]


def _context_sql() -> str:
    w, m = Wallet._meta.db_table, Merchant._meta.db_table
    p, u, x = Programme._meta.db_table, Purpose._meta.db_table, Payment._meta.db_table
    lock = " FOR UPDATE OF w" if connection.features.has_select_for_update_of else ""
    return (
        f"SELECT {', '.join('w.' + c for c in _WALLET)}, {', '.join('m.' + c for c in _MERCHANT)},"
        " p.id, p.period_end, p.regions, u.id, u.categories, u.payment_cap, u.day_cap,"
        f" (SELECT COALESCE(SUM(x.amount), 0) FROM {x} x WHERE x.wallet_id = w.id"
        "   AND x.programme = %s AND x.day = %s)"
        f" FROM {w} w LEFT JOIN {m} m ON m.code = %s LEFT JOIN {p} p ON p.slug = %s"
        f" LEFT JOIN {u} u ON u.programme_id = p.id WHERE w.did = %s{lock}"
    )


def payment_context(did: str, merchant: str, programme: str, day: int) -> Context:
    """Lock wallet did and read the payment's context (module doc) in one statement; refuse
    an unknown or revoked wallet, an unknown merchant or programme, in that order."""
    with connection.cursor() as cursor:
        cursor.execute(_context_sql(), [programme, day, merchant, programme, did])
        row = cursor.fetchone()
    wallet = wallet_usable(Wallet.from_db(connection.alias, _WALLET, row[:5]) if row else None)
    if row[5] is None:
        raise refused(
            "unknown_merchant", "pedagang tidak disetujui", "merchant not approved", "merchant"
        )
    if row[9] is None:
        raise refused("wrong_programme", "program tidak dikenal", "unknown programme", "programme")
    shop = Merchant.from_db(connection.alias, _MERCHANT, row[5:9])
    purpose = (_json(row[13]), row[14], row[15]) if row[12] is not None else None
    return Context(
        wallet=wallet, merchant=shop,
        rule_merchant=RuleMerchant(shop.code, shop.category, shop.village_id),
        restrictions=restrictions_make(programme, _date(row[10]), _json(row[11]), purpose),
        spent_today=int(row[16]),
    )  # fmt: skip


def _json(value: Any) -> Any:
    """Return a JSON column's value (both backends hand a raw cursor its text)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _date(value: Any) -> dt.date:
    """Return a date column's value (SQLite's raw cursor may hand its ISO text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def payment_write(
    found: Context, signed: SignedIntent, text: str, day: int, offline: bool, entry: int
) -> Payment:
    """Advance found.wallet's chain head to signed and insert its Payment (wire text text,
    on day, log entry id entry); return the Payment with its wallet and merchant."""
    i, digest, now = signed.intent, signed.hash(), timezone.now()
    wallet, merchant = found.wallet, found.merchant
    columns = ["intent_hash", "wallet_id", "merchant_id", "programme", "amount", "counter",
               "day", "intent", "offline", "accepted_at", "entry_id"]  # fmt: skip
    values = [digest, wallet.pk, merchant.pk, i.programme, i.amount, i.counter, day, text,
              offline, now, entry]  # fmt: skip
    stored = [*values[:-2], connection.ops.adapt_datetimefield_value(now), entry]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Wallet._meta.db_table} SET counter = %s, head = %s WHERE id = %s",
            [i.counter, digest, wallet.pk],
        )
        cursor.execute(
            f"INSERT INTO {Payment._meta.db_table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) RETURNING id",
            stored,
        )
        pk = cursor.fetchone()[0]
    wallet.counter, wallet.head = i.counter, digest
    payment = Payment.from_db(connection.alias, ["id", *columns], [pk, *values])
    payment.wallet, payment.merchant = wallet, merchant
    return payment
