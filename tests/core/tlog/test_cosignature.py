"""Test cosignature/v1 against the C2SP examples and transparency-dev vectors."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.cosignature import (
    CosignatureSigner,
    CosignatureVerifier,
    cosigned_message,
    generate_cosigner_key,
    signature_timestamp,
)
from terbuka.tlog.errors import MalformedError, NoVerifiableSignatureError, SignatureError
from terbuka.tlog.note import Signer, Verifier, open_note, parse_note, sign_note


def test_spec_example_timestamp_and_signed_message(c2sp: Path) -> None:
    note = parse_note((c2sp / "tlog-cosignature-example-1.txt").read_bytes())
    log_sig, wit_sig = note.unverified
    assert wit_sig.name == "witness.example.com/w1"
    assert wit_sig.key_id == 0x8D66CF3F
    raw = wit_sig.key_id.to_bytes(4, "big") + wit_sig.signature
    assert len(raw) == 76
    timestamp = signature_timestamp(raw)
    assert timestamp == 1679315147
    want = (c2sp / "tlog-cosignature-example-2-signed-message.txt").read_bytes()
    assert cosigned_message(note.text, timestamp) == want
    assert Checkpoint.parse(note.text).size == 20852163
    with pytest.raises(MalformedError):
        signature_timestamp(log_sig.key_id.to_bytes(4, "big") + log_sig.signature)


def test_timestamp_vectors(formats_golden: dict[str, Any]) -> None:
    for vec in formats_golden["cosignature_v1"]["timestamp_vectors"]:
        if vec.get("want_error"):
            line = f"— w {vec['signature_b64']}\n"
            with pytest.raises(MalformedError):  # bad base64 in the line, or bad length
                sig = parse_note(f"x\n\n{line}").unverified[0]
                signature_timestamp(sig.key_id.to_bytes(4, "big") + sig.signature)
            continue
        raw = base64.b64decode(vec["signature_b64"])
        assert raw[:4].hex() == vec["want_key_id"]
        assert signature_timestamp(raw) == vec["want_timestamp"]


def test_vkey_vectors(formats_golden: dict[str, Any]) -> None:
    sec = formats_golden["cosignature_v1"]
    ed25519, native, mldsa = (v["vkey"] for v in sec["valid_vkeys"])
    converted = CosignatureVerifier.from_vkey(ed25519)
    assert converted.key_id == 0xFDD2DBC7
    assert converted.vkey.startswith("TEST+fdd2dbc7+B")
    assert CosignatureVerifier.from_vkey(native).key_id == 0xDA77ADE7
    with pytest.raises(MalformedError, match="key ID"):  # ML-DSA key ID does not match: strict
        CosignatureVerifier.from_vkey(mldsa)
    for bad in sec["invalid_vkeys"]:
        with pytest.raises(MalformedError):
            CosignatureVerifier.from_vkey(bad["vkey"])


def test_cosign_and_verify_round_trip() -> None:
    skey, vkey = generate_cosigner_key("witness.terbuka.example")
    key_types = {base64.b64decode(k)[0] for k in (skey.split("+", 4)[4], vkey.split("+", 2)[2])}
    assert key_types == {0x04}
    cosigner = CosignatureSigner.from_skey(skey)
    log = Signer.generate("log.example")
    text = Checkpoint("log.example", 5, bytes(32)).format()
    logged = parse_note(sign_note(text, [log]))
    sig = cosigner.cosign(text, 1_700_000_000)
    msg = sign_note(text, [], keep=(*logged.unverified, sig))
    verifier = CosignatureVerifier.from_vkey(vkey)
    note = open_note(msg, [log.verifier(), verifier])
    assert [s.name for s in note.signatures] == ["log.example", "witness.terbuka.example"]
    assert signature_timestamp(note.signatures[1].signature) == 1_700_000_000
    tampered = msg.replace(b"\n5\n", b"\n6\n")
    with pytest.raises(SignatureError, match="invalid signature"):
        open_note(tampered, [verifier])


def test_cosignature_is_not_a_plain_note_signature() -> None:
    cosigner = CosignatureSigner.generate("w")
    text = "o\n1\n" + base64.b64encode(bytes(32)).decode() + "\n"
    msg = sign_note(text, [cosigner])
    plain = Verifier("w", cosigner.public_key)  # same key, type 0x01: other key ID
    with pytest.raises(NoVerifiableSignatureError):
        open_note(msg, [plain])
    assert open_note(msg, [cosigner.verifier()]).signatures


@pytest.mark.parametrize("timestamp", [-1, 2**63])
def test_timestamp_out_of_range_rejected(timestamp: int) -> None:
    with pytest.raises(MalformedError):
        CosignatureSigner.generate("w").cosign("o\n", timestamp)


def test_timestamp_above_2_63_rejected_when_verifying() -> None:
    cosigner = CosignatureSigner.generate("w")
    sig = cosigner.cosign("x\n", 5)
    forged = (2**63).to_bytes(8, "big") + sig.signature[8:]
    assert not cosigner.verifier().verify(b"x\n", forged)
    assert cosigner.verifier().verify(b"x\n", sig.signature)


def test_ed25519_skey_is_not_a_cosigner_key() -> None:
    skey = Signer.generate("w").skey
    with pytest.raises(MalformedError):
        CosignatureSigner.from_skey(skey)
