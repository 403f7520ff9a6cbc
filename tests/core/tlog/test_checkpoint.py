"""Test C2SP checkpoints against the spec example and the transparency-dev vectors."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from terbuka.tlog.checkpoint import Checkpoint, open_checkpoint
from terbuka.tlog.errors import MalformedError, SignatureError
from terbuka.tlog.note import (
    NoVerifiableSignatureError,
    Signer,
    Verifier,
    open_note,
    parse_note,
    sign_note,
)

ROOT32 = bytes(range(32))
ROOT32_B64 = base64.b64encode(ROOT32).decode()


def test_spec_example_parses(c2sp: Path) -> None:
    note = parse_note((c2sp / "tlog-checkpoint-example-1.txt").read_bytes())
    cp = Checkpoint.parse(note.text)
    assert (cp.origin, cp.size, len(cp.root), cp.extensions) == (
        "example.com/behind-the-sofa",
        20852163,
        32,
        (),
    )
    assert cp.format() == note.text
    [sig] = note.unverified
    assert sig.key_id == 0x033DE0AE


def test_trap_same_key_id_as_sum_golang_org_is_ignored(
    c2sp: Path, formats_golden: dict[str, Any]
) -> None:
    sumdb = Verifier.from_vkey(formats_golden["sumdb_checkpoint"]["vkey"])
    assert sumdb.key_id == 0x033DE0AE
    msg = (c2sp / "tlog-checkpoint-example-1.txt").read_bytes()
    with pytest.raises(NoVerifiableSignatureError):
        open_note(msg, [sumdb])
    # Even if the name matched, the signature must not verify under that key.
    renamed = msg.replace(b"\xe2\x80\x94 example.com/behind-the-sofa", "— sum.golang.org".encode())
    with pytest.raises(Exception, match="invalid signature"):
        open_note(renamed, [sumdb])


def test_sumdb_checkpoint_verifies(formats_golden: dict[str, Any]) -> None:
    sec = formats_golden["sumdb_checkpoint"]
    note = open_note(sec["note"].encode(), [Verifier.from_vkey(sec["vkey"])])
    cp = Checkpoint.parse(note.text)
    assert (cp.origin, cp.size) == (sec["origin"], sec["size"])


def test_marshal_vectors_line_structure(formats_golden: dict[str, Any]) -> None:
    for vec in formats_golden["checkpoint"]["marshal"]:
        with pytest.raises(MalformedError, match="32 bytes"):
            Checkpoint(vec["origin"], vec["size"], vec["hash_ascii"].encode())
        cp = Checkpoint(vec["origin"], vec["size"], ROOT32)
        assert cp.format() == f"{vec['origin']}\n{vec['size']}\n{ROOT32_B64}\n"


SHORT_VIEW = "dGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ=="
WHY = {
    "invalid - insufficient lines": "3 lines",
    "invalid - empty header": "origin",
    "invalid - missing newline on roothash": "newline",
    "invalid size - not a number": "tree size",
    "invalid size - negative": "tree size",
    "invalid size - too large": "tree size",
    "invalid roothash - not base64": "base64",
}


def _with_32_byte_root(text: str) -> str:
    lines = text.split("\n")
    if len(lines) > 3:
        lines[2] = ROOT32_B64
    return "\n".join(lines)


def test_unmarshal_vectors(formats_golden: dict[str, Any]) -> None:
    for vec in formats_golden["checkpoint"]["unmarshal"]:
        if vec.get("want_error"):
            text = vec["in"]
            for short in ("YmFuYW5hcw==", SHORT_VIEW):
                text = text.replace(short, ROOT32_B64)
            with pytest.raises(MalformedError, match=WHY[vec["desc"]]):
                Checkpoint.parse(text)
            continue
        with pytest.raises(MalformedError):  # the Go vectors' roots are not 32 bytes
            Checkpoint.parse(vec["in"])
        fixed = _with_32_byte_root(vec["in"])
        rest = vec["want_rest"]
        if rest.startswith("\n"):  # empty extension lines are not allowed
            with pytest.raises(MalformedError, match="extension"):
                Checkpoint.parse(fixed)
            continue
        cp = Checkpoint.parse(fixed)
        assert (cp.origin, cp.size, cp.root) == (vec["want"]["origin"], vec["want"]["size"], ROOT32)
        assert "".join(e + "\n" for e in cp.extensions) == rest


def test_extension_lines_round_trip(formats_golden: dict[str, Any]) -> None:
    ext = formats_golden["checkpoint"]["extended_checkpoint"]
    cp = Checkpoint.parse(_with_32_byte_root(ext["in"]))
    assert cp.extensions == tuple(ext["want"]["extension_lines"])
    assert Checkpoint.parse(cp.format()) == cp


@pytest.mark.parametrize(
    "bad",
    [
        "o\n01\n" + ROOT32_B64 + "\n",
        "o\n+1\n" + ROOT32_B64 + "\n",
        "o\n18446744073709551616\n" + ROOT32_B64 + "\n",
        "o\n1\n" + ROOT32_B64,
        " o\n1\n" + ROOT32_B64 + "\n",
        "o\n1\n" + ROOT32_B64[:-1] + "\n",
        "o\n1\n" + ROOT32_B64 + "\n\n",
        "o\n1\n" + ROOT32_B64 + "\next\x00\n",
    ],
)
def test_strict_rejections(bad: str) -> None:
    with pytest.raises(MalformedError):
        Checkpoint.parse(bad)


def test_max_size_accepted() -> None:
    cp = Checkpoint("o", 2**64 - 1, ROOT32)
    assert Checkpoint.parse(cp.format()) == cp


def test_log_ids(formats_golden: dict[str, Any]) -> None:
    from terbuka.tlog.checkpoint import log_id

    vectors = formats_golden["log_ids"]["vectors"]
    assert len(vectors) == 5
    for vec in vectors:
        assert log_id(vec["origin"]) == vec["id"]


def _signers(formats_golden: dict[str, Any]) -> dict[str, Signer]:
    keys = formats_golden["checkpoint_signature_policy"]["keys"]
    signers = {name: Signer.from_skey(k["skey"]) for name, k in keys.items()}
    for name, signer in signers.items():
        assert signer.vkey == keys[name]["vkey"], name
    return signers


def test_parse_checkpoint_signature_cases(formats_golden: dict[str, Any]) -> None:
    s = _signers(formats_golden)
    origin = "TestParseCheckpoint"
    body = formats_golden["checkpoint_signature_policy"]["checkpoint_body"]
    with pytest.raises(MalformedError, match="32 bytes"):  # 'abcdef' is not a 32-byte root
        Checkpoint.parse(body)
    text = _with_32_byte_root(body)
    log, known = s["Log"].verifier(), [s["Known"].verifier(), s["KnownAgain"].verifier()]
    ok_cases = [
        (["Log"], 1),
        (["Log", "Known"], 2),
        (["Log", "Known", "Unknown"], 2),
        (["Log", "Known", "KnownAgain"], 3),
        (["Known", "Log", "Known"], 2),
        (["KnownAgain", "Unknown", "Log"], 2),
    ]
    for names, verified in ok_cases:
        sigs = [parse_note(sign_note(text, [s[n]])).unverified[0] for n in names]
        msg = sign_note(text, [], keep=sigs)
        note, cp = open_checkpoint(msg, origin, log, known)
        assert len(note.signatures) == verified, names
        assert (cp.origin, cp.size) == (origin, 42)
    both = sign_note(text, [s["Known"], s["KnownAgain"]])
    with pytest.raises(SignatureError, match="not signed by the log"):
        open_checkpoint(both, origin, log, known)
    with pytest.raises(SignatureError, match="origin"):
        open_checkpoint(sign_note(text, [s["Log"]]), "Go rocks", log, known)
    hat = sign_note("if this is a valid checkpoint then I'll eat my hat\n", [s["Log"]])
    with pytest.raises(MalformedError):
        open_checkpoint(hat, origin, log, known)
    with pytest.raises(MalformedError):  # a note needs at least one signature line
        open_checkpoint(text.encode() + b"\n", origin, log, known)


def test_sumdb_checkpoint_with_witness_lines(formats_golden: dict[str, Any]) -> None:
    sec = formats_golden["sumdb_checkpoint"]
    extra = sec["extra_signature_lines"]
    witness_sig = extra["witness"].split(" ", 2)[2]
    lines = [
        *(extra[n] + "\n" for n in ("monkeys", "bananas", "witness")),
        f"— random1 {witness_sig}\n",
        f"— random2 {witness_sig}\n",
    ]
    msg = sec["note"] + "".join(lines)
    witnesses = [Verifier.from_vkey(v) for v in sec["extra_witness_vkeys"].values()]
    note, cp = open_checkpoint(msg, sec["origin"], Verifier.from_vkey(sec["vkey"]), witnesses)
    assert [x.name for x in note.signatures] == ["sum.golang.org", "monkeys", "bananas", "witness"]
    assert [x.name for x in note.unverified] == ["random1", "random2"]
    assert cp.size == 6476701
    with pytest.raises(SignatureError, match="origin"):
        open_checkpoint(
            msg, sec["expect_error_if_expected_origin"], Verifier.from_vkey(sec["vkey"])
        )


def test_go_sumdb_tree_note_is_a_checkpoint(sumdb_golden: dict[str, Any]) -> None:
    sec = sumdb_golden["tlog"]
    want = sec["format_tree"]
    cp = Checkpoint(want["origin"], want["N"], base64.b64decode(want["hash_base64"]))
    assert cp.format() == want["want"]
    assert Checkpoint.parse(want["want"]) == cp
    not_sumdb, hex_size, bad_hash = sec["parse_tree_bad"]
    assert Checkpoint.parse(not_sumdb).origin != "go.sum database tree"  # valid, other origin
    with pytest.raises(MalformedError, match="tree size"):
        Checkpoint.parse(hex_size)
    with pytest.raises(MalformedError, match="base64"):
        Checkpoint.parse(bad_hash)
    no_newline, junk_line = sec["parse_tree_good_with_trailing_junk"]
    with pytest.raises(MalformedError, match="newline"):  # Go ignores it; C2SP needs "\n"
        Checkpoint.parse(no_newline)
    assert Checkpoint.parse(junk_line).extensions == ("JOE",)
