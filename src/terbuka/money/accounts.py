"""Name ledger accounts and check Rupiah amounts: the vocabulary of terbuka.money.ledger.

An account is named by a key "<kind>:<reference>", the kind first, so the key alone says
which rules apply to it: "programme:pkh-2026" (a programme's fund), "entitlement:pkh-2026:
3f9a0c" (a registrant's entitlement under a per-programme pseudonym, never a NIK),
"wallet:<did>:<purpose>", "offline:<did>:<purpose>" (a wallet's offline reserve),
"merchant:<id>", "settlement:<bank>", "clawback:<programme>", "treasury:<source>". Only
treasury accounts (money entering from outside, APBN/APBD) may go below zero; every other
kind holds money and never goes negative.

Amounts are integer Rupiah: never a float, never a bool, at least 1 in a leg, at most
2^53 - 1 (exact in any JSON reader, RFC 8785 §3.2.2.3).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from terbuka.bounds import MAX_SAFE_INTEGER
from terbuka.money.errors import AmountRefused, BalanceNegative, MoneyError

MAX_AMOUNT = MAX_SAFE_INTEGER
# A balance must fit a signed 64-bit column (PostgreSQL bigint, SQLite INTEGER).
MAX_BALANCE = 2**63 - 1
CURRENCY = "IDR"


class Kind(StrEnum):
    """Name the kinds of ledger account; the key of every account starts with one."""

    TREASURY = "treasury"
    PROGRAMME = "programme"
    ENTITLEMENT = "entitlement"
    WALLET = "wallet"
    OFFLINE = "offline"
    MERCHANT = "merchant"
    SETTLEMENT = "settlement"
    CLAWBACK = "clawback"

    @property
    def may_go_negative(self) -> bool:
        """Return True for the one kind that may go below zero: the treasury (a source)."""
        return self is Kind.TREASURY


_KINDS = {kind.value: kind for kind in Kind}
_KEY = re.compile(
    r"(treasury|programme|entitlement|wallet|offline|merchant|settlement|clawback):[A-Za-z0-9._:@+/=-]{1,200}"
)


def account_kind(account: Any, *, where: str = "account") -> Kind:
    """Return the Kind of the account key, or raise MoneyError naming where.

    A key is "<kind>:<reference>", the reference 1-200 characters of A-Z a-z 0-9 . _ : @ + / = -.
    Example: "entitlement:pkh-2026:3f9a0c" → Kind.ENTITLEMENT; "bank:x" is refused.
    """
    if not isinstance(account, str) or not _KEY.fullmatch(account):
        shown = repr(account)[:80]
        raise MoneyError(
            f"akun tidak dikenal {shown}: harus 'jenis:rujukan', jenis salah satu dari "
            f"{', '.join(k.value for k in Kind)}",
            f"unknown account {shown}: it must be 'kind:reference', the kind one of "
            f"{', '.join(k.value for k in Kind)}",
            where=where,
        )
    return _KINDS[account.partition(":")[0]]


def rupiah(value: Any, *, where: str = "amount") -> int:
    """Return value when it is a whole number of Rupiah from 1 to 2^53 - 1, else raise.

    Raises AmountRefused for a float (even 1000.0), a bool, a string, zero, a negative
    number or a number beyond 2^53 - 1. Example: rupiah(300000) → 300000; rupiah(1.5) raises.
    """
    if type(value) is not int:
        raise AmountRefused(
            f"jumlah harus bilangan bulat Rupiah, bukan {type(value).__name__} {value!r:.40}",
            f"an amount must be a whole number of Rupiah, not {type(value).__name__} {value!r:.40}",
            where=where,
        )
    if not 1 <= value <= MAX_AMOUNT:
        raise AmountRefused(
            f"jumlah harus antara 1 dan {MAX_AMOUNT} Rupiah, bukan {value}",
            f"an amount must be between 1 and {MAX_AMOUNT} Rupiah, not {value}",
            where=where,
        )
    return value


def balance_check(account: str, balance: int) -> int:
    """Return balance when account's kind allows it, else raise.

    account is a valid key (account_kind). Raises BalanceNegative when a non-treasury account
    would go below zero, MoneyError when a balance leaves the signed 64-bit range.
    Example: ("wallet:x", -1) raises.
    """
    if balance < 0 and not _KINDS[account.partition(":")[0]].may_go_negative:
        raise BalanceNegative(
            f"saldo akun {account} tidak cukup: akan menjadi {balance} Rupiah",
            f"account {account} has too little: its balance would become {balance} Rupiah",
            where=account,
        )
    if abs(balance) > MAX_BALANCE:
        raise MoneyError(
            f"saldo akun {account} melampaui batas 64 bit",
            f"the balance of account {account} would leave the 64-bit range",
            where=account,
        )
    return balance
