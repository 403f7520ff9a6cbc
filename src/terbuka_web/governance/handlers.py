"""The governance app's own proposal types: what each checks and applies once decided.

Registered in apps.Config.ready through effects.effect_register; scope_change is registered
by the app that owns the publication scope.
"""

from __future__ import annotations

from typing import Any

from terbuka.governance.errors import GovernanceError
from terbuka.governance.quorum import quorum_rule_parse
from terbuka_web.governance.effects import effect_register
from terbuka_web.governance.models import Decision, Dispute, Member, ProposalType, QuorumRule
from terbuka_web.governance.services import member_record, member_spec_check, member_state_log
from terbuka_web.transparency.services import entry_append

STATUS_AFTER = {
    ProposalType.MEMBER_SUSPEND: Member.Status.SUSPENDED,
    ProposalType.MEMBER_REMOVE: Member.Status.REMOVED,
}


def _admit_check(payload: dict[str, Any]) -> dict[str, Any]:
    return member_spec_check(payload).as_data()


def _admit_apply(decision: Decision) -> None:
    spec = member_spec_check(decision.proposal.canonical["payload"])
    member_record(spec, via="admit", decision=decision)


def _member_of(payload: dict[str, Any]) -> Member:
    """Return the active member payload["member"] (a key id) names; raise GovernanceError."""
    member = Member.objects.filter(key_id=str(payload.get("member", ""))).first()
    if member is None or member.status == Member.Status.REMOVED:
        raise GovernanceError(
            f"anggota {payload.get('member')!r} tidak ditemukan atau sudah dikeluarkan",
            f"member {payload.get('member')!r} is not found or already removed",
            where="payload.member",
        )
    return member


def _status_check(payload: dict[str, Any]) -> dict[str, Any]:
    return {"member": _member_of(payload).key_id}


def _status_apply(decision: Decision) -> None:
    member = _member_of(decision.proposal.canonical["payload"])
    member.status = STATUS_AFTER[ProposalType(decision.proposal.type)]
    member.save(update_fields=["status"])
    member_state_log(member, decision.proposal.type.removeprefix("member_"), decision)


def _quorum_check(payload: dict[str, Any]) -> dict[str, Any]:
    target = payload.get("proposal_type")
    if target not in ProposalType.values:
        raise GovernanceError(
            f"jenis usulan {target!r} tidak dikenal",
            f"unknown proposal type {target!r}",
            where="payload.proposal_type",
        )
    return {"proposal_type": target, "rule": quorum_rule_parse(payload.get("rule")).as_data()}


def _quorum_apply(decision: Decision) -> None:
    payload = decision.proposal.canonical["payload"]
    QuorumRule.objects.update_or_create(
        proposal_type=payload["proposal_type"],
        defaults={"rule": payload["rule"], "decision": decision},
    )


def _dispute_of(payload: dict[str, Any]) -> Dispute:
    dispute = Dispute.objects.filter(code=str(payload.get("dispute", ""))).first()
    if dispute is None or dispute.status == Dispute.Status.RESOLVED:
        raise GovernanceError(
            f"sengketa {payload.get('dispute')!r} tidak ditemukan atau sudah selesai",
            f"dispute {payload.get('dispute')!r} is not found or already resolved",
            where="payload.dispute",
        )
    return dispute


def _dispute_check(payload: dict[str, Any]) -> dict[str, Any]:
    outcome = str(payload.get("outcome", "")).strip()
    if not 10 <= len(outcome) <= 4000:
        raise GovernanceError(
            "hasil sengketa harus 10–4000 karakter",
            "the outcome must be 10–4000 characters",
            where="payload.outcome",
        )
    correction = str(payload.get("correction", "") or "").strip()[:300]
    return {"dispute": _dispute_of(payload).code, "outcome": outcome, "correction": correction}


def _dispute_apply(decision: Decision) -> None:
    payload = decision.proposal.canonical["payload"]
    dispute = _dispute_of(payload)
    dispute.status = Dispute.Status.RESOLVED
    dispute.outcome, dispute.correction = payload["outcome"], payload["correction"]
    dispute.decision = decision
    dispute.save(update_fields=["status", "outcome", "correction", "decision"])
    entry_append(
        kind="governance.dispute.outcome",
        ref=f"konsorsium/sengketa/{dispute.code}",
        payload={
            "code": dispute.code,
            "record": dispute.record,
            "outcome": dispute.outcome,
            "correction": dispute.correction,
            "proposal_hash": decision.proposal.hash,
        },
    )


def _text_payload(payload: dict[str, Any]) -> dict[str, Any]:
    text = str(payload.get("text", "")).strip()
    if not 10 <= len(text) <= 20000:
        raise GovernanceError(
            "teks perubahan harus 10–20000 karakter",
            "the amended text must be 10–20000 characters",
            where="payload.text",
        )
    return {"text": text}


def handlers_register() -> None:
    """Register the governance app's proposal types with the effect registry."""
    effect_register(ProposalType.MEMBER_ADMIT, check=_admit_check, apply=_admit_apply)
    for kind in STATUS_AFTER:
        effect_register(kind, check=_status_check, apply=_status_apply)
    effect_register(ProposalType.QUORUM_CHANGE, check=_quorum_check, apply=_quorum_apply)
    effect_register(ProposalType.DISPUTE_RESOLVE, check=_dispute_check, apply=_dispute_apply)
    effect_register(ProposalType.CHARTER_AMEND, check=_text_payload)
