"""Cast the demo members' signed votes on a proposal (consortium admissions, scope phases)."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from terbuka.governance.vote import vote_sign
from terbuka_web.governance.models import Decision, Proposal
from terbuka_web.governance.services import vote_cast


def vote_until_decided(
    proposal: Proposal, keys: dict[str, Ed25519PrivateKey], slugs: list[str]
) -> None:
    """Cast the signed yes votes of slugs, in order, until the proposal is decided."""
    for slug in slugs:
        if Decision.objects.filter(proposal=proposal).exists():
            return
        signed = vote_sign(keys[slug], proposal.hash, "yes").format().decode()
        vote_cast(proposal=proposal, signed=signed)
