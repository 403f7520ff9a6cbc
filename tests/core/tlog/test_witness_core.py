"""Test the tlog-witness add-checkpoint formats and WitnessCore's decisions."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.cosignature import CosignatureSigner, signature_timestamp
from terbuka.tlog.errors import MalformedError
from terbuka.tlog.note import Signer, open_note, parse_note, sign_note
from terbuka.tlog.witness import (
    SIZE_CONTENT_TYPE,
    AddCheckpointRequest,
    WitnessCore,
    format_cosignatures,
    format_size_body,
    parse_cosignatures,
    parse_size_body,
)

ORIGIN = "example.com/behind-the-sofa"
NOW = 1_764_300_000


def test_example_request_parses_and_round_trips(c2sp: Path) -> None:
    data = (c2sp / "tlog-witness-example-1-add-checkpoint-request.txt").read_bytes()
    req = AddCheckpointRequest.parse(data)
    assert req.old_size == 20852014
    assert len(req.proof) == 4 and all(len(h) == 32 for h in req.proof)
    note = parse_note(req.checkpoint_note)
    assert Checkpoint.parse(note.text).size == 20852163
    assert [(s.name, f"{s.key_id:08x}") for s in note.unverified] == [
        (ORIGIN, "033de0ae"),
        (ORIGIN, "a292ea05"),
    ]
    assert req.format() == data


def test_example_request_unknown_origin_is_404_and_short_proof_is_422(c2sp: Path) -> None:
    data = (c2sp / "tlog-witness-example-1-add-checkpoint-request.txt").read_bytes()
    witness = CosignatureSigner.generate("witness.example/w1")
    assert WitnessCore({}, witness).add_checkpoint(data, 20852014, bytes(32), now=NOW).status == 404
    # Re-sign the same checkpoint with a log key we trust: 4 hashes cannot prove 18 levels.
    log = Signer.generate(ORIGIN)
    req = AddCheckpointRequest.parse(data)
    text = parse_note(req.checkpoint_note).text
    ours = AddCheckpointRequest(req.old_size, req.proof, sign_note(text, [log]))
    core = WitnessCore({ORIGIN: [log.verifier()]}, witness)
    decision = core.add_checkpoint(ours, 20852014, bytes(32), now=NOW)
    assert (decision.status, decision.new_size) == (422, None)
    # The spec's own bytes, with only an untrusted key for the origin: not signed by it → 403.
    assert core.add_checkpoint(data, 20852014, bytes(32), now=NOW).status == 403


def test_example_response_lines(c2sp: Path) -> None:
    body = (c2sp / "tlog-witness-example-2-add-checkpoint-response.txt").read_bytes()
    lines = body.decode().splitlines(keepends=True)
    assert len(lines) == 3 and all(x.startswith("— ") and x.endswith("\n") for x in lines)
    with pytest.raises(MalformedError, match="2\\^63"):  # filler timestamps exceed 2^63-1
        parse_cosignatures(body)
    for line in lines[:2]:
        with pytest.raises(MalformedError):
            parse_cosignatures(line)
    [third] = parse_cosignatures(lines[2])
    assert (third.name, f"{third.key_id:08x}") == ("witness.example/w2", "016ba2f1")
    assert signature_timestamp(third.signature) == 2970657736413210787
    assert format_cosignatures([third]) == lines[2].encode()


def test_sign_subtree_examples_are_rejected(c2sp: Path) -> None:
    request = (c2sp / "tlog-witness-example-3-sign-subtree-request.txt").read_bytes()
    with pytest.raises(MalformedError):
        AddCheckpointRequest.parse(request)
    with pytest.raises(MalformedError, match="base64"):
        parse_note(request.split(b"\n\n", 1)[1])
    response = (c2sp / "tlog-witness-example-4-sign-subtree-response.txt").read_bytes()
    with pytest.raises(MalformedError, match="base64"):
        parse_cosignatures(response)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"old 01\n\nx\n\n\xe2\x80\x94 k AAAAAAA=\n",
        b"old -1\n\n",
        b"new 1\n\n",
        b"old 1\nAAAA\n\nx\n\n\xe2\x80\x94 k AAAAAAA=\n",
        b"old 1\nnot base64\n\nx\n\n\xe2\x80\x94 k AAAAAAA=\n",
        b"old 1\n" + b"A" * 43 + b"=\n" * 64 + b"\nx\n\n\xe2\x80\x94 k AAAAAAA=\n",
        b"old 1\n\nno signatures\n",
    ],
)
def test_malformed_requests(body: bytes) -> None:
    with pytest.raises(MalformedError):
        AddCheckpointRequest.parse(body)
    core = WitnessCore({}, CosignatureSigner.generate("w"))
    assert core.add_checkpoint(body, 0, None, now=NOW).status == 400


def test_size_body_pair() -> None:
    assert format_size_body(20852014) == b"20852014\n"
    assert parse_size_body(b"20852014\n") == 20852014
    for bad in [b"", b"12", b"012\n", b"-1\n", b"1 \n"]:
        with pytest.raises(MalformedError):
            parse_size_body(bad)


class _Log:
    def __init__(
        self, new_tree: Callable[[], Any], origin: str = "log.terbuka.example/jabar"
    ) -> None:
        self.origin = origin
        self.signer = Signer.generate(origin)
        self.tree = new_tree()

    def grow(self, n: int) -> None:
        for i in range(n):
            self.tree.append(f"entry {self.tree.size + i}".encode())

    def note(self, size: int | None = None, root: bytes | None = None) -> bytes:
        size = self.tree.size if size is None else size
        cp = Checkpoint(self.origin, size, self.tree.root(size) if root is None else root)
        return sign_note(cp.format(), [self.signer])

    def request(
        self, old: int, proof: list[bytes] | None = None, **kw: object
    ) -> AddCheckpointRequest:
        if proof is None:
            proof = self.tree.consistency(self.tree.size, old) if old else []
        return AddCheckpointRequest(old, tuple(proof), self.note(**kw))  # type: ignore[arg-type]


def test_witness_cosigns_a_growing_log_and_refuses_everything_else(
    new_tree: Callable[[], Any],
) -> None:
    log = _Log(new_tree)
    witness = CosignatureSigner.generate("witness.terbuka.example")
    core = WitnessCore({log.origin: [log.signer.verifier()]}, witness)
    log.grow(5)
    first = core.add_checkpoint(log.request(0), 0, None, now=NOW)
    assert (first.status, first.new_size, first.new_root) == (200, 5, log.tree.root())
    cosigned = open_note(log.note() + first.body, [log.signer.verifier(), witness.verifier()])
    assert [s.name for s in cosigned.signatures] == [log.origin, witness.name]
    assert signature_timestamp(parse_cosignatures(first.body)[0].signature) == NOW
    state = (5, log.tree.root())
    log.grow(8)
    grown = core.add_checkpoint(log.request(5).format(), *state, now=NOW + 1)
    assert (grown.status, grown.new_size) == (200, 13)
    # Wrong old size: 409 with the witness's size.
    stale = core.add_checkpoint(log.request(3), *state, now=NOW)
    assert (stale.status, stale.body, stale.content_type) == (409, b"5\n", SIZE_CONTENT_TYPE)
    assert stale.new_size is None
    # Bad proof: 422.
    proof = log.tree.consistency(13, 5)
    proof[0] = bytes(32)
    assert core.add_checkpoint(log.request(5, proof), *state, now=NOW).status == 422
    # Old size 0 needs an empty proof.
    assert core.add_checkpoint(log.request(0, [bytes(32)]), 0, None, now=NOW).status == 422
    # A fork at the same size: 409, never cosigned.
    fork = log.request(5, [], size=5, root=bytes(32))
    forked = core.add_checkpoint(fork, *state, now=NOW)
    assert (forked.status, forked.body, forked.content_type) == (409, b"5\n", SIZE_CONTENT_TYPE)
    assert forked.new_size is None
    # A size-0 checkpoint must carry the empty tree's root.
    assert core.add_checkpoint(log.request(0, [], size=0), 0, None, now=NOW).status == 200
    bogus = log.request(0, [], size=0, root=bytes(32))
    assert core.add_checkpoint(bogus, 0, None, now=NOW).status == 422
    same = core.add_checkpoint(log.request(5, [], size=5), *state, now=NOW)
    assert (same.status, same.new_size) == (200, 5)
    # A smaller tree (old size above the checkpoint size): 400.
    smaller = AddCheckpointRequest(5, (), log.note(size=4))
    assert core.add_checkpoint(smaller, *state, now=NOW).status == 400


def test_witness_signature_checks(new_tree: Callable[[], Any]) -> None:
    log = _Log(new_tree)
    log.grow(3)
    witness = CosignatureSigner.generate("w")
    core = WitnessCore({log.origin: [log.signer.verifier()]}, witness)
    tampered = log.note().replace(b"\n3\n", b"\n4\n")
    decision = core.add_checkpoint(AddCheckpointRequest(0, (), tampered), 0, None, now=NOW)
    assert decision.status == 403 and b"invalid signature" in decision.body
    stranger = Signer.generate(log.origin)
    text = parse_note(log.note()).text
    unsigned = AddCheckpointRequest(0, (), sign_note(text, [stranger]))
    assert core.add_checkpoint(unsigned, 0, None, now=NOW).status == 403
    other = _Log(new_tree, "other.example")
    other.grow(1)
    assert core.add_checkpoint(other.request(0), 0, None, now=NOW).status == 404


def test_add_checkpoint_urls(formats_golden: dict[str, Any]) -> None:
    from terbuka.tlog.witness import add_checkpoint_url

    for vec in formats_golden["witness"]["group_endpoint_urls"]:
        assert add_checkpoint_url(vec["url_prefix"]) == vec["want"]


def test_example_response_lines_decode_to_76_bytes(c2sp: Path) -> None:
    body = (c2sp / "tlog-witness-example-2-add-checkpoint-response.txt").read_text()
    sigs = parse_note("x\n\n" + body).unverified  # line syntax only
    assert [(s.name, f"{s.key_id:08x}", len(s.signature) + 4) for s in sigs] == [
        ("witness.example/w1", "08ca7ee8", 76),
        ("witness.example/w1", "23bac4a6", 76),
        ("witness.example/w2", "016ba2f1", 76),
    ]
    assert [int.from_bytes(s.signature[:8], "big") for s in sigs[:2]] == [
        13078826355777102329,
        14783554705529914550,
    ]


_CORE = WitnessCore({"o": [Signer.generate("o").verifier()]}, CosignatureSigner.generate("w"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_witness_parsers_fuzz(data: bytes) -> None:
    for parse in (AddCheckpointRequest.parse, parse_cosignatures, parse_size_body):
        with contextlib.suppress(MalformedError):
            parse(data)
        with contextlib.suppress(MalformedError):
            parse(b"old 0\n\n" + data)
    for last in ((0, None), (3, bytes(32))):
        decision = _CORE.add_checkpoint(b"old 3\n\n" + data, *last, now=NOW)
        assert decision.status in (400, 403, 404) and decision.new_size is None


@settings(max_examples=50, deadline=None)
@given(
    st.integers(0, 2**64 - 1),
    st.lists(st.binary(min_size=32, max_size=32), max_size=63),
    st.integers(0, 2**63 - 1),
)
def test_witness_formats_round_trip(old: int, proof: list[bytes], when: int) -> None:
    log = Signer("o", bytes(32))
    note = sign_note(Checkpoint("o", old, bytes(32)).format(), [log])
    req = AddCheckpointRequest(old, tuple(proof), note)
    assert AddCheckpointRequest.parse(req.format()) == req
    sig = CosignatureSigner("w", bytes(32)).cosign("o\n", when)
    assert parse_cosignatures(format_cosignatures([sig, sig])) == (sig, sig)
    assert parse_size_body(format_size_body(old)) == old
