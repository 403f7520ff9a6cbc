"""Test the enrolment proof of possession: golden bytes, sign/verify, refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.core.wallet.samples import NOW, OTHER, WALLET

from terbuka.money.enrol import (
    enrol_challenge_new,
    enrol_proof_bytes,
    enrol_proof_sign,
    enrol_proof_verify,
)
from terbuka.money.errors import PaymentRefused, SignatureRefused, WalletFormatError

CHALLENGE = "Y2hhbGxlbmdlLWNoYWxsZW5nZS1jaGFsbGVuZ2UtMzI"  # b"challenge-challenge-challenge-32"
EXPIRES = NOW + 300
SIGNING_BYTES = (
    b'{"challenge":"Y2hhbGxlbmdlLWNoYWxsZW5nZS1jaGFsbGVuZ2UtMzI","expires":1796515500,'
    b'"type":"terbuka/wallet-enrol/1",'
    b'"wallet":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"}'
)
PROOF = "_zwQyaM4_9a_VKrin87XwDK0pT67Few_88SroCAteSKoUTHuDUio4I28yMRTGH-YCBLwxa1XpIYKm9HoA_xgAw"


def test_golden_proof_signs_and_verifies() -> None:
    assert enrol_proof_bytes(WALLET.did, CHALLENGE, EXPIRES) == SIGNING_BYTES
    assert enrol_proof_sign(WALLET, CHALLENGE, EXPIRES) == PROOF
    enrol_proof_verify(WALLET.did, CHALLENGE, EXPIRES, PROOF, NOW)


def test_proof_of_another_key_or_challenge_is_refused() -> None:
    with pytest.raises(SignatureRefused, match="proof of key possession"):
        enrol_proof_verify(OTHER.did, CHALLENGE, EXPIRES, PROOF, NOW)
    other = enrol_challenge_new()
    with pytest.raises(SignatureRefused):
        enrol_proof_verify(WALLET.did, other, EXPIRES, PROOF, NOW)


def test_expired_challenge_is_refused() -> None:
    with pytest.raises(PaymentRefused, match="expired") as info:
        enrol_proof_verify(WALLET.did, CHALLENGE, EXPIRES, PROOF, EXPIRES + 1)
    assert info.value.reason == "expired"


def test_challenges_are_fresh_32_bytes() -> None:
    first, second = enrol_challenge_new(), enrol_challenge_new()
    assert first != second and len(first) == 43


@given(st.text(max_size=100))
def test_malformed_proof_is_a_format_error(proof: str) -> None:
    try:
        enrol_proof_verify(WALLET.did, CHALLENGE, EXPIRES, proof, NOW)
    except WalletFormatError as exc:
        assert exc.message_id != exc.message_en
    except SignatureRefused:
        pass
