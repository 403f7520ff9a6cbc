"""Test C2SP tlog-proof receipts: spec example, transparency-dev vectors, offline checks."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.errors import MalformedError, ProofError, SignatureError
from terbuka.tlog.note import Signer, parse_note, sign_note
from terbuka.tlog.policy import Policy
from terbuka.tlog.proof import Receipt, check_receipt

FAKE_SIG = base64.b64encode(bytes(68)).decode()


def _with_fake_signatures(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if "[...]" in line:
            line = line.split(" ")[0] + " " + line.split(" ")[1] + " " + FAKE_SIG + "\n"
        lines.append(line)
    return "".join(lines)


def test_spec_example(c2sp: Path) -> None:
    text = (c2sp / "tlog-proof-example-1.txt").read_text()
    with pytest.raises(MalformedError, match="base64"):
        Receipt.parse(text)  # signatures are elided with [...]
    fixed = _with_fake_signatures(text)
    receipt = Receipt.parse(fixed)
    assert receipt.extra is not None
    assert receipt.extra[:30] == b"age-v1.2.1-darwin-arm64.tar.gz"
    assert receipt.extra[30:] == bytes.fromhex("9185c9dda5b8b585c9")
    assert (receipt.index, len(receipt.proof)) == (73894, 5)
    note = parse_note(receipt.checkpoint_note)
    cp = Checkpoint.parse(note.text)
    assert (cp.origin, cp.size) == ("example.com/fancylog", 109482)
    assert len(note.unverified) == 4
    assert receipt.format() == fixed.encode()
    # Even signed by a log we trust, 5 hashes cannot prove index 73894 of 109482 (17 needed).
    log = Signer.generate("example.com/fancylog")
    ours = Receipt(receipt.extra, receipt.index, receipt.proof, sign_note(note.text, [log]))
    with pytest.raises(ProofError):
        check_receipt(
            ours, b"age-v1.2.1-darwin-arm64.tar.gz", Policy.parse(f"log {log.vkey}\nquorum none\n")
        )
    with pytest.raises(SignatureError):
        check_receipt(receipt, b"x", Policy.parse(f"log {log.vkey}\nquorum none\n"))


def test_transparency_dev_marshal_vectors(formats_golden: dict[str, Any]) -> None:
    log = Signer.generate("log.example")
    note = sign_note(Checkpoint("log.example", 1, bytes(32)).format(), [log])
    for vec in formats_golden["tlog_proof"]["marshal"]:
        hashes = tuple(base64.b64decode(h) for h in vec["hashes_b64"])
        extra = base64.b64decode(vec["extra_b64"]) if "extra_b64" in vec else None
        receipt = Receipt(extra, vec["index"], hashes, vec["checkpoint"].encode())
        assert receipt.format() == vec["want"].encode(), vec["desc"]
        with pytest.raises(MalformedError):  # "test checkpoint\n" is not a signed note
            Receipt.parse(vec["want"])
        real = Receipt(extra, vec["index"], hashes, note)
        assert Receipt.parse(real.format()) == real


def test_transparency_dev_unmarshal_errors(formats_golden: dict[str, Any]) -> None:
    expected = {
        "missing expected header": "first line",
        "extra data not base64 encoded": "base64",
        "missing required index": "index",
        "not a valid uint64": "index",
        "hash not base64 encoded": "base64",
        "hash length": "hash length",
    }
    for vec in formats_golden["tlog_proof"]["unmarshal_errors"]:
        with pytest.raises(MalformedError, match=expected[vec["upstream_error_substring"]]):
            Receipt.parse(vec["in"])


class _Setup:
    def __init__(self, new_tree: Callable[[], Any], entries: int) -> None:
        self.log = Signer.generate("log.terbuka.example/jabar")
        self.witness = CosignatureSigner.generate("saksi.example")
        self.tree = new_tree()
        self.entries = [f"kontrak {i}".encode() for i in range(entries)]
        for entry in self.entries:
            self.tree.append(entry)
        cp = Checkpoint(self.log.name, self.tree.size, self.tree.root())
        self.note = sign_note(cp.format(), [self.log, self.witness])
        self.policy = Policy.parse(
            f"log {self.log.vkey}\nwitness saksi {self.witness.vkey}\nquorum saksi\n"
        )

    def receipt(self, index: int, extra: bytes | None = None) -> Receipt:
        proof = tuple(self.tree.inclusion(self.tree.size, index))
        return Receipt(extra, index, proof, self.note)


def test_check_receipt_end_to_end(new_tree: Callable[[], Any]) -> None:
    s = _Setup(new_tree, 11)
    for index, entry in enumerate(s.entries):
        receipt = Receipt.parse(s.receipt(index, extra=b"\x00opaque").format())
        cp = check_receipt(receipt, entry, s.policy, origin=s.log.name)
        assert cp.size == 11
    with pytest.raises(ProofError):
        check_receipt(s.receipt(3), s.entries[4], s.policy)
    moved = s.receipt(3)
    with pytest.raises(ProofError):
        check_receipt(Receipt(None, 4, moved.proof, moved.checkpoint_note), s.entries[3], s.policy)
    with pytest.raises(SignatureError, match="origin"):
        check_receipt(s.receipt(0), s.entries[0], s.policy, origin="elsewhere")
    log_only = sign_note(parse_note(s.note).text, [s.log])
    with pytest.raises(SignatureError, match="quorum"):
        check_receipt(Receipt(None, 0, s.receipt(0).proof, log_only), s.entries[0], s.policy)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_receipt_parse_fuzz(data: bytes) -> None:
    try:
        Receipt.parse(b"c2sp.org/tlog-proof@v1\n" + data)
        Receipt.parse(data)
    except MalformedError:
        pass


@settings(max_examples=50, deadline=None)
@given(
    st.none() | st.binary(max_size=40),
    st.integers(0, 2**64 - 1),
    st.lists(st.binary(min_size=32, max_size=32), max_size=63),
)
def test_receipt_round_trip(extra: bytes | None, index: int, proof: list[bytes]) -> None:
    note = sign_note(Checkpoint("o", 1, bytes(32)).format(), [Signer(name="o", seed=bytes(32))])
    receipt = Receipt(extra, index, tuple(proof), note)
    assert Receipt.parse(receipt.format()) == receipt


def test_docstring_example_verifies() -> None:
    from terbuka.tlog import proof as module

    assert module.__doc__ is not None
    block = module.__doc__.split("checkpoint:\n\n", 1)[1].split("\n\nThis receipt", 1)[0]
    receipt = Receipt.parse("".join(line[4:] + "\n" for line in block.splitlines()))
    vkey = module.__doc__.split("log key\n`", 1)[1].split("`", 1)[0]
    policy = Policy.parse(f"log {vkey}\nquorum none\n")
    assert check_receipt(receipt, b"kontrak 1", policy).size == 3
    with pytest.raises(ProofError):
        check_receipt(receipt, b"kontrak 2", policy)
