"""Test the payment intent: golden bytes, sign/verify, forgeries and parser fuzzing."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import given
from hypothesis import strategies as st
from tests.core.wallet.samples import OTHER, WALLET, intent_of

from terbuka.canonical import canonical_json
from terbuka.money.didkey import did_key_parse
from terbuka.money.errors import SignatureRefused, WalletFormatError
from terbuka.money.intent import GENESIS, Intent, SignedIntent, intent_sign, intent_verify

SIGNING_BYTES = (
    b'{"amount":25000,"counter":1,"expires":1796518800,"merchant":"toko-ani",'
    b'"prev":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","programme":"pip-2026",'
    b'"type":"terbuka/payment-intent/1",'
    b'"wallet":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"}'
)
WIRE = (
    "TPI1.z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp.toko-ani.pip-2026.25000.1."
    "1796518800.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA."
    "4M4gd1bfGAeLD-yMxE3rbXMZQcSZuw0fSgnePf7dKgK-mgY4OqwM24jZCXBb8d-BMooaKjMlTTPHz-ltC-1BCA"
)
HASH = "iS--E2gz2E2kYjesocXEKG90h-oU6BPKRe4BcZILctM"
WIRE_2 = (
    "TPI1.z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp.toko-ani.pip-2026.10000.2."
    "1796518800.iS--E2gz2E2kYjesocXEKG90h-oU6BPKRe4BcZILctM."
    "0nNJuokaZf_5-xEv57Z1S7g1-BEn23tWJq_6El35Wg0qPxl3GSZ86MIZ0Q4MPIc5pM4be2ShoOrA5W9keXSECw"
)


def test_golden_intent_formats_parses_and_signs() -> None:
    signed = intent_of()
    assert signed.intent.signing_bytes() == SIGNING_BYTES
    assert signed.format() == WIRE
    assert SignedIntent.parse(WIRE) == signed
    intent_verify(signed)


def test_second_intent_chains_on_the_first_hash() -> None:
    assert intent_of().hash() == HASH
    second = intent_of(counter=2, prev=HASH, amount=10000)
    assert second.format() == WIRE_2
    assert SignedIntent.parse(WIRE_2) == second


def test_independent_verifier_needs_only_the_did_key() -> None:
    """Rebuild the signature input from the wire fields alone, as docs/wallet.md says."""
    header, wallet, merchant, programme, amount, counter, expires, prev, sig = WIRE.split(".")
    assert header == "TPI1"
    rebuilt = (
        f'{{"amount":{amount},"counter":{counter},"expires":{expires},"merchant":"{merchant}",'
        f'"prev":"{prev}","programme":"{programme}","type":"terbuka/payment-intent/1",'
        f'"wallet":"did:key:{wallet}"}}'
    ).encode()
    assert rebuilt == SIGNING_BYTES
    public = Ed25519PublicKey.from_public_bytes(did_key_parse("did:key:" + wallet))
    public.verify(base64.urlsafe_b64decode(sig + "=="), rebuilt)
    digest = base64.urlsafe_b64encode(hashlib.sha256(rebuilt).digest()).rstrip(b"=").decode()
    assert digest == HASH


@pytest.mark.parametrize(
    ("old", "new"),
    [(".25000.", ".95000."), (".toko-ani.", ".toko-ano."), (".pip-2026.", ".pkh-2026.")],
)
def test_altered_intent_is_forged(old: str, new: str) -> None:
    with pytest.raises(SignatureRefused, match="forged or altered") as info:
        intent_verify(SignedIntent.parse(WIRE.replace(old, new)))
    assert "dipalsukan" in info.value.message_id


def test_intent_signed_by_another_key_is_forged() -> None:
    theirs = intent_of(OTHER)
    forged = SignedIntent(intent_of().intent, theirs.signature)
    with pytest.raises(SignatureRefused):
        intent_verify(forged)


def test_signing_for_another_wallet_is_refused() -> None:
    with pytest.raises(SignatureRefused, match="not the key of the intent's wallet"):
        intent_sign(OTHER, intent_of().intent)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (WIRE.replace("TPI1", "TPI2"), "intent"),
        (WIRE + ".x", "intent"),
        (WIRE.replace(".25000.", ".025000."), "amount"),
        (WIRE.replace(".25000.", ".0."), "amount"),
        (WIRE.replace(".1.1796", ".-1.1796"), "counter"),
        (WIRE.replace(".toko-ani.", ".toko ani."), "merchant"),
        (WIRE.replace("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAA"), "prev"),
        (WIRE.replace("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "A" * 42 + "B"), "prev"),
        (WIRE[:-2], "signature"),
        (WIRE.replace("z6MkiTBz", "zQ3shokF"), "wallet"),
        (WIRE + "é", "intent"),
    ],
)
def test_malformed_wire_names_the_field(text: str, where: str) -> None:
    with pytest.raises(WalletFormatError) as info:
        SignedIntent.parse(text)
    assert info.value.where == where
    assert info.value.message_id != info.value.message_en


def test_intent_fields_are_checked_on_construction() -> None:
    with pytest.raises(WalletFormatError, match="integer"):
        Intent(WALLET.did, "toko-ani", "pip-2026", True, 1, 1)  # type: ignore[arg-type]


def _bilingual(exc: WalletFormatError) -> None:
    assert exc.message_id and exc.message_en and exc.message_id != exc.message_en
    assert exc.where


@given(st.text(max_size=500))
def test_parser_never_crashes_on_any_text(text: str) -> None:
    try:
        SignedIntent.parse(text)
    except WalletFormatError as exc:
        _bilingual(exc)


@given(st.integers(0, len(WIRE) - 1), st.text(max_size=3), st.integers(0, 3))
def test_parser_never_crashes_on_mutations(at: int, insert: str, cut: int) -> None:
    text = WIRE[:at] + insert + WIRE[at + cut :]
    try:
        signed = SignedIntent.parse(text)
    except WalletFormatError as exc:
        _bilingual(exc)
    else:
        assert signed.format() == text  # one text per intent


@given(
    amount=st.integers(1, 2**53 - 1),
    counter=st.integers(1, 2**53 - 1),
    expires=st.integers(0, 2**53 - 1),
    merchant=st.from_regex(r"[A-Za-z0-9_-]{1,32}", fullmatch=True),
    prev=st.binary(min_size=32, max_size=32),
)
def test_any_intent_round_trips(
    amount: int, counter: int, expires: int, merchant: str, prev: bytes
) -> None:
    prev_text = base64.urlsafe_b64encode(prev).rstrip(b"=").decode()
    intent = Intent(WALLET.did, merchant, "pip-2026", amount, counter, expires, prev_text)
    signed = SignedIntent(intent, bytes(64))
    assert SignedIntent.parse(signed.format()) == signed
    assert intent.signing_bytes() == canonical_json(intent.as_data(), plain=True)
    assert GENESIS == "A" * 43
