"""Test checkpoint anchors: payload format/parse, offline signing with hive-nectar, checking."""

from __future__ import annotations

import contextlib
import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.core.tlog.logbuild import OTHER_PUB, TEST_PUB, TEST_WIF

from terbuka.tlog.anchor import (
    ANCHOR_ID,
    AnchorPayload,
    anchor_check,
    anchor_check_signature,
    anchor_operation,
    anchor_payload_from_tx,
    anchor_serialize,
    anchor_sign,
)
from terbuka.tlog.errors import MalformedError, MismatchError, SignatureError

PAYLOAD = AnchorPayload("terbuka.example/log", 42, bytes(range(32)))
PAYLOAD_TEXT = (
    '{"origin":"terbuka.example/log","root":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",'
    '"size":42}'
)
# ref_block_num 4660 (0x1234), prefix 0x12345678, expiration 2026-11-28T08:00:00, one op
UNSIGNED_HEX = (
    "3412"  # ref_block_num u16 little-endian
    "78563412"  # ref_block_prefix u32
    "008a0a6b"  # expiration, u32 seconds since 1970
    "0112"  # one operation: custom_json (operation id 18)
    "00"  # no required_auths
    "010774657262756b61"  # required_posting_auths ["terbuka"]
    "1274657262756b612d636865636b706f696e74"  # id "terbuka-checkpoint"
)


def signed() -> dict:
    return anchor_sign(
        PAYLOAD,
        account="terbuka",
        wif=TEST_WIF,
        ref_block_num=4660,
        ref_block_prefix=0x12345678,
        expiration="2026-11-28T08:00:00",
    )


def test_payload_golden_and_round_trip() -> None:
    assert PAYLOAD.format() == PAYLOAD_TEXT
    assert AnchorPayload.parse(PAYLOAD_TEXT) == PAYLOAD


def test_operation_shape() -> None:
    name, body = anchor_operation(PAYLOAD, account="terbuka")
    assert name == "custom_json"
    assert body == {
        "required_auths": [],
        "required_posting_auths": ["terbuka"],
        "id": ANCHOR_ID,
        "json": PAYLOAD_TEXT,
    }


def test_offline_signature_serializes_and_verifies() -> None:
    tx = signed()
    raw = anchor_serialize(tx)
    json_bytes = PAYLOAD_TEXT.encode()
    expected_prefix = bytes.fromhex(UNSIGNED_HEX) + bytes([len(json_bytes)]) + json_bytes
    assert raw.startswith(expected_prefix)
    # no extensions, one 65-byte compact signature at the end
    assert raw[len(expected_prefix) :][:2] == b"\x00\x01"
    assert len(raw) == len(expected_prefix) + 2 + 65
    assert raw[-65:].hex() == tx["signatures"][0]
    anchor_check_signature(tx, TEST_PUB)
    assert signed() == tx  # RFC 6979: deterministic


def test_signature_fails_for_other_key_and_tampered_payload() -> None:
    tx = signed()
    with pytest.raises(SignatureError, match="not signed by"):
        anchor_check_signature(tx, OTHER_PUB)
    forged = copy.deepcopy(tx)
    forged["operations"][0][1]["json"] = PAYLOAD_TEXT.replace("42", "43")
    with pytest.raises(SignatureError):
        anchor_check_signature(forged, TEST_PUB)


def test_bad_wif_is_refused() -> None:
    with pytest.raises(SignatureError, match="WIF"):
        anchor_sign(
            PAYLOAD,
            account="t",
            wif="5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD4",
            ref_block_num=1,
            ref_block_prefix=1,
            expiration="2026-11-28T08:00:00",
        )


def test_check_matches_and_names_the_differing_field() -> None:
    tx = signed()
    assert anchor_check(tx, origin=PAYLOAD.origin, size=42, root=PAYLOAD.root) == PAYLOAD
    with pytest.raises(MismatchError) as info:
        anchor_check(tx, origin=PAYLOAD.origin, size=42, root=bytes(32))
    assert info.value.where == "root"
    assert "berbeda" in info.value.message_id
    with pytest.raises(MismatchError, match="size"):
        anchor_check(tx, origin=PAYLOAD.origin, size=41, root=PAYLOAD.root)


def test_single_operation_is_accepted_and_foreign_tx_refused() -> None:
    op = anchor_operation(PAYLOAD, account="terbuka")
    assert anchor_payload_from_tx(op) == PAYLOAD  # type: ignore[arg-type]
    with pytest.raises(MalformedError, match=ANCHOR_ID):
        anchor_payload_from_tx({"operations": [["vote", {}]]})


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        '{"origin":"o","size":1}',
        '{"origin":"o","size":-1,"root":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}',
        '{"origin":"o","size":1.5,"root":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}',
        '{"origin":"o","size":1,"root":"AAEC"}',
        '{"origin":1,"size":1,"root":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}',
        '{"origin":"o","size":1,"root":"!!"}',
    ],
)
def test_bad_payloads(text: str) -> None:
    with pytest.raises(MalformedError):
        AnchorPayload.parse(text)


@given(st.text())
def test_parse_never_crashes(text: str) -> None:
    with contextlib.suppress(MalformedError):
        AnchorPayload.parse(text)


@given(
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1),
    st.integers(0, 2**53 - 1),
    st.binary(min_size=32, max_size=32),
)
def test_round_trip(origin: str, size: int, root: bytes) -> None:
    payload = AnchorPayload(origin, size, root)
    assert AnchorPayload.parse(payload.format()) == payload
