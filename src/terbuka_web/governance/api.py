"""JSON API of the governance app at /api/governance/: decisions, proposals, signed votes.

A vote needs no account: its Ed25519 signature by a member's key is its authentication
(terbuka.governance.vote), so the browser's WebCrypto page and `terbuka governance sign`
post the same signed text. Errors have the API's one shape (terbuka_web.api.errors).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from terbuka_web.api.errors import ERRORS
from terbuka_web.governance.models import Decision, Proposal
from terbuka_web.governance.selectors import decision_log_index, decisions_list, proposal_get
from terbuka_web.governance.services import proposal_decide, vote_cast

router = Router(tags=["governance"])


class TallyOut(Schema):
    yes: int
    no: int
    abstain: int
    recused: int


class DecisionOut(Schema):
    id: int
    type: str
    decided_at: datetime
    effective_from: datetime
    proposal_hash: str
    tally: TallyOut
    log_index: int | None


class ProposalOut(Schema):
    proposal_hash: str
    proposal: dict[str, Any]
    decision_id: int | None


class VoteIn(Schema):
    vote: str


class VoteOut(Schema):
    member: str
    choice: str
    decision_id: int | None


def _decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "type": decision.proposal.type,
        "decided_at": decision.decided_at,
        "effective_from": decision.effective_from,
        "proposal_hash": decision.proposal.hash,
        "tally": decision.tally,
        "log_index": decision_log_index(decision),
    }


def _proposal_or_404(uid: str) -> Proposal:
    proposal = proposal_get(uid[:40])
    if proposal is None:
        raise Http404(f"usulan {uid[:40]!r} tidak ditemukan / proposal {uid[:40]!r} not found")
    return proposal


def _decision_id(proposal: Proposal) -> int | None:
    return Decision.objects.filter(proposal=proposal).values_list("id", flat=True).first()


@router.get("/decisions", response=list[DecisionOut])
def decisions(request: HttpRequest) -> list[dict[str, Any]]:
    """Daftar keputusan konsorsium / the consortium's decisions, newest first.

    log_index is the index of the decision's entry ({"kind": "decision", "proposal_hash"})
    in the transparency log, null until the sequencer has integrated it.
    """
    return [_decision_out(d) for d in decisions_list()]


@router.get("/proposals/{uid}", response={200: ProposalOut, **ERRORS})
def proposal(request: HttpRequest, uid: str) -> dict[str, Any]:
    """Usulan kanonik / a proposal exactly as hashed (save it to sign offline)."""
    found = _proposal_or_404(uid)
    return {
        "proposal_hash": found.hash,
        "proposal": found.canonical,
        "decision_id": _decision_id(found),
    }


@router.post("/proposals/{uid}/votes", response={201: VoteOut, **ERRORS})
def vote(request: HttpRequest, uid: str, body: VoteIn) -> Status[dict[str, Any]]:
    """Kirim suara bertanda tangan / post a signed vote; the decision follows once met.

    Refused (422, code vote_refused or governance) for a bad signature, a replay, a vote
    for another proposal, a recused or unknown member, or a closed proposal.
    """
    found = _proposal_or_404(uid)
    cast = vote_cast(proposal=found, signed=body.vote)
    return Status(
        201,
        {"member": cast.member.key_id, "choice": cast.choice, "decision_id": _decision_id(found)},
    )


@router.post("/proposals/{uid}/decide", response={201: DecisionOut, **ERRORS})
def decide(request: HttpRequest, uid: str) -> Status[dict[str, Any]]:
    """Minta keputusan / ask for the decision: refused (422 quorum_not_met) until the rule
    is met before the deadline."""
    return Status(201, _decision_out(proposal_decide(proposal=_proposal_or_404(uid))))
