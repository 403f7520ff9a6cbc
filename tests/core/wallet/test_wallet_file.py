"""Test the terminal wallet file: round trip, 0600 atomic writes, honest offline payments."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.core.wallet.samples import ISSUER, NOW, OTHER, SHOP, WALLET, allowance_of

from terbuka.errors import SecretFileError, TerbukaError
from terbuka.money.errors import PaymentRefused, WalletFormatError
from terbuka.money.intent import GENESIS
from terbuka.money.purpose import refusal_reason
from terbuka.money.voucher import offline_check
from terbuka.money.walletfile import (
    WalletFile,
    issuer_key_read,
    wallet_allowance_add,
    wallet_file_read,
    wallet_file_write,
    wallet_pay,
    wallet_pay_offline,
)

EMPTY = (
    '{"type":"terbuka/wallet-file/1",'
    '"did":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",'
    '"key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","counter":0,'
    '"prev":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","allowances":{}}'
)


def _pay(wallet: WalletFile, amount: int, now: int = NOW) -> WalletFile:
    advanced, _voucher = wallet_pay_offline(
        wallet, merchant="toko-ani", amount=amount, programme="pip-2026", expires=now + 60, now=now
    )
    return advanced


def test_golden_empty_wallet_file_parses() -> None:
    wallet = WalletFile.parse(EMPTY)
    assert wallet.key.did == WALLET.did and wallet.counter == 0 and wallet.prev == GENESIS


def test_wallet_file_round_trips_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "dompet.json"
    wallet = wallet_allowance_add(WalletFile(WALLET), allowance_of())
    wallet_file_write(wallet, path, new=True)
    with pytest.raises(FileExistsError):
        wallet_file_write(wallet, path, new=True)
    paid = _pay(wallet, 25000)
    wallet_file_write(paid, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert wallet_file_read(path) == paid
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_pem_key_file_reads_as_a_fresh_wallet(tmp_path: Path) -> None:
    path = tmp_path / "kunci.pem"
    path.write_bytes(WALLET.pem())
    assert wallet_file_read(path) == WalletFile(WALLET)


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        "[]",
        "not json",
        EMPTY.replace('"counter":0', '"counter":-1'),
        EMPTY.replace("z6MkiTBz", "z6MkjchhfU"),
        EMPTY.replace('"allowances":{}', '"allowances":{"p":{"allowance":"TOA1.x","spent":0}}'),
    ],
)
def test_bad_wallet_file_is_refused(text: str) -> None:
    with pytest.raises(WalletFormatError, match="wallet file is not valid") as info:
        WalletFile.parse(text)
    assert "berkas dompet" in info.value.message_id


def test_offline_payments_chain_and_pass_the_merchant() -> None:
    wallet = wallet_allowance_add(WalletFile(WALLET), allowance_of())
    seen = []
    for amount in (25000, 40000, 35000):  # Rp 100,000: the allowance's per-day cap
        wallet, voucher = wallet_pay_offline(
            wallet, merchant="toko-ani", amount=amount, programme="pip-2026",
            expires=NOW + 60, now=NOW,
        )  # fmt: skip
        offline_check(voucher, issuer=ISSUER.did, merchant=SHOP, now=NOW, seen=seen)
        seen.append(voucher.intent)
    assert wallet.counter == 3 and wallet.prev == seen[-1].hash()
    assert wallet.allowances["pip-2026"][1] == 100000


def test_offline_payments_keep_the_per_day_cap() -> None:
    wallet = _pay(_pay(wallet_allowance_add(WalletFile(WALLET), allowance_of()), 50000), 50000)
    with pytest.raises(PaymentRefused) as info:
        _pay(wallet, 1)
    assert refusal_reason(info.value) == "over_day_cap"
    tomorrow = NOW + 86400
    wallet = _pay(wallet, 50000, tomorrow)
    assert wallet.days["pip-2026"] == ((tomorrow + 7 * 3600) // 86400, 50000)
    assert WalletFile.parse(json.dumps(wallet.as_data())) == wallet  # the day survives a save


@pytest.mark.parametrize(
    ("setup", "amount", "now", "reason"),
    [
        ("none", 1000, NOW, "outside_allowance"),
        ("held", 60000, NOW, "over_payment_cap"),
        ("held", 1000, 1797120001, "expired"),
        ("spent", 1000, NOW, "allowance_overdrawn"),
        ("used", 1000, NOW, "outside_allowance"),
    ],
)
def test_honest_wallet_refuses_what_a_merchant_would(
    setup: str, amount: int, now: int, reason: str
) -> None:
    wallet = WalletFile(WALLET)
    if setup != "none":
        wallet = wallet_allowance_add(wallet, allowance_of(count=2 if setup == "used" else 5))
    if setup == "spent":
        wallet = _pay(_pay(_pay(wallet, 50000), 50000, NOW + 86400), 50000, NOW + 86400)
    if setup == "used":
        wallet = _pay(_pay(wallet, 1), 1)
    with pytest.raises(PaymentRefused) as info:
        _pay(wallet, amount, now if setup != "spent" else NOW + 2 * 86400)
    assert refusal_reason(info.value) == reason


def test_allowance_of_another_wallet_is_refused() -> None:
    with pytest.raises(PaymentRefused) as info:
        wallet_allowance_add(WalletFile(WALLET), allowance_of(OTHER))
    assert info.value.reason == "wrong_wallet"


def test_online_pay_advances_the_chain() -> None:
    wallet, first = wallet_pay(
        WalletFile(WALLET), merchant="toko-ani", amount=1, programme="pip-2026", expires=NOW
    )
    wallet, second = wallet_pay(
        wallet, merchant="toko-ani", amount=1, programme="pip-2026", expires=NOW
    )
    assert second.intent.prev == first.hash() and wallet.counter == 2


def test_online_pay_skips_the_counters_an_allowance_reserves() -> None:
    """After an allowance for 2..6 (requested by intent 1), online intent 7 follows its hash;
    offline intents use 2.. after the request; the allowance is then left behind."""
    wallet = wallet_allowance_add(WalletFile(WALLET, counter=1), allowance_of(start=2))
    offline, voucher = wallet_pay_offline(
        wallet, merchant="toko-ani", amount=1000, programme="pip-2026", expires=NOW, now=NOW
    )
    assert voucher.intent.intent.counter == 2
    online, signed = wallet_pay(
        offline, merchant="toko-ani", amount=1, programme="pip-2026", expires=NOW
    )
    assert signed.intent.counter == 7 and signed.intent.prev == allowance_of(start=2).hash()
    with pytest.raises(PaymentRefused) as refused:
        wallet_pay_offline(
            online, merchant="toko-ani", amount=1, programme="pip-2026", expires=NOW, now=NOW
        )
    assert refused.value.reason == "outside_allowance"


def test_issuer_key_is_read_from_a_private_file_and_must_be_the_issuer(tmp_path: Path) -> None:
    path = tmp_path / "issuer.pem"
    path.write_bytes(ISSUER.pem())
    path.chmod(0o600)
    assert issuer_key_read(path, ISSUER.did) == ISSUER == issuer_key_read(path)
    with pytest.raises(WalletFormatError):
        issuer_key_read(path, OTHER.did)
    path.chmod(0o644)
    with pytest.raises(SecretFileError):
        issuer_key_read(path, ISSUER.did)
    with pytest.raises(SecretFileError):
        issuer_key_read(tmp_path / "absent", ISSUER.did)


@given(st.text(max_size=300))
def test_wallet_file_parser_never_crashes(text: str) -> None:
    try:
        WalletFile.parse(text)
    except TerbukaError as exc:
        assert exc.message_id != exc.message_en
