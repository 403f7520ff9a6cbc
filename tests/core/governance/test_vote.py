"""Test the vote statement: golden bytes, signing, verification, replays, and parser fuzzing."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from terbuka.governance.errors import VoteRefused
from terbuka.governance.keys import key_id_of
from terbuka.governance.proposal import proposal_hash
from terbuka.governance.vote import SignedVote, VoteStatement, vote_sign, vote_verify, votes_check

PROPOSAL = {"type": "member_admit", "title": "Terima BPK", "id": "p1"}
HASH = "5bc119c97677535b3ec1f8144c8b091f9df67b250b7c689b3e2120191efb7b4c"
GOLDEN = (
    b"terbuka/governance-vote/v1\n"
    b"proposal 5bc119c97677535b3ec1f8144c8b091f9df67b250b7c689b3e2120191efb7b4c\n"
    b"choice yes\n"
    b"member 21fe31dfa154a261\n"
    b"signature FdVAeDe2eZTaCdg7pSWE8W9H5gozy0W8N2NCCQ96wvLxmVabS+aRety1htjIvQ6WEeaP6tIw/3Ko6pRS"
    b"LEDnAA==\n"
)


def test_proposal_hash_is_sha256_of_rfc8785_bytes() -> None:
    assert proposal_hash(PROPOSAL) == HASH
    assert proposal_hash({"id": "p1", "title": "Terima BPK", "type": "member_admit"}) == HASH


def test_golden_vote_formats_and_parses(rfc_key: Ed25519PrivateKey) -> None:
    vote = vote_sign(rfc_key, HASH, "yes")
    assert vote.format() == GOLDEN
    assert SignedVote.parse(GOLDEN) == vote
    vote_verify(vote, proposal_hash=HASH, public_key=rfc_key.public_key().public_bytes_raw())


def test_vote_for_another_proposal_is_a_replay(rfc_key: Ed25519PrivateKey) -> None:
    other = proposal_hash({**PROPOSAL, "id": "p2"})
    with pytest.raises(VoteRefused, match="another proposal") as info:
        vote_verify(
            SignedVote.parse(GOLDEN),
            proposal_hash=other,
            public_key=rfc_key.public_key().public_bytes_raw(),
        )
    assert "usulan lain" in info.value.message_id


def test_changed_choice_breaks_the_signature(rfc_key: Ed25519PrivateKey) -> None:
    forged = SignedVote.parse(GOLDEN.replace(b"choice yes", b"choice no"))
    with pytest.raises(VoteRefused, match="signature is invalid"):
        vote_verify(forged, proposal_hash=HASH, public_key=rfc_key.public_key().public_bytes_raw())


def test_vote_signed_by_another_key_is_refused(rfc_key: Ed25519PrivateKey) -> None:
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    with pytest.raises(VoteRefused, match="not the member's key"):
        vote_verify(SignedVote.parse(GOLDEN), proposal_hash=HASH, public_key=other)


def test_same_vote_twice_is_refused(rfc_key: Ed25519PrivateKey) -> None:
    raw = rfc_key.public_key().public_bytes_raw()
    vote = SignedVote.parse(GOLDEN)
    keys = {key_id_of(raw): raw}
    assert votes_check([vote], proposal_hash=HASH, public_keys=keys) == {key_id_of(raw): "yes"}
    with pytest.raises(VoteRefused, match="already voted"):
        votes_check([vote, vote], proposal_hash=HASH, public_keys=keys)
    with pytest.raises(VoteRefused, match="not a member"):
        votes_check([vote], proposal_hash=HASH, public_keys={})


@pytest.mark.parametrize(
    "bad",
    [
        b"",
        GOLDEN.rstrip(b"\n"),
        GOLDEN.replace(b"v1", b"v2"),
        GOLDEN.replace(b"choice yes", b"choice maybe"),
        GOLDEN.replace(b"proposal 5b", b"proposal 5B"),
        GOLDEN.replace(b"member 21fe31dfa154a261", b"member 21fe"),
        GOLDEN.replace(b"signature Fd", b"signature !!"),
        GOLDEN.replace(b"choice yes\n", b""),
        GOLDEN.replace(b"choice yes\n", b"choice yes\nchoice no\n"),
        b"\xff" + GOLDEN,
        GOLDEN * 3,
    ],
)
def test_malformed_votes_are_refused(bad: bytes) -> None:
    with pytest.raises(VoteRefused):
        SignedVote.parse(bad)


@given(st.binary(max_size=600))
def test_parse_never_crashes_on_bytes(data: bytes) -> None:
    try:
        vote = SignedVote.parse(data)
    except VoteRefused:
        return
    assert vote.format() == data


@given(
    st.sampled_from(["yes", "no", "abstain"]),
    st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)
def test_statement_round_trips(choice: str, digest: str) -> None:
    statement = VoteStatement(digest, choice, "0123456789abcdef")
    assert VoteStatement.parse(statement.format()) == statement
