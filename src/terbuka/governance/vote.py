"""Format, parse, sign and verify a member's vote on a proposal.

A vote statement is four lines of ASCII, each ending in a newline; a signed vote adds a
fifth, the Ed25519 signature (base64) of the statement's exact bytes (RFC 8032 §7.1 test 1
key; the whole golden vote is in tests/core/governance/test_vote.py):

    terbuka/governance-vote/v1
    proposal 5bc119c97677535b3ec1f8144c8b091f9df67b250b7c689b3e2120191efb7b4c
    choice yes
    member 21fe31dfa154a261
    signature FdVAeDe2eZTaCdg7pSWE8W9H5gozy0W8N2NCCQ96wvLxmVab…

choice is yes, no or abstain; member is the key id of the signing key (terbuka.governance.keys).
A replay (the same vote counted twice, or a vote made for another proposal) is refused by
votes_check, never by the format.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from terbuka.governance.errors import VoteRefused
from terbuka.governance.keys import base64_strict, key_id_of, signature_valid
from terbuka.governance.proposal import HASH_HEX

HEADER = "terbuka/governance-vote/v1"
CHOICES = ("yes", "no", "abstain")
KEY_ID = re.compile(r"[0-9a-f]{16}")
SIGNATURE_SIZE = 64
MAX_SIGNED_VOTE = 512


def _refuse(message_id: str, message_en: str, where: str = "vote") -> VoteRefused:
    return VoteRefused(message_id, message_en, where=where)


@dataclass(frozen=True)
class VoteStatement:
    """Hold what a member signs: the proposal hash, the choice and the member's key id."""

    proposal_hash: str
    choice: str
    member: str

    def format(self) -> bytes:
        """Return the statement's bytes, the exact message signed."""
        return (
            f"{HEADER}\nproposal {self.proposal_hash}\nchoice {self.choice}\nmember {self.member}\n"
        ).encode("ascii")

    @classmethod
    def parse(cls, data: bytes) -> VoteStatement:
        """Parse statement bytes; raise VoteRefused naming the line that is wrong."""
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError:
            raise _refuse("suara bukan teks ASCII", "the vote is not ASCII text") from None
        lines = text.split("\n")
        if len(lines) != 5 or lines[4] != "" or lines[0] != HEADER:
            raise _refuse(
                f"suara harus 4 baris diawali {HEADER} dan diakhiri baris baru",
                f"a vote must be 4 lines starting with {HEADER}, each ending in a newline",
            )
        proposal = _field(lines[1], "proposal", HASH_HEX)
        choice = _field(lines[2], "choice", re.compile("|".join(CHOICES)))
        member = _field(lines[3], "member", KEY_ID)
        return cls(proposal, choice, member)


def _field(line: str, name: str, pattern: re.Pattern[str]) -> str:
    """Return the value of `name value` when it matches pattern, else raise VoteRefused."""
    prefix = name + " "
    if not line.startswith(prefix) or not pattern.fullmatch(line[len(prefix) :]):
        raise _refuse(
            f"baris {name!r} tidak sah: {line[:80]!r}",
            f"invalid {name!r} line: {line[:80]!r}",
            where=f"vote.{name}",
        )
    return line[len(prefix) :]


@dataclass(frozen=True)
class SignedVote:
    """Hold a vote statement and its Ed25519 signature."""

    statement: VoteStatement
    signature: bytes

    def format(self) -> bytes:
        """Return the signed vote: the statement then `signature <base64>\\n`."""
        sig = base64.b64encode(self.signature).decode("ascii")
        return self.statement.format() + f"signature {sig}\n".encode("ascii")

    @classmethod
    def parse(cls, data: bytes) -> SignedVote:
        """Parse a signed vote; raise VoteRefused for any malformed part (nothing verified)."""
        if len(data) > MAX_SIGNED_VOTE:
            raise _refuse("suara terlalu panjang", "the vote is too long")
        head, sep, last = data.rstrip(b"\n").rpartition(b"\n")
        if not sep or not last.startswith(b"signature ") or not data.endswith(b"\n"):
            raise _refuse(
                "suara bertanda tangan harus diakhiri baris signature <base64>",
                "a signed vote must end with a line signature <base64>",
                where="vote.signature",
            )
        statement = VoteStatement.parse(head + b"\n")
        signature = base64_strict(last[len(b"signature ") :])
        if len(signature) != SIGNATURE_SIZE:
            raise _refuse(
                "tanda tangan harus base64 dari 64 bita",
                "the signature must be base64 of 64 bytes",
                where="vote.signature",
            )
        return cls(statement, signature)


def vote_sign(key: Ed25519PrivateKey, proposal_hash: str, choice: str) -> SignedVote:
    """Return the vote of key's holder on proposal_hash, signed (choice: yes, no, abstain)."""
    member = key_id_of(key.public_key().public_bytes_raw())
    statement = VoteStatement.parse(VoteStatement(proposal_hash, choice, member).format())
    return SignedVote(statement, key.sign(statement.format()))


def vote_verify(vote: SignedVote, *, proposal_hash: str, public_key: bytes) -> None:
    """Check vote is public_key's valid signature of a vote on proposal_hash.

    Raises VoteRefused when the vote names another proposal (a replay), another key, or
    when the signature does not verify.
    """
    if vote.statement.proposal_hash != proposal_hash:
        raise _refuse(
            f"suara ini untuk usulan lain ({vote.statement.proposal_hash[:12]}…), bukan "
            f"{proposal_hash[:12]}…: suara ulang ditolak",
            f"this vote is for another proposal ({vote.statement.proposal_hash[:12]}…), not "
            f"{proposal_hash[:12]}…: a replayed vote is refused",
            where="vote.proposal",
        )
    if vote.statement.member != key_id_of(public_key):
        raise _refuse(
            f"suara ditandatangani atas nama kunci {vote.statement.member}, bukan kunci anggota",
            f"the vote names key {vote.statement.member}, not the member's key",
            where="vote.member",
        )
    if not signature_valid(public_key, vote.signature, vote.statement.format()):
        raise _refuse(
            "tanda tangan suara tidak sah", "the vote's signature is invalid", "vote.signature"
        )


def votes_check(
    votes: Iterable[SignedVote], *, proposal_hash: str, public_keys: dict[str, bytes]
) -> dict[str, str]:
    """Verify every vote on proposal_hash and return {key id: choice}.

    public_keys maps key id to raw public key of each member entitled to vote. Raises
    VoteRefused for an unknown member, a bad signature, a vote for another proposal or a
    second vote by the same member (a replay).
    """
    choices: dict[str, str] = {}
    for vote in votes:
        member = vote.statement.member
        if member not in public_keys:
            raise _refuse(
                f"kunci {member} bukan anggota yang berhak memberi suara",
                f"key {member} is not a member entitled to vote",
                where="vote.member",
            )
        vote_verify(vote, proposal_hash=proposal_hash, public_key=public_keys[member])
        if member in choices:
            raise _refuse(
                f"anggota {member} sudah memberi suara; suara ulang ditolak",
                f"member {member} has already voted; a replayed vote is refused",
                where="vote.member",
            )
        choices[member] = vote.statement.choice
    return choices
