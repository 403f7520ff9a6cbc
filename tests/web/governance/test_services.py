"""Test the governance services: votes, recusals, quorum, decisions, effects, disputes, minutes.

Every refusal names what is wrong in both languages and writes nothing (no vote, no entry).
"""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import pytest
from django.utils import timezone

from terbuka.governance.decision import decision_verify
from terbuka.governance.errors import GovernanceError, QuorumNotMet, VoteRefused
from terbuka_web.accounts.models import Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.contracting.uploads import UploadRefused
from terbuka_web.governance.models import Decision, Dispute, Member, Proposal, Vote
from terbuka_web.governance.services import (
    comment_post,
    consortium_found,
    dispute_open,
    interest_declare,
    minutes_add,
    proposal_decide,
    vote_cast,
)
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.services import entry_append

from .conftest import Seat, propose, spec_new

# Seats: 0-1 pemerintah, 2 auditor, 3-4 warga, 5 teknologi, 6 hukum. Charter amendments need
# more than 2/3 yes AND an auditor, a citizen representative and a legal expert.


def _entries(kind: str) -> list[dict[str, object]]:
    return [json.loads(bytes(e.data)) for e in LogEntry.objects.filter(kind=kind)]


def test_a_second_founding_is_refused(seats: list[Seat]) -> None:
    spec, _ = spec_new("Penyusup", "warga")
    with pytest.raises(GovernanceError, match="only through a decision") as info:
        consortium_found(actor=None, members=[spec])
    assert "hanya lewat keputusan" in info.value.message_id


def test_quorum_met_makes_a_logged_decision_that_the_core_reverifies(seats: list[Seat]) -> None:
    proposal = propose()
    for seat in seats[:5] + seats[6:]:  # 6 of 7 yes, including auditor, warga, hukum
        vote_cast(proposal=proposal, signed=seat.vote(proposal))
    decision = Decision.objects.get(proposal=proposal)
    assert decision.tally == {"yes": 6, "no": 0, "abstain": 0, "recused": 0}
    (entry,) = _entries("decision")
    assert entry["kind"] == "decision" and entry["proposal_hash"] == proposal.hash
    assert decision_verify(entry).met
    assert len(_entries("governance.vote")) == 6
    assert len(_entries("governance.proposal")) == 1


def test_no_decision_without_quorum(seats: list[Seat]) -> None:
    proposal = propose()
    for seat in seats[:4]:  # 4 of 7, no legal expert
        vote_cast(proposal=proposal, signed=seat.vote(proposal))
    assert not Decision.objects.exists()
    with pytest.raises(QuorumNotMet, match="quorum not met") as info:
        proposal_decide(proposal=proposal)
    assert "kuorum belum terpenuhi" in info.value.message_id
    assert "class hukum" in info.value.message_en
    assert not Decision.objects.exists() and not _entries("decision")


def test_bad_signature_replay_and_foreign_votes_are_refused(seats: list[Seat]) -> None:
    proposal, other = propose(), propose(title="Usulan lain sama sekali")
    signed = seats[0].vote(proposal)
    before = LogEntry.objects.count()
    forged = signed.replace("choice yes", "choice no")
    with pytest.raises(VoteRefused, match="signature is invalid"):
        vote_cast(proposal=proposal, signed=forged)
    with pytest.raises(VoteRefused, match="another proposal"):
        vote_cast(proposal=other, signed=signed)
    vote_cast(proposal=proposal, signed=signed)
    with pytest.raises(VoteRefused, match="already voted") as info:
        vote_cast(proposal=proposal, signed=signed)
    assert "suara ulang ditolak" in info.value.message_id
    with pytest.raises(VoteRefused, match="not a member entitled"):
        vote_cast(proposal=proposal, signed=signed.replace(seats[0].member.key_id, "0" * 16))
    assert Vote.objects.count() == 1 and LogEntry.objects.count() == before + 1


def test_recused_member_vote_is_refused_with_the_reason(seats: list[Seat]) -> None:
    interest_declare(
        actor=None, member=seats[2].member, kind="supplier_npwp", value="01.234.567.8-901.000"
    )
    proposal = propose(touches={"suppliers_npwp": ["012345678901000"]})
    assert proposal.recusals.get().member == seats[2].member
    with pytest.raises(VoteRefused, match="recused") as info:
        vote_cast(proposal=proposal, signed=seats[2].vote(proposal))
    assert "konflik kepentingan" in info.value.message_id
    assert "01.234.567.8-901.000" in info.value.message_en
    assert not Vote.objects.exists()


def test_after_the_deadline_no_vote_and_no_decision(seats: list[Seat]) -> None:
    proposal = propose()
    for seat in seats[:5]:
        vote_cast(proposal=proposal, signed=seat.vote(proposal))
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - dt.timedelta(1))
    proposal.refresh_from_db()
    with pytest.raises(GovernanceError, match="deadline"):
        vote_cast(proposal=proposal, signed=seats[6].vote(proposal))
    with pytest.raises(GovernanceError, match="deadline"):
        proposal_decide(proposal=proposal)
    assert not Decision.objects.exists()


def test_admission_and_suspension_are_decisions(seats: list[Seat]) -> None:
    spec, _ = spec_new("ICW Bojonegoro", "warga")
    admit = propose(type="member_admit", title="Terima ICW Bojonegoro", payload=spec.as_data())
    for seat in seats[:4]:  # 4 of 7 with the auditor and a citizen: the default rule
        vote_cast(proposal=admit, signed=seat.vote(admit))
    newcomer = Member.objects.get(name="ICW Bojonegoro")
    assert newcomer.status == Member.Status.ACTIVE
    suspend = propose(
        type="member_suspend", title="Skors anggota 0", payload={"member": seats[0].member.key_id}
    )
    assert newcomer.key_id in suspend.canonical["electorate"]
    for seat in seats[1:6]:
        vote_cast(proposal=suspend, signed=seat.vote(suspend))
    seats[0].member.refresh_from_db()
    assert seats[0].member.status == Member.Status.SUSPENDED
    assert [e["action"] for e in _entries("governance.member")][-2:] == ["admit", "suspend"]
    later = propose()
    assert seats[0].member.key_id not in later.canonical["electorate"]


def test_a_dispute_on_a_record_that_was_never_published_is_refused(seats: list[Seat]) -> None:
    with pytest.raises(GovernanceError) as refused:
        dispute_open(opener="warga", record="ocds-tbk352-0001", description="Nilai kontrak beda.")
    assert refused.value.where == "record" and "log transparansi" in refused.value.message_id
    assert not Dispute.objects.exists()


def test_a_dispute_is_resolved_by_a_decision_and_its_outcome_logged(seats: list[Seat]) -> None:
    entry_append(kind="release", ref="ocds-tbk352-0001", payload={"ocid": "ocds-tbk352-0001"})
    dispute = dispute_open(
        opener="warga", record="ocds-tbk352-0001", description="Nilai kontrak berbeda dari SPK."
    )
    assert len(dispute.code) == 10
    assert "Nilai kontrak" not in json.dumps(_entries("governance.dispute"))
    resolve = propose(
        type="dispute_resolve",
        title=f"Selesaikan sengketa {dispute.code}",
        payload={"dispute": dispute.code, "outcome": "Nilai dikoreksi lewat rilis baru.",
                 "correction": "ocds-tbk352-0001-contract-2"},
    )  # fmt: skip
    for seat in seats[:4]:
        vote_cast(proposal=resolve, signed=seat.vote(resolve))
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RESOLVED and dispute.decision is not None
    (outcome,) = _entries("governance.dispute.outcome")
    assert outcome["proposal_hash"] == resolve.hash
    with pytest.raises(GovernanceError, match="already resolved"):
        propose(type="dispute_resolve", title="Sekali lagi", payload={"dispute": dispute.code,
                "outcome": "Sekali lagi diputuskan."})  # fmt: skip


def test_minutes_text_and_refused_pdf(seats: list[Seat]) -> None:
    proposal = propose()
    for seat in seats[:5] + seats[6:]:
        vote_cast(proposal=proposal, signed=seat.vote(proposal))
    decision = proposal.decision
    minutes_add(actor=None, decision=decision, text="Rapat 4 Desember: enam setuju.")
    assert _entries("governance.minutes")[0]["proposal_hash"] == proposal.hash
    with pytest.raises(UploadRefused, match="not a PDF"):
        minutes_add(actor=None, decision=decision, stream=BytesIO(b"<html>"), filename="n.pdf")
    with pytest.raises(GovernanceError, match="exactly one"):
        minutes_add(actor=None, decision=decision)


def test_only_governance_managers_create_proposals(seats: list[Seat]) -> None:
    auditor = User.objects.create_user("auditor1", password="x", role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        propose(actor=auditor)


def test_comments_refuse_personal_numbers(seats: list[Seat]) -> None:
    proposal = propose()
    comment_post(proposal=proposal, text="Setuju, asal rapat terbuka.")
    with pytest.raises(GovernanceError, match="16-digit"):
        comment_post(proposal=proposal, text="NIK saya 3522011234567890")
