"""Seed the demo wallets: purposes of the demo programmes, approved merchants (school-supply
shops, warung, apotek) in four villages, enrolled wallets of registrants credited by the demo
cycles, online payments signed by those wallets and, when the server has an allowance issuer
key (TERBUKA_WALLET_ISSUER_KEY_FILE; `make demo` makes one), offline payments: two wallets
get an offline allowance, pay two merchants offline, the merchants sync, and one wallet's
reused counter (a double spend at a second shop) lands in the grievance queue.

Each demo wallet's key is made here as a citizen's device would, enrolled at Dinas Sosial's
desk (challenge, proof of possession) and written as a wallet file (0600) to
DATA_DIR/demo-wallets/dompet-NN.json, so `terbuka wallet pay --wallet …` works with it.
Runs only once (no merchant yet) and only after the demo cycles.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings

from terbuka.money.allowance import SignedAllowance
from terbuka.money.enrol import enrol_proof_sign
from terbuka.money.keys import wallet_key_generate
from terbuka.money.spend import OFFLINE_MERCHANT
from terbuka.money.walletfile import (
    WalletFile,
    wallet_allowance_add,
    wallet_file_write,
    wallet_pay,
    wallet_pay_offline,
)
from terbuka_web.accounts.models import Role, User
from terbuka_web.benefits.models import CycleItem, Programme, Registrant
from terbuka_web.regions.models import Region
from terbuka_web.wallets.models import Merchant
from terbuka_web.wallets.offline import allowance_issue, vouchers_sync
from terbuka_web.wallets.payments import payment_accept
from terbuka_web.wallets.services import (
    enrol_challenge_create,
    merchant_approve,
    purpose_set,
    wallet_enrol,
)

AGENCY = "3522-dinsos"
PURPOSES = {
    "blt-desil": (["apotek", "atk", "warung"], 500_000, 750_000),
    "banjir-bengawan-solo": (["apotek", "warung"], 1_000_000, 1_500_000),
}
VILLAGES = 4
WALLETS_PER_VILLAGE = 2
SHOPS = (
    ("atk", "Toko Alat Tulis Sinar {}"),
    ("warung", "Warung Sembako Bu Darmi {}"),
    ("apotek", "Apotek Sehat {}"),
)
PAYMENTS = (("warung", 85_000), ("atk", 42_500), ("apotek", 27_000))
OFFLINE_WALLETS = 2
OFFLINE = (("warung", 30_000), ("atk", 15_000))  # allowance 60,000 in 4 intents


def demo_wallets_directory() -> Path:
    """Return DATA_DIR/demo-wallets, where the demo wallets' key files are written."""
    return Path(settings.DATA_DIR) / "demo-wallets"


def demo_wallets_create() -> int | None:
    """Seed the demo wallets; return how many were enrolled, or None when merchants exist
    already or no demo cycle credited anyone."""
    officer = User.objects.filter(agency__code=AGENCY, role=Role.PPK).order_by("id").first()
    items = CycleItem.objects.credited().filter(cycle__programme__slug="blt-desil")
    if Merchant.objects.exists() or officer is None or not items.exists():
        return None
    for programme in Programme.objects.filter(slug__in=PURPOSES):
        categories, payment_cap, day_cap = PURPOSES[programme.slug]
        purpose_set(
            actor=None, programme=programme, categories=categories, payment_cap=payment_cap,
            day_cap=day_cap,
        )  # fmt: skip
    codes = sorted(set(items.values_list("village_code", flat=True)))
    villages = codes[:: max(1, len(codes) // VILLAGES)][:VILLAGES]  # spread over the regency
    directory = demo_wallets_directory()
    directory.mkdir(parents=True, exist_ok=True)
    enrolled = 0
    for village in villages:
        _merchants(officer, village)
        chosen = items.filter(village_code=village).order_by("id")[:WALLETS_PER_VILLAGE]
        for item in chosen.select_related("registrant"):
            enrolled += 1
            wallet = _enrol(officer, item.registrant)
            wallet = _pay(wallet, village, enrolled)
            if enrolled <= OFFLINE_WALLETS and settings.TERBUKA["WALLET_ISSUER_KEY_FILE"]:
                wallet = _pay_offline(wallet, village, double_spend=enrolled == 1)
            wallet_file_write(wallet, directory / f"dompet-{enrolled:02d}.json")
    return enrolled


def _merchants(officer: User, village: str) -> None:
    """Approve one school-supply shop, one warung and one apotek in village."""
    name = Region.objects.get(code=village).name
    digits = village.replace(".", "")
    for category, pattern in SHOPS:
        merchant_approve(
            officer=officer, code=f"{category}-{digits}", name=pattern.format(name),
            category=category, village=village,
        )  # fmt: skip


def _enrol(officer: User, registrant: Registrant) -> WalletFile:
    """Enrol a fresh key for registrant as the desk and the phone would; return its file."""
    key = wallet_key_generate()
    issued = enrol_challenge_create(officer=officer, registrant=registrant)
    proof = enrol_proof_sign(key, issued.challenge, issued.expires)
    wallet_enrol(challenge=issued.challenge, wallet=key.did, proof=proof)
    return WalletFile(key)


def _pay(wallet: WalletFile, village: str, n: int) -> WalletFile:
    """Pay one or two of the village's merchants from the cash programme, online."""
    digits = village.replace(".", "")
    for category, amount in PAYMENTS[n % 2 : n % 2 + 2]:
        wallet, signed = wallet_pay(
            wallet, merchant=f"{category}-{digits}", amount=amount, programme="blt-desil",
            expires=int(time.time()) + 3600,
        )  # fmt: skip
        payment_accept(intent=signed.format())
    return wallet


def _pay_offline(wallet: WalletFile, village: str, *, double_spend: bool) -> WalletFile:
    """Get an offline allowance, pay two merchants offline and let them sync.

    With double_spend, the wallet also signs another intent with its first offline counter
    for a third shop (a cloned phone, say), which that shop syncs: a grievance.
    """
    now = int(time.time())
    wallet, request = wallet_pay(
        wallet, merchant=OFFLINE_MERCHANT, amount=60_000, programme="blt-desil",
        expires=now + 600,
    )  # fmt: skip
    granted = allowance_issue(intent=request.format(), count=4)
    before = wallet = wallet_allowance_add(wallet, SignedAllowance.parse(granted.text))
    digits = village.replace(".", "")
    taken: list[tuple[str, str]] = []
    for category, amount in OFFLINE:
        wallet, voucher = wallet_pay_offline(
            wallet, merchant=f"{category}-{digits}", amount=amount, programme="blt-desil",
            expires=now + 3600, now=now,
        )  # fmt: skip
        taken.append((f"{category}-{digits}", voucher.format()))
    if double_spend:
        _clone, voucher = wallet_pay_offline(
            before, merchant=f"apotek-{digits}", amount=20_000, programme="blt-desil",
            expires=now + 3600, now=now,
        )  # fmt: skip
        taken.append((f"apotek-{digits}", voucher.format()))
    for code, payload in taken:
        vouchers_sync(merchant=Merchant.objects.get(code=code), vouchers=[payload])
    return wallet
