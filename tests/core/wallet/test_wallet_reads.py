"""Test a wallet's signed reads: golden bytes and header, sign/verify, refusals, fuzzed headers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.core.wallet.samples import NOW, OTHER, WALLET

from terbuka.money.errors import PaymentRefused, SignatureRefused, WalletFormatError
from terbuka.money.keys import signature_valid
from terbuka.money.reads import (
    READ_WINDOW,
    read_authorization,
    read_authorization_check,
    read_bytes,
)
from terbuka.money.wire import b64url_decode

SIGNING_BYTES = (
    b'{"at":1796515200,"type":"terbuka/wallet-read/1",'
    b'"wallet":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"}'
)
HEADER = (
    "Wallet 1796515200."
    "eGcroDk0K7AsiJ5AEPlwa3CA92sDCwnazZyUmf5CTMBx7zaD0BUJV61YZgoPtDOrnuvsuYWFTI_kT4b4zMZ5Bw"
)


def test_golden_read_proof_signs_and_verifies() -> None:
    assert read_bytes(WALLET.did, NOW) == SIGNING_BYTES
    assert read_authorization(WALLET, NOW) == HEADER
    signature = b64url_decode(HEADER.rsplit(".", 1)[1], 64, "proof")
    assert signature_valid(WALLET.did, signature, SIGNING_BYTES)  # the bytes the docs show
    for now in (NOW - READ_WINDOW, NOW, NOW + READ_WINDOW):
        read_authorization_check(WALLET.did, HEADER, now)


def test_a_proof_reads_only_its_own_wallet() -> None:
    with pytest.raises(SignatureRefused, match="not this wallet's signature"):
        read_authorization_check(OTHER.did, HEADER, NOW)
    forged = HEADER.replace("1796515200", "1796515201", 1)  # another time, same signature
    with pytest.raises(SignatureRefused):
        read_authorization_check(WALLET.did, forged, NOW)


@pytest.mark.parametrize("now", [NOW - READ_WINDOW - 1, NOW + READ_WINDOW + 1])
def test_a_proof_far_from_the_server_clock_is_refused(now: int) -> None:
    with pytest.raises(PaymentRefused, match="expired") as refused:
        read_authorization_check(WALLET.did, HEADER, now)
    assert refused.value.reason == "expired"


@pytest.mark.parametrize(
    "header",
    ["", "Bearer x", "Wallet", "Wallet 1796515200", "Wallet x." + "A" * 86,
     "Wallet 1796515200.short", "wallet " + HEADER[7:], "Wallet -1." + "A" * 86],
)  # fmt: skip
def test_a_malformed_header_is_a_format_error(header: str) -> None:
    with pytest.raises(WalletFormatError) as refused:
        read_authorization_check(WALLET.did, header, NOW)
    assert refused.value.where == "Authorization"


@given(st.text(max_size=200))
def test_any_header_is_refused_with_a_money_error_only(header: str) -> None:
    with pytest.raises((WalletFormatError, PaymentRefused, SignatureRefused)):
        read_authorization_check(WALLET.did, header, NOW)
