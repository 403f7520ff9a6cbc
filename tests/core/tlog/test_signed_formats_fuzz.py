"""Fuzz every signed-format parser: only MalformedError may escape; format→parse round trips."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.cosignature import CosignatureSigner, CosignatureVerifier, signature_timestamp
from terbuka.tlog.errors import MalformedError, SignatureError
from terbuka.tlog.note import Signer, Verifier, open_note, parse_note, sign_note
from terbuka.tlog.policy import Policy

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SIGNER = Signer.from_skey(
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
)
COSIGNER = CosignatureSigner.generate("w.example")
SIGNED = sign_note("go.sum database tree\n5\n" + "A" * 43 + "=\n", [SIGNER])

alphabet = st.sampled_from(list("ab +=/\n—\x01é0123456789AQ"))
texty = st.text(alphabet=alphabet, max_size=200) | st.text(max_size=100)
note_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=80
).map(lambda t: t + "\n")
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=20,
).filter(lambda n: "+" not in n and not any(c.isspace() for c in n))


def _only_malformed(call: Callable[..., object], *args: object) -> None:
    with contextlib.suppress(MalformedError):
        call(*args)


@FUZZ
@given(st.binary(max_size=300) | texty.map(str.encode))
def test_parse_note_fuzz(data: bytes) -> None:
    _only_malformed(parse_note, data)


@FUZZ
@given(st.integers(0, len(SIGNED) - 1), st.integers(0, 255))
def test_tampered_signed_note_never_verifies_wrongly(pos: int, byte: int) -> None:
    data = bytearray(SIGNED)
    data[pos] = byte
    try:
        note = open_note(bytes(data), [SIGNER.verifier()])
    except (MalformedError, SignatureError):
        return
    assert bytes(data) == SIGNED or note.text.encode() == SIGNED.split(b"\n\n")[0] + b"\n"


@FUZZ
@given(note_text, st.lists(names, max_size=3, unique=True))
def test_sign_open_round_trip(text: str, key_names: list[str]) -> None:
    signers = [Signer(n, bytes(32)) for n in key_names] + [SIGNER]
    note = open_note(sign_note(text, signers), [s.verifier() for s in signers])
    assert note.text == text
    assert {s.name for s in note.signatures} == {s.name for s in signers}


@FUZZ
@given(st.text(max_size=120))
def test_vkey_skey_parsers_fuzz(text: str) -> None:
    for parse in (
        Verifier.from_vkey,
        CosignatureVerifier.from_vkey,
        Signer.from_skey,
        CosignatureSigner.from_skey,
    ):
        _only_malformed(parse, text)
        _only_malformed(parse, "PRIVATE+KEY+" + text)


@FUZZ
@given(names)
def test_key_round_trip(name: str) -> None:
    signer = Signer.generate(name)
    assert Signer.from_skey(signer.skey).vkey == Verifier.from_vkey(signer.vkey).vkey


@FUZZ
@given(st.binary(max_size=200) | texty.map(str.encode))
def test_checkpoint_parse_fuzz(data: bytes) -> None:
    _only_malformed(Checkpoint.parse, data)


origins = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda o: o == o.strip())
extensions = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=20,
    ),
    max_size=3,
)


@FUZZ
@given(origins, st.integers(0, 2**64 - 1), st.binary(min_size=32, max_size=32), extensions)
def test_checkpoint_round_trip(origin: str, size: int, root: bytes, ext: list[str]) -> None:
    cp = Checkpoint(origin, size, root, tuple(ext))
    assert Checkpoint.parse(cp.format()) == cp
    assert Checkpoint.parse(cp.format().encode()) == cp


@FUZZ
@given(st.binary(max_size=100))
def test_signature_timestamp_fuzz(data: bytes) -> None:
    _only_malformed(signature_timestamp, data)


@FUZZ
@given(origins, st.integers(0, 2**63 - 1))
def test_cosign_verify_round_trip(origin: str, when: int) -> None:
    text = Checkpoint(origin, 1, bytes(32)).format()
    sig = COSIGNER.cosign(text, when)
    assert signature_timestamp(sig.signature) == when
    assert COSIGNER.verifier().verify(text.encode(), sig.signature)


policy_words = st.sampled_from(
    [
        "log",
        "witness",
        "group",
        "quorum",
        "none",
        "any",
        "all",
        "2",
        "0",
        "w",
        "g",
        "#",
        SIGNER.vkey,
        COSIGNER.vkey,
        "https://x/",
        "\t",
        " ",
        "\n",
    ]
)


@FUZZ
@given(st.lists(policy_words, max_size=30).map(" ".join) | texty)
def test_policy_parse_fuzz(text: str) -> None:
    _only_malformed(Policy.parse, text)


@FUZZ
@given(
    st.lists(
        st.sampled_from([CosignatureSigner(f"w{i}", bytes([i]) * 32) for i in range(5)]),
        min_size=1,
        max_size=5,
        unique_by=lambda s: s.name,
    ),
    st.data(),
)
def test_policy_round_trip(witnesses: list[CosignatureSigner], data: st.DataObject) -> None:
    names = [f"W{i}" for i in range(len(witnesses))]
    k = data.draw(st.integers(1, len(witnesses)))
    text = (
        f"log {SIGNER.vkey}\n"
        + "".join(f"witness {n} {w.vkey}\n" for n, w in zip(names, witnesses, strict=True))
        + f"group g {k} {' '.join(names)}\nquorum g\n"
    )
    policy = Policy.parse(text)
    assert policy.format() == text
    assert Policy.parse(policy.format()) == policy
    assert policy.satisfied(names[:k]) and not policy.satisfied(names[: k - 1])
    assert base64.b64decode(policy.witnesses[0].verifier.vkey.split("+")[2])[0] == 4
