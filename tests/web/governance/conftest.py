"""Fixtures of the governance tests: a founded consortium whose members' keys the test holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from terbuka.governance.keys import public_key_format
from terbuka.governance.vote import vote_sign
from terbuka_web.governance.models import Member, Proposal
from terbuka_web.governance.services import MemberSpec, consortium_found, proposal_create

CLASSES = ["pemerintah", "pemerintah", "auditor", "warga", "warga", "teknologi", "hukum"]


@dataclass
class Seat:
    """One member and the private key only its holder has (here: the test)."""

    member: Member
    key: Ed25519PrivateKey

    def vote(self, proposal: Proposal, choice: str = "yes") -> str:
        return vote_sign(self.key, proposal.hash, choice).format().decode("ascii")


def spec_new(name: str, kind: str) -> tuple[MemberSpec, Ed25519PrivateKey]:
    key = Ed25519PrivateKey.generate()
    public = public_key_format(key.public_key().public_bytes_raw())
    return MemberSpec(name, kind, public), key


@pytest.fixture
def seats(db: None) -> list[Seat]:
    """Found a consortium of seven members over the five classes; return their seats."""
    specs = [spec_new(f"Anggota {n} ({kind})", kind) for n, kind in enumerate(CLASSES)]
    members = consortium_found(actor=None, members=[s for s, _ in specs])
    return [Seat(m, k) for m, (_, k) in zip(members, specs, strict=True)]


def propose(**fields: object) -> Proposal:
    """Create a proposal with sensible defaults (charter_amend, deadline in a week)."""
    values: dict[str, object] = {
        "actor": None,
        "type": "charter_amend",
        "title": "Ubah pasal 3 piagam",
        "body": "Pasal 3 diubah.",
        "payload": {"text": "Pasal 3: rapat terbuka untuk umum."},
        "deadline": timezone.now() + dt.timedelta(days=7),
    }
    values.update(fields)
    return proposal_create(**values)  # type: ignore[arg-type]
