"""Describe a posting (balanced legs under an idempotency key) and its canonical JSON form.

A posting moves money between ledger accounts (terbuka.money.accounts): a list of legs, each
an account, a side (debit takes money out, credit puts money in) and an integer Rupiah
amount; the debits and the credits add up to the same sum, and no account appears twice.
Its key makes it idempotent: posting the same key again with the same content is a no-op,
with other content it is refused (terbuka.money.ledger).

Its wire form is RFC 8785 canonical JSON, the legs in the order given; posting_hash is the hex
SHA-256 of those bytes, the one an auditor recomputes from a stored posting. Example:

    {"currency":"IDR","key":"cycle:pkh-2026:1:3f9a0c","legs":[{"account":"programme:pkh-2026",
    "amount":300000,"side":"debit"},{"account":"entitlement:pkh-2026:3f9a0c","amount":300000,
    "side":"credit"}],"memo":"PKH Januari 2026"}

(one line, no spaces).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from terbuka.canonical import canonical_string
from terbuka.errors import FormatError
from terbuka.money.accounts import CURRENCY, account_kind, rupiah
from terbuka.money.errors import MoneyError, PostingUnbalanced

_KEY = re.compile(r"[A-Za-z0-9._:@+/=-]{1,200}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
MAX_MEMO = 500
MAX_LEGS = 100_000


class Side(StrEnum):
    """Name the two sides of a leg: debit takes money out of an account, credit puts it in."""

    DEBIT = "debit"
    CREDIT = "credit"


@dataclass(frozen=True, slots=True)
class Leg:
    """Hold one leg of a posting: an account key, a side and a positive Rupiah amount."""

    account: str
    side: Side
    amount: int

    @property
    def delta(self) -> int:
        """Return the change to the account's balance: +amount for a credit, -amount for a debit."""
        return self.amount if self.side is Side.CREDIT else -self.amount


@dataclass(frozen=True, slots=True)
class Posting:
    """Hold a balanced, checked posting; constructing one that breaks a rule raises MoneyError.

    Raises MoneyError for a bad key, memo or account, fewer than two legs or an account named
    twice; AmountRefused for an amount that is not integer Rupiah >= 1; PostingUnbalanced when
    debits and credits differ. Build one from plain values with posting_make.
    """

    key: str
    legs: tuple[Leg, ...]
    memo: str = ""

    def __post_init__(self) -> None:
        key_check(self.key)
        memo_check(self.memo)
        legs_check(self.legs)


def key_check(key: Any, *, where: str = "/key") -> str:
    """Return key when it is 1-200 characters of A-Z a-z 0-9 . _ : @ + / = -, else raise."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise MoneyError(
            f"kunci idempotensi tidak sah {key!r:.80}: 1-200 huruf, angka atau . _ : @ + / = -",
            f"invalid idempotency key {key!r:.80}: 1-200 letters, digits or . _ : @ + / = -",
            where=where,
        )
    return key


def memo_check(memo: Any, *, where: str = "/memo") -> str:
    """Return memo when it is text of at most 500 characters, no control character or surrogate."""
    if not isinstance(memo, str) or len(memo) > MAX_MEMO or _CONTROL.search(memo):
        raise MoneyError(
            f"memo harus teks paling banyak {MAX_MEMO} karakter tanpa karakter kendali",
            f"a memo must be text of at most {MAX_MEMO} characters with no control characters",
            where=where,
        )
    return memo


def legs_check(legs: Any) -> None:
    """Raise unless legs is a tuple of 2..100000 valid Leg values, distinct accounts, balanced."""
    if not isinstance(legs, tuple) or not 2 <= len(legs) <= MAX_LEGS:
        raise MoneyError(
            f"posting harus memiliki 2 sampai {MAX_LEGS} kaki",
            f"a posting must have 2 to {MAX_LEGS} legs",
            where="/legs",
        )
    seen: set[str] = set()
    total = 0
    for i, leg in enumerate(legs):
        where = f"/legs/{i}"
        if not isinstance(leg, Leg) or not isinstance(leg.side, Side):
            raise MoneyError("kaki posting tidak sah", "invalid posting leg", where=where)
        account_kind(leg.account, where=f"{where}/account")
        rupiah(leg.amount, where=f"{where}/amount")
        if leg.account in seen:
            raise MoneyError(
                f"akun {leg.account} muncul dua kali dalam satu posting",
                f"account {leg.account} appears twice in one posting",
                where=f"{where}/account",
            )
        seen.add(leg.account)
        total += leg.delta
    if total:
        raise PostingUnbalanced(
            f"posting tidak seimbang: kredit dikurangi debit = {total} Rupiah",
            f"unbalanced posting: credits minus debits = {total} Rupiah",
            where="/legs",
        )


_SIDES = {side.value: side for side in Side}


def side_parse(value: Any, *, where: str = "side") -> Side:
    """Return the Side named by value ("debit" or "credit"), else raise MoneyError."""
    side = _SIDES.get(value) if isinstance(value, str) else None
    if side is None:
        raise MoneyError(
            f"sisi harus 'debit' atau 'credit', bukan {value!r:.40}",
            f"a side must be 'debit' or 'credit', not {value!r:.40}",
            where=where,
        )
    return side


def posting_make(key: str, legs: Iterable[Leg | tuple[str, str, int]], memo: str = "") -> Posting:
    """Return the Posting of key, legs given as Leg or (account, side, amount), and memo.

    Raises what Posting raises. Example: posting_make("k1", [("treasury:apbd", "debit", 5),
    ("programme:pkh", "credit", 5)]).
    """
    made: list[Leg] = []
    for i, leg in enumerate(legs):
        if isinstance(leg, Leg):
            made.append(leg)
        else:
            account, side, amount = leg
            made.append(Leg(account, side_parse(side, where=f"/legs/{i}/side"), amount))
    return Posting(key, tuple(made), memo)


def posting_value(posting: Posting) -> dict[str, Any]:
    """Return the JSON value of posting (the object posting_format canonicalises)."""
    return {
        "currency": CURRENCY,
        "key": posting.key,
        "legs": [
            {"account": g.account, "amount": g.amount, "side": g.side.value} for g in posting.legs
        ],
        "memo": posting.memo,
    }


def posting_format(posting: Posting) -> bytes:
    """Return the RFC 8785 canonical JSON bytes of posting (see the module's example).

    Built by string, the bytes canonical_json(posting_value(posting)) gives (a property test
    compares them with the reference encoder): the member names are fixed and sorted, keys and
    accounts are printable ASCII with nothing to escape and amounts integers below 2^53, all
    checked when the Posting was built; only the memo needs escaping.
    """
    legs = ",".join(
        f'{{"account":"{g.account}","amount":{g.amount},"side":"{g.side.value}"}}'
        for g in posting.legs
    )
    memo = canonical_string(posting.memo)
    return (
        f'{{"currency":"{CURRENCY}","key":"{posting.key}","legs":[{legs}],"memo":{memo}}}'.encode()
    )


def posting_hash(posting: Posting) -> str:
    """Return the lowercase hex SHA-256 of posting_format(posting)."""
    return hashlib.sha256(posting_format(posting)).hexdigest()


def _fields(value: Any, names: set[str], where: str) -> None:
    """Raise FormatError unless value is an object with exactly the given member names."""
    if not isinstance(value, dict) or set(value) != names:
        raise FormatError(
            f"diharapkan objek dengan anggota {sorted(names)}",
            f"expected an object with exactly the members {sorted(names)}",
            where=where or "/",
        )


def posting_parse(data: bytes) -> Posting:
    """Return the Posting whose canonical JSON bytes data are.

    Raises FormatError when data is not JSON, lacks or adds a member, names another currency,
    or is not exactly canonical (RFC 8785: sorted keys, no spaces, integers as written), so
    one posting has one byte form and one hash; raises what Posting raises for a broken rule.
    Example: the module docstring's bytes → Posting("cycle:pkh-2026:1:3f9a0c", …).
    """
    try:
        value = json.loads(data.decode("utf-8"), parse_float=_float_refused)
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(
            f"posting bukan JSON UTF-8 yang sah: {exc}", f"a posting is not valid UTF-8 JSON: {exc}"
        ) from exc
    _fields(value, {"currency", "key", "legs", "memo"}, "")
    if value["currency"] != CURRENCY:
        raise FormatError("mata uang harus IDR", "the currency must be IDR", where="/currency")
    if not isinstance(value["legs"], list):
        raise FormatError("legs harus larik", "legs must be an array", where="/legs")
    legs: list[Leg] = []
    for i, leg in enumerate(value["legs"]):
        _fields(leg, {"account", "amount", "side"}, f"/legs/{i}")
        legs.append(
            Leg(leg["account"], side_parse(leg["side"], where=f"/legs/{i}/side"), leg["amount"])
        )
    posting = Posting(value["key"], tuple(legs), value["memo"])
    if posting_format(posting) != data:
        raise FormatError(
            "posting bukan JSON kanonik RFC 8785", "a posting is not RFC 8785 canonical JSON"
        )
    return posting


def _float_refused(text: str) -> Any:
    """Raise FormatError for a JSON number with a fraction or exponent (amounts are integers)."""
    raise FormatError(
        f"angka pecahan {text[:40]} tidak diizinkan: jumlah adalah bilangan bulat Rupiah",
        f"fractional number {text[:40]} not allowed: amounts are whole Rupiah",
    )
