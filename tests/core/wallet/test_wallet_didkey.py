"""Test did:key against the W3C CCG did-method-key test vectors, and its refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.money.didkey import base58_decode, base58_encode, did_key_format, did_key_parse
from terbuka.money.errors import WalletFormatError
from terbuka.money.keys import wallet_key_from_seed

# w3c-ccg/did-method-key test-vectors/ed25519-x25519.json: seed → did, publicKeyBase58.
W3C_ED25519 = [
    (
        "0000000000000000000000000000000000000000000000000000000000000000",
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS",
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000001",
        "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
        "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt",
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000002",
        "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
        "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH",
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000003",
        "did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ",
        "HPYVwAQmskwT1qEEeRzhoomyfyupJGASQQtCXSNG8XS2",
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000004",
        "did:key:z6MkwW6aqMnjgrhJXFUko3NnZPGzVpkNzhYK7yEhnsibmLwL",
        "J3qYF7YJMKCqQke47UQwiHizgFUXapHxRxKmxbkar89x",
    ),
]
# w3c-ccg/did-method-key test-vectors/secp256k1.json, first vector.
W3C_SECP256K1 = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"


@pytest.mark.parametrize(("seed", "did", "public_b58"), W3C_ED25519)
def test_w3c_vector_formats_and_parses(seed: str, did: str, public_b58: str) -> None:
    key = wallet_key_from_seed(bytes.fromhex(seed))
    raw = key.private.public_key().public_bytes_raw()
    assert base58_encode(raw) == public_b58
    assert did_key_format(raw) == did == key.did
    assert did_key_parse(did) == raw == base58_decode(public_b58)


def test_secp256k1_is_refused_by_name() -> None:
    with pytest.raises(WalletFormatError, match="secp256k1 is not accepted") as info:
        did_key_parse(W3C_SECP256K1)
    assert "tidak diterima" in info.value.message_id


@pytest.mark.parametrize(
    ("prefix", "name"),
    [(b"\x80\x24", "P-256"), (b"\xec\x01", "X25519"), (b"\xe7\x01", "secp256k1")],
)
def test_other_key_types_are_refused_by_name(prefix: bytes, name: str) -> None:
    did = "did:key:z" + base58_encode(prefix + bytes(33))
    with pytest.raises(WalletFormatError, match=f"key type {name} "):
        did_key_parse(did)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("did:web:example.com", "did:key"),
        ("did:key:u6Mk", "did:key"),  # base64url multibase, not base58btc
        ("did:key:z6Mk0OIl", "not base58btc"),
        ("did:key:zTjsVPtY", "32 bytes, not 3"),  # did-key-test-suite: too small
        ("did:key:z" + base58_encode(b"\xed\x01" + bytes(31)), "32 bytes, not 31"),
        ("did:key:z" + "2" * 2000, "too long"),
    ],
)
def test_malformed_did_keys_are_refused(text: str, match: str) -> None:
    with pytest.raises(WalletFormatError, match=match) as info:
        did_key_parse(text)
    assert info.value.message_id != info.value.message_en


@given(st.binary(min_size=32, max_size=32))
def test_any_public_key_round_trips(raw: bytes) -> None:
    did = did_key_format(raw)
    assert did.startswith("did:key:z6Mk")
    assert did_key_parse(did) == raw


@given(st.binary(max_size=40))
def test_base58_round_trips(data: bytes) -> None:
    assert base58_decode(base58_encode(data)) == data


@given(st.text(max_size=80))
def test_parser_never_crashes(text: str) -> None:
    try:
        did_key_parse("did:key:z" + text)
    except WalletFormatError as exc:
        assert exc.message_id and exc.message_en and exc.message_id != exc.message_en
