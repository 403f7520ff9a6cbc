"""Check a payment intent against its programme's purpose and the wallet's chain: pure rules.

Each rule is a function that returns nothing or raises PaymentRefused with its reason, in
Bahasa Indonesia and English. The reasons (PaymentRefused.reason) are:

    forged            the wallet's signature does not hold (SignatureRefused)
    replay            the counter was already used (a replayed or duplicated intent)
    chain_fork        the counter is next but "prev" is not the hash of the last intent
    chain_gap         the counter skips intents the server has not seen (sync first)
    expired           the intent (or the programme's money) is past its expiry
    wrong_programme   the intent names another programme than the balance it debits
    wrong_merchant    the intent names another merchant than the one it is shown to
    wrong_category    the merchant's category is not allowed by the programme
    wrong_region      the merchant's region is outside the programme's regions
    over_payment_cap  the amount is above the per-payment cap
    over_day_cap      the day's spending would pass the per-day cap

payment_check runs them all in that order for an online payment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from terbuka.errors import TerbukaError
from terbuka.money.errors import PaymentRefused, SignatureRefused
from terbuka.money.intent import GENESIS, SignedIntent, intent_verify

WIB = 7 * 3600  # Western Indonesian Time, UTC+7: the default day of a per-day cap
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def money_expires(last_day: dt.date, offset: int = WIB) -> int:
    """Return the last unix second of a programme's money: the end of last_day in the zone
    offset seconds east of UTC (WIB by default). Example: 2026-12-31 → 1798736399."""
    return (last_day.toordinal() - EPOCH_ORDINAL + 1) * 86400 - offset - 1


@dataclass(frozen=True)
class Restrictions:
    """Hold a programme's purpose binding: what its money may buy, where, how much, until when.

    Empty categories or regions mean any; a cap of 0 means none; region prefixes are
    Kemendagri codes, dots optional ("3522" or "35.22"). day_offset is the seconds east of UTC
    of the day a per-day cap counts (WIB by default).
    """

    programme: str
    expires: int
    categories: frozenset[str] = frozenset()
    regions: tuple[str, ...] = ()
    payment_cap: int = 0
    day_cap: int = 0
    day_offset: int = WIB


@dataclass(frozen=True)
class Merchant:
    """Hold what a payment rule needs of a merchant: id, approved category, village code."""

    id: str
    category: str
    region: str  # Kemendagri village code, with or without dots: "3522012001", "35.22.01.2001"


@dataclass(frozen=True)
class ChainHead:
    """Hold the wallet's last accepted intent: its counter and its hash (the next prev)."""

    counter: int = 0
    hash: str = GENESIS


def refusal_reason(exc: TerbukaError) -> str:
    """Return the reason code of a refusal: PaymentRefused.reason, forged, or the error code."""
    if isinstance(exc, PaymentRefused):
        return exc.reason
    if isinstance(exc, SignatureRefused):
        return "forged"
    return exc.code


def chain_check(signed: SignedIntent, head: ChainHead) -> None:
    """Refuse an intent that is not the next of the wallet's chain (replay, fork, gap)."""
    intent = signed.intent
    if intent.counter <= head.counter:
        raise PaymentRefused(
            "replay",
            f"nomor urut {intent.counter} sudah dipakai (pemutaran ulang)",
            f"counter {intent.counter} was already used (replay)",
            where="counter",
        )
    if intent.counter > head.counter + 1:
        raise PaymentRefused(
            "chain_gap",
            f"nomor urut {intent.counter} melompati {head.counter + 1}: sinkronkan dahulu",
            f"counter {intent.counter} skips {head.counter + 1}: sync first",
            where="counter",
        )
    if intent.prev != head.hash:
        raise PaymentRefused(
            "chain_fork",
            "hash niat sebelumnya tidak cocok dengan rantai dompet (cabang)",
            "the previous-intent hash does not match the wallet's chain (a fork)",
            where="prev",
        )


def expiry_check(signed: SignedIntent, restrictions: Restrictions, now: int) -> None:
    """Refuse an intent past its own expiry or past the programme's money expiry."""
    if now > signed.intent.expires:
        raise PaymentRefused(
            "expired",
            "niat pembayaran sudah kedaluwarsa",
            "the payment intent has expired",
            where="expires",
        )
    if now > restrictions.expires:
        raise PaymentRefused(
            "expired",
            "saldo program ini sudah kedaluwarsa",
            "this programme's balance has expired",
            where="programme",
        )


def programme_check(signed: SignedIntent, restrictions: Restrictions) -> None:
    """Refuse an intent for another programme than the restrictions' (wrong_programme)."""
    intent = signed.intent
    if intent.programme != restrictions.programme:
        raise PaymentRefused(
            "wrong_programme",
            f"niat untuk program {intent.programme}, bukan {restrictions.programme}",
            f"the intent is for programme {intent.programme}, not {restrictions.programme}",
            where="programme",
        )


def merchant_check(signed: SignedIntent, restrictions: Restrictions, merchant: Merchant) -> None:
    """Refuse an intent for another programme or merchant, or a merchant outside the purpose."""
    programme_check(signed, restrictions)
    intent = signed.intent
    if intent.merchant != merchant.id:
        raise PaymentRefused(
            "wrong_merchant",
            f"niat untuk pedagang {intent.merchant}, bukan {merchant.id}",
            f"the intent is for merchant {intent.merchant}, not {merchant.id}",
            where="merchant",
        )
    if restrictions.categories and merchant.category not in restrictions.categories:
        raise PaymentRefused(
            "wrong_category",
            f"kategori pedagang {merchant.category} tidak diizinkan program ini",
            f"merchant category {merchant.category} is not allowed by this programme",
            where="merchant",
        )
    prefixes = tuple(region.replace(".", "") for region in restrictions.regions)
    if prefixes and not merchant.region.replace(".", "").startswith(prefixes):
        raise PaymentRefused(
            "wrong_region",
            f"wilayah pedagang {merchant.region} di luar wilayah program",
            f"merchant region {merchant.region} is outside the programme's regions",
            where="merchant",
        )


def cap_check(signed: SignedIntent, restrictions: Restrictions, spent_today: int) -> None:
    """Refuse an amount above the per-payment cap or that takes the day above the per-day cap."""
    amount = signed.intent.amount
    if restrictions.payment_cap and amount > restrictions.payment_cap:
        raise PaymentRefused(
            "over_payment_cap",
            f"Rp {amount} melebihi batas per pembayaran Rp {restrictions.payment_cap}",
            f"Rp {amount} is above the per-payment cap of Rp {restrictions.payment_cap}",
            where="amount",
        )
    if restrictions.day_cap and spent_today + amount > restrictions.day_cap:
        raise PaymentRefused(
            "over_day_cap",
            f"Rp {spent_today} + Rp {amount} melebihi batas harian Rp {restrictions.day_cap}",
            f"Rp {spent_today} + Rp {amount} is above the per-day cap of Rp {restrictions.day_cap}",
            where="amount",
        )


def day_of(timestamp: int, restrictions: Restrictions) -> int:
    """Return the day number (days since 1970-01-01 in the cap's time zone) of timestamp."""
    return day_number(timestamp, restrictions.day_offset)


def day_number(timestamp: int, offset: int = WIB) -> int:
    """Return the days since 1970-01-01 of timestamp in the zone offset seconds east of UTC
    (WIB by default). Example: 1796518800 (2026-12-06 08:00 WIB) → 20793."""
    return (timestamp + offset) // 86400


def payment_check(
    signed: SignedIntent,
    *,
    restrictions: Restrictions,
    merchant: Merchant,
    head: ChainHead,
    spent_today: int,
    now: int,
) -> None:
    """Run every rule on an online payment; raise the first refusal.

    Raises SignatureRefused (forged) or PaymentRefused (reason as in the module doc).
    spent_today is what the wallet already spent from this programme on now's day. The
    caller has checked that intent.wallet is the current key of the wallet it debits.
    """
    intent_verify(signed)
    chain_check(signed, head)
    expiry_check(signed, restrictions, now)
    merchant_check(signed, restrictions, merchant)
    cap_check(signed, restrictions, spent_today)
