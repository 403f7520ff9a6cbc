"""Build the wallet tests' keys, intents, allowances and vouchers (fixed seeds: golden bytes)."""

from __future__ import annotations

from terbuka.money.allowance import Allowance, SignedAllowance, allowance_sign
from terbuka.money.intent import GENESIS, Intent, SignedIntent, intent_sign
from terbuka.money.keys import WalletKey, wallet_key_from_seed
from terbuka.money.purpose import Merchant, Restrictions
from terbuka.money.voucher import Voucher

WALLET = wallet_key_from_seed(bytes(32))  # W3C did:key vector 1
ISSUER = wallet_key_from_seed(bytes(31) + b"\x01")  # W3C did:key vector 2
OTHER = wallet_key_from_seed(bytes(31) + b"\x02")  # W3C did:key vector 3
NOW = 1796515200  # 2026-12-06T00:00:00Z
EXPIRES = NOW + 3600
SHOP = Merchant("toko-ani", "atk", "3522012001")
RESTRICTIONS = Restrictions(
    programme="pip-2026",
    expires=NOW + 30 * 86400,
    categories=frozenset({"atk", "warung"}),
    regions=("3522",),
    payment_cap=50000,
    day_cap=100000,
)


def intent_of(
    key: WalletKey = WALLET,
    *,
    counter: int = 1,
    prev: str = GENESIS,
    amount: int = 25000,
    merchant: str = "toko-ani",
    programme: str = "pip-2026",
    expires: int = 1796518800,
) -> SignedIntent:
    """Return a signed intent of key with the given fields (defaults: the golden intent)."""
    intent = Intent(
        wallet=key.did,
        merchant=merchant,
        programme=programme,
        amount=amount,
        counter=counter,
        expires=expires,
        prev=prev,
    )
    return intent_sign(key, intent)


def allowance_of(
    key: WalletKey = WALLET, *, amount: int = 150000, count: int = 5, start: int = 1
) -> SignedAllowance:
    """Return an allowance for key signed by ISSUER (defaults: the golden allowance)."""
    allowance = Allowance(
        wallet=key.did,
        programme="pip-2026",
        amount=amount,
        count=count,
        start=start,
        expires=1797120000,
        payment_cap=50000,
        day_cap=100000,
        categories=("atk", "warung"),
        regions=("3522",),
    )
    return allowance_sign(ISSUER, allowance)


def voucher_of(**fields: int | str) -> Voucher:
    """Return the voucher of intent_of(**fields) under the golden allowance."""
    return Voucher(intent_of(**fields), allowance_of())  # type: ignore[arg-type]
