"""Test C2SP signed notes against the Go sumdb and C2SP golden vectors."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from terbuka.tlog.errors import MalformedError, NoVerifiableSignatureError, SignatureError
from terbuka.tlog.note import (
    MAX_SIGNATURES,
    Note,
    Signer,
    Verifier,
    generate_key,
    open_note,
    parse_note,
    sign_note,
)

PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"


def test_sign_peter_reproduces_go_note_byte_for_byte(sumdb_golden: dict[str, Any]) -> None:
    note = sumdb_golden["note"]
    signer = Signer.from_skey(note["keys"]["PeterNeumann"]["skey"])
    want = note["text"] + "\n" + note["signature_lines"]["PeterNeumann"]
    assert sign_note(note["text"], [signer]) == want.encode()
    assert signer.vkey == note["keys"]["PeterNeumann"]["vkey"]
    assert signer.key_id == 0xC74F20A3


def test_sign_with_two_signers_and_derived_enoch_key(sumdb_golden: dict[str, Any]) -> None:
    note = sumdb_golden["note"]
    enoch = Signer.from_skey(note["keys"]["EnochRoot"]["skey_derived"])
    assert enoch.vkey == note["keys"]["EnochRoot"]["vkey"]
    peter = Signer.from_skey(note["keys"]["PeterNeumann"]["skey"])
    lines = note["signature_lines"]
    want = note["text"] + "\n" + lines["PeterNeumann"] + lines["EnochRoot"]
    assert sign_note(note["text"], [peter, enoch]) == want.encode()


def _open_vectors(golden: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in golden["note"]["vectors"] if v["op"] == "open"]


def test_go_open_vectors(sumdb_golden: dict[str, Any]) -> None:
    vectors = _open_vectors(sumdb_golden)
    assert len(vectors) == 14
    for vec in vectors:
        verifiers = [Verifier.from_vkey(k) for k in vec["vkeys"]]
        if vec["want_ok"]:
            got = open_note(vec["msg"].encode(), verifiers)
            names = [f"{s.name}+{s.key_id:08x}" for s in got.signatures]
            assert names == vec.get("want_verified", names), vec["id"]
            unverified = [f"{s.name}+{s.key_id:08x}" for s in got.unverified]
            assert unverified == vec.get("want_unverified", []), vec["id"]
            if "want_text" in vec:
                assert got.text == vec["want_text"]
            continue
        expected: type[Exception] = {
            "malformed note": MalformedError,
            "note has no verifiable signatures": NoVerifiableSignatureError,
        }.get(vec["want_error"], SignatureError)
        with pytest.raises(expected) as info:
            open_note(vec["msg"].encode(), verifiers)
        if expected is SignatureError:
            assert vec["want_error"] in info.value.message_en, vec["id"]


def test_invalid_utf8_is_malformed(sumdb_golden: dict[str, Any]) -> None:
    msg = sumdb_golden["note"]["vectors"][1]["msg"].encode()
    with pytest.raises(MalformedError, match="UTF-8"):
        open_note(b"\xff" + msg, [Verifier.from_vkey(PETER_VKEY)])


def test_bad_vkeys_rejected(sumdb_golden: dict[str, Any]) -> None:
    for bad in sumdb_golden["note"]["bad_vkeys"]:
        if "vkey" in bad:
            with pytest.raises(MalformedError):
                Verifier.from_vkey(bad["vkey"])


@pytest.mark.parametrize(
    ("key", "parse"), [(PETER_VKEY, Verifier.from_vkey), (PETER_SKEY, Signer.from_skey)]
)
def test_every_substring_and_increment_of_key_rejected(key: str, parse: Any) -> None:
    parse(key)
    for i in range(len(key)):
        for j in range(i, len(key) + 1):
            if (i, j) != (0, len(key)):
                with pytest.raises(MalformedError):
                    parse(key[i:j])
    for i in range(len(key)):
        mutated = key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :]
        with pytest.raises(MalformedError):
            parse(mutated)


def test_signed_note_example_2_verifies_and_rejects_tampering(c2sp: Path) -> None:
    vkey = (c2sp / "signed-note-example-2-vkey.txt").read_text().rstrip("\n")
    msg = (c2sp / "signed-note-example-2-note.txt").read_bytes()
    verifier = Verifier.from_vkey(vkey)
    assert verifier.key_id == 0x530D903A
    note = open_note(msg, [verifier])
    assert note.text == "This is an example message.\n"
    assert [s.name for s in note.signatures] == ["example.com/foo"]
    with pytest.raises(SignatureError, match="invalid signature"):
        open_note(msg.replace(b"message.", b"message!"), [verifier])
    with pytest.raises(NoVerifiableSignatureError):
        open_note(msg, [Verifier.from_vkey(PETER_VKEY)])


def test_signed_note_example_1_has_inner_blank_line_and_unknown_signature(c2sp: Path) -> None:
    msg = (c2sp / "signed-note-example-1.txt").read_bytes()
    parsed = parse_note(msg)
    assert parsed.text.count("\n") == 4
    assert parsed.text.endswith("ed è subito sera.\n")
    assert "\n\n" in parsed.text
    [sig] = parsed.unverified
    assert (sig.name, sig.key_id, len(sig.signature)) == (
        "quasimodo.example/salvatore",
        0x367BA04B,
        64,
    )
    vkey = (c2sp / "signed-note-example-2-vkey.txt").read_text().rstrip("\n")
    with pytest.raises(NoVerifiableSignatureError) as info:
        open_note(msg, [Verifier.from_vkey(vkey)])
    assert isinstance(info.value.note, Note)
    assert [s.name for s in info.value.note.unverified] == ["quasimodo.example/salvatore"]


def test_generate_sign_open_round_trip() -> None:
    skey, vkey = generate_key("log.terbuka.example/jabar")
    signer = Signer.from_skey(skey)
    assert signer.vkey == vkey and signer.skey == skey
    msg = sign_note("hello\nworld\n", [signer])
    note = open_note(msg, [Verifier.from_vkey(vkey)])
    assert note.text == "hello\nworld\n"
    other = Verifier.from_vkey(generate_key("log.terbuka.example/jabar")[1])
    with pytest.raises(NoVerifiableSignatureError):
        open_note(msg, [other])


def test_sign_keeps_existing_signatures_first() -> None:
    log = Signer.from_skey(generate_key("log")[0])
    wit = Signer.from_skey(generate_key("wit")[0])
    first = parse_note(sign_note("a\n", [log]))
    both = sign_note("a\n", [wit], keep=first.unverified)
    note = open_note(both, [log.verifier(), wit.verifier()])
    assert [s.name for s in note.signatures] == ["log", "wit"]


@pytest.mark.parametrize("text", ["no newline", "bad\x01control\n", "tab\there\n"])
def test_sign_rejects_invalid_text(text: str) -> None:
    with pytest.raises(MalformedError):
        sign_note(text, [Signer.from_skey(PETER_SKEY)])


def test_too_many_signatures_rejected_on_sign() -> None:
    signers = [Signer.from_skey(generate_key(f"k{i}")[0]) for i in range(MAX_SIGNATURES + 1)]
    with pytest.raises(MalformedError):
        sign_note("x\n", signers)
    assert parse_note(sign_note("x\n", signers[:MAX_SIGNATURES])).unverified


def test_ambiguous_verifiers_rejected_only_when_used() -> None:
    signer = Signer.from_skey(PETER_SKEY)
    msg = sign_note("x\n", [signer])
    with pytest.raises(SignatureError, match="ambiguous"):
        open_note(msg, [signer.verifier(), signer.verifier()])


def test_invalid_key_names_rejected() -> None:
    for name in ["", "a b", "a+b", "a\tb", "a\u2003b"]:
        with pytest.raises(MalformedError):
            generate_key(name)


def test_example_2_with_renamed_or_reid_vkey_verifies_nothing(c2sp: Path) -> None:
    vkey = (c2sp / "signed-note-example-2-vkey.txt").read_text().rstrip("\n")
    msg = (c2sp / "signed-note-example-2-note.txt").read_bytes()
    real = Verifier.from_vkey(vkey)
    renamed = Verifier("example.com/bar", real.public_key)  # valid vkey, recomputed key ID
    with pytest.raises(NoVerifiableSignatureError):
        open_note(msg, [renamed])
    with pytest.raises(MalformedError, match="key ID"):  # name changed, ID kept: rejected
        Verifier.from_vkey(vkey.replace("example.com/foo", "example.com/bar"))
    with pytest.raises(MalformedError, match="key ID"):
        Verifier.from_vkey(vkey.replace("530d903a", "530d903b"))


def test_sumdb_test_key_pair(sumdb_golden: dict[str, Any]) -> None:
    pair = sumdb_golden["sumdb_test_key"]
    signer = Signer.from_skey(pair["skey"])
    assert signer.vkey == pair["vkey"] and signer.key_id == 0x00000C67
    assert Verifier.from_vkey(pair["vkey"]) == signer.verifier()


def test_other_key_types_are_rejected_clearly(formats_golden: dict[str, Any]) -> None:
    vkeys = [v["vkey"] for v in formats_golden["ecdsa_notes"]["vectors"][:2]]
    vkeys += [v["want_vkey"] for v in formats_golden["rfc6962_sth_notes"]["verifier_strings"][:2]]
    for vkey in vkeys:
        with pytest.raises(MalformedError, match="not supported"):
            Verifier.from_vkey(vkey)


def test_del_and_non_ascii_are_allowed_but_controls_are_not() -> None:
    signer = Signer.from_skey(PETER_SKEY)
    msg = sign_note("del \x7f and è\n", [signer])
    assert open_note(msg, [signer.verifier()]).text == "del \x7f and è\n"
    for control in ["\x00", "\r", "\x1b", "\x1f"]:
        with pytest.raises(MalformedError, match="control"):
            parse_note(msg.replace(b"del", control.encode()))


def test_verifier_list_lookups_through_open(sumdb_golden: dict[str, Any]) -> None:
    sec = sumdb_golden["note"]
    [peter_ok, peter_bad_id, bad_name, ambiguous] = sec["verifier_list_lookups"]
    verifiers = [Verifier.from_vkey(k) for k in peter_ok["keys"]]
    peter = Signer.from_skey(sec["keys"]["PeterNeumann"]["skey"])
    enoch = Signer.from_skey(sec["keys"]["EnochRoot"]["skey_derived"])
    assert open_note(sign_note("x\n", [peter]), verifiers).signatures[0].name == "PeterNeumann"
    for lookup in (peter_bad_id, bad_name):
        name, hex_id = lookup["lookup"]
        line = f"— {name} " + base64.b64encode(bytes.fromhex(hex_id) + bytes(64)).decode()
        with pytest.raises(NoVerifiableSignatureError):
            open_note(f"x\n\n{line}\n", verifiers)
    with pytest.raises(SignatureError, match=re.escape(ambiguous["want_error"])):
        open_note(sign_note("x\n", [enoch]), verifiers)
