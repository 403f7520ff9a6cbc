"""Services of the governance app: members, interests, proposals, signed votes, decisions,
minutes, disputes and comments.

Every public state change and its transparency-log entry commit in one transaction. The
entry kinds are governance.member, governance.interest, governance.proposal, governance.vote,
decision (the acceptance surface: {"kind": "decision", "proposal_hash": …}),
governance.minutes, governance.dispute and governance.dispute.outcome. actor=None means the
system itself (a management command run by the server's operator, e.g. `terbuka demo`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from terbuka.governance.errors import GovernanceError, QuorumNotMet, VoteRefused
from terbuka.governance.interests import Interest as DeclaredInterest
from terbuka.governance.interests import conflicts_find, touches_check
from terbuka.governance.keys import key_id_of, public_key_parse
from terbuka.governance.proposal import proposal_hash
from terbuka.governance.quorum import DEFAULT_RULE, quorum_evaluate, quorum_rule_parse
from terbuka.governance.vote import SignedVote, vote_verify, votes_check
from terbuka.tlog.cosignature import CosignatureVerifier
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.contracting.models import Release
from terbuka_web.contracting.uploads import filename_check, pdf_check
from terbuka_web.governance.effects import effect_for, payload_check
from terbuka_web.governance.models import (
    Comment,
    Decision,
    Dispute,
    Interest,
    Member,
    Minutes,
    Proposal,
    ProposalType,
    QuorumRule,
    Recusal,
    StakeholderClass,
    Vote,
)
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.services import entry_append

MAX_DEADLINE_DAYS = 90
MAX_MINUTES_TEXT = 20000
STRICT_RULE: dict[str, Any] = {
    "yes_above": [2, 3],
    "classes": {"auditor": 1, "warga": 1, "hukum": 1},
}
DEFAULT_RULES = {
    ProposalType.CHARTER_AMEND: STRICT_RULE,
    ProposalType.QUORUM_CHANGE: STRICT_RULE,
}
PERSONAL_NUMBER = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _iso(moment: dt.datetime) -> str:
    """Return moment in UTC as RFC 3339 with a Z, to the second: 2026-12-04T22:00:00Z."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _system_or(actor: User | None) -> None:
    """Raise PermissionDenied unless actor is the system (None) or may manage governance."""
    if actor is not None:
        permission_require(user=actor, action=Action.GOVERNANCE_MANAGE)


def _text_check(value: str, field: str, *, low: int, high: int) -> str:
    """Return value stripped when its length is within low..high, else raise GovernanceError."""
    value = (value or "").strip()
    if not low <= len(value) <= high:
        raise GovernanceError(
            f"{field} harus {low}–{high} karakter (sekarang {len(value)})",
            f"{field} must be {low}–{high} characters (now {len(value)})",
            where=field,
        )
    return value


def _record_check(record: str) -> str:
    """Return record when it names a published record, else raise GovernanceError.

    A published record is one in the transparency log: the ref of a log entry (a release
    `<ocid>/<release id>`, a decision, a budget batch…) or the ocid of a process whose releases
    are published.
    """
    record = _text_check(record, "record", low=3, high=300)
    if Release.objects.filter(ocid=record).exists() or LogEntry.objects.filter(ref=record).exists():
        return record
    raise GovernanceError(
        f"catatan {record!r} tidak ada di log transparansi: sengketa diajukan atas catatan yang "
        "sudah terbit (OCID atau rujukan entri log)",
        f"record {record!r} is not in the transparency log: a dispute is on a published record "
        "(an ocid or a log entry's ref)",
        where="record",
    )


# --- Members ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberSpec:
    """Describe a member to found or admit: name, class, public key, optional witness."""

    name: str
    stakeholder_class: str
    public_key: str
    witness_vkey: str = ""
    witness_url: str = ""

    def as_data(self) -> dict[str, str]:
        """Return the spec as the JSON of an admission payload."""
        return {
            "name": self.name,
            "class": self.stakeholder_class,
            "public_key": self.public_key,
            "witness_vkey": self.witness_vkey,
            "witness_url": self.witness_url,
        }


def member_spec_check(data: dict[str, Any]) -> MemberSpec:
    """Return the MemberSpec of an admission payload after checking every field.

    Raises GovernanceError naming the field: an empty name, an unknown class, a public key
    that is not 32 Ed25519 bytes or already a member's, a witness key that does not parse
    (cosignature/v1 vkey) or a witness without an https/http URL.
    """
    spec = MemberSpec(
        name=_text_check(str(data.get("name", "")), "name", low=2, high=200),
        stakeholder_class=str(data.get("class", "")),
        public_key=str(data.get("public_key", "")).strip(),
        witness_vkey=str(data.get("witness_vkey", "") or "").strip(),
        witness_url=str(data.get("witness_url", "") or "").strip(),
    )
    if spec.stakeholder_class not in StakeholderClass.values:
        raise GovernanceError(
            f"kelas {spec.stakeholder_class!r} tidak dikenal "
            f"({', '.join(StakeholderClass.values)})",
            f"unknown class {spec.stakeholder_class!r} ({', '.join(StakeholderClass.values)})",
            where="class",
        )
    raw = public_key_parse(spec.public_key)
    if Member.objects.filter(key_id=key_id_of(raw)).exists():
        raise GovernanceError(
            "kunci publik ini sudah milik anggota",
            "this public key is already a member's",
            where="public_key",
        )
    if spec.witness_vkey:
        try:
            CosignatureVerifier.from_vkey(spec.witness_vkey)
        except Exception as exc:
            raise GovernanceError(
                f"kunci saksi tidak sah: {exc}", f"invalid witness key: {exc}", where="witness_vkey"
            ) from exc
        if not spec.witness_url.startswith(("https://", "http://")):
            raise GovernanceError(
                "saksi butuh alamat http(s)", "a witness needs an http(s) URL", where="witness_url"
            )
    return spec


def member_record(spec: MemberSpec, *, via: str, decision: Decision | None = None) -> Member:
    """Create an active member from spec and log it (via: "found" or "admit")."""
    raw = public_key_parse(spec.public_key)
    member = Member.objects.create(
        name=spec.name,
        stakeholder_class=spec.stakeholder_class,
        public_key=spec.public_key,
        key_id=key_id_of(raw),
        witness_vkey=spec.witness_vkey,
        witness_url=spec.witness_url,
        since=timezone.now(),
    )
    member_state_log(member, via, decision)
    return member


def member_state_log(member: Member, action: str, decision: Decision | None) -> None:
    """Append the member's state change (found, admit, suspend, remove) to the log."""
    entry_append(
        kind="governance.member",
        ref=f"konsorsium/anggota/{member.key_id}",
        payload={
            "action": action,
            "key_id": member.key_id,
            "name": member.name,
            "class": member.stakeholder_class,
            "public_key": member.public_key,
            "witness_vkey": member.witness_vkey,
            "status": member.status,
            "decision": decision.pk if decision else None,
        },
    )


@transaction.atomic
def consortium_found(*, actor: User | None, members: list[MemberSpec]) -> list[Member]:
    """Create the founding members, only while the consortium has no member at all.

    Every later admission is a decision (member_admit). Raises GovernanceError when members
    already exist or a spec is invalid (nothing written), PermissionDenied for a non-admin.
    """
    _system_or(actor)
    if Member.objects.select_for_update().exists():
        raise GovernanceError(
            "konsorsium sudah berdiri: anggota baru hanya lewat keputusan",
            "the consortium is already founded: new members only through a decision",
            where="members",
        )
    created = []
    for spec in members:
        created.append(member_record(member_spec_check(spec.as_data()), via="found"))
    audit_record(actor=actor, action="governance:consortium:found", data={"members": len(created)})
    return created


@transaction.atomic
def interest_declare(*, actor: User | None, member: Member, kind: str, value: str) -> Interest:
    """Record and log an interest member declared (public register).

    Raises GovernanceError for an unknown kind or an empty value.
    """
    _system_or(actor)
    if kind not in Interest.Kind.values:
        raise GovernanceError(
            f"jenis kepentingan {kind!r} tidak dikenal",
            f"unknown interest kind {kind!r}",
            where="kind",
        )
    value = _text_check(value, "value", low=2, high=300)
    interest = Interest.objects.create(member=member, kind=kind, value=value)
    entry_append(
        kind="governance.interest",
        ref=f"konsorsium/anggota/{member.key_id}",
        payload={"key_id": member.key_id, "interest": kind, "value": value},
    )
    audit_record(actor=actor, action="governance:interest:declare", target=member.key_id)
    return interest


# --- Proposals ----------------------------------------------------------------------------


def quorum_rule_for(proposal_type: str) -> dict[str, Any]:
    """Return the quorum rule in force for proposal_type (its decision's, else the default)."""
    row = QuorumRule.objects.filter(proposal_type=proposal_type).first()
    return dict(row.rule) if row else dict(DEFAULT_RULES.get(proposal_type, DEFAULT_RULE))


def _deadline_check(deadline: dt.datetime, now: dt.datetime) -> None:
    if not now < deadline <= now + dt.timedelta(days=MAX_DEADLINE_DAYS):
        raise GovernanceError(
            f"tenggat harus setelah sekarang dan paling lama {MAX_DEADLINE_DAYS} hari lagi",
            f"the deadline must be after now and at most {MAX_DEADLINE_DAYS} days ahead",
            where="deadline",
        )


def _recusals(touches: dict[str, list[str]], electorate: list[Member]) -> dict[str, str]:
    """Return {key id: reason} of the members whose declared interests the proposal touches."""
    recused: dict[str, str] = {}
    for member in electorate:
        declared = [DeclaredInterest(i.kind, i.value) for i in member.interests.all()]
        found = conflicts_find(declared, touches)
        if found:
            recused[member.key_id] = "; ".join(found)
    return recused


@transaction.atomic
def proposal_create(
    *,
    actor: User | None,
    type: str,
    title: str,
    body: str,
    payload: dict[str, Any],
    deadline: dt.datetime,
    touches: dict[str, Any] | None = None,
    effective_from: dt.datetime | None = None,
) -> Proposal:
    """Create and log a proposal: its electorate (active members), recusals and quorum rule.

    The canonical JSON (hashed, signed by every vote) holds id, type, title, body, payload,
    touches, rule, deadline, effective_from, created_at, electorate and recused. Raises
    GovernanceError for an unknown type, a bad title, body, payload or deadline, or when no
    member may vote; PermissionDenied for a non-admin actor.
    """
    _system_or(actor)
    if type not in ProposalType.values:
        raise GovernanceError(
            f"jenis usulan {type!r} tidak dikenal", f"unknown proposal type {type!r}", where="type"
        )
    now = timezone.now()
    _deadline_check(deadline, now)
    clean_touches = touches_check(touches or {})
    electorate = list(
        Member.objects.filter(status=Member.Status.ACTIVE).prefetch_related("interests")
    )
    recused = _recusals(clean_touches, electorate)
    if len(recused) >= len(electorate):
        raise GovernanceError(
            "tidak ada anggota aktif yang boleh memberi suara",
            "no active member may vote on this proposal",
            where="members",
        )
    canonical = {
        "id": uuid.uuid4().hex,
        "type": type,
        "title": _text_check(title, "title", low=5, high=300),
        "body": _text_check(body, "body", low=0, high=20000),
        "payload": payload_check(type, payload),
        "touches": clean_touches,
        "rule": quorum_rule_for(type),
        "deadline": _iso(deadline),
        "effective_from": _iso(effective_from) if effective_from else None,
        "created_at": _iso(now),
        "electorate": {
            m.key_id: {"class": m.stakeholder_class, "public_key": m.public_key} for m in electorate
        },
        "recused": recused,
    }
    digest = proposal_hash(canonical)
    proposal = Proposal.objects.create(
        uid=canonical["id"], type=type, title=canonical["title"], canonical=canonical,
        hash=digest, deadline=deadline, created_at=now, created_by=actor,
    )  # fmt: skip
    by_key = {m.key_id: m for m in electorate}
    Recusal.objects.bulk_create(
        Recusal(proposal=proposal, member=by_key[k], reason=r) for k, r in recused.items()
    )
    entry_append(
        kind="governance.proposal",
        ref=f"konsorsium/usulan/{proposal.uid}",
        payload={"proposal_hash": digest, "proposal": canonical},
    )
    audit_record(actor=actor, action="governance:proposal:create", target=proposal.uid)
    return proposal


# --- Votes and decisions ------------------------------------------------------------------


def _open_require(proposal: Proposal, now: dt.datetime) -> None:
    """Raise GovernanceError when proposal is decided or past its deadline."""
    if Decision.objects.filter(proposal=proposal).exists():
        raise GovernanceError(
            "usulan sudah diputuskan", "the proposal is already decided", where="proposal"
        )
    if now > proposal.deadline:
        raise GovernanceError(
            f"tenggat usulan ({_iso(proposal.deadline)}) sudah lewat",
            f"the proposal's deadline ({_iso(proposal.deadline)}) has passed",
            where="deadline",
        )


def _voter(proposal: Proposal, key_id: str) -> Member:
    """Return the member behind key_id if it may vote on proposal, else raise VoteRefused."""
    recused = proposal.canonical["recused"]
    if key_id in recused:
        raise VoteRefused(
            f"anggota {key_id} dikecualikan dari usulan ini karena konflik kepentingan "
            f"({recused[key_id]}); suaranya ditolak",
            f"member {key_id} is recused from this proposal for a conflict of interest "
            f"({recused[key_id]}); the vote is refused",
            where="vote.member",
        )
    member = Member.objects.filter(key_id=key_id).first()
    if key_id not in proposal.canonical["electorate"] or member is None:
        raise VoteRefused(
            f"kunci {key_id} bukan anggota yang berhak memberi suara pada usulan ini",
            f"key {key_id} is not a member entitled to vote on this proposal",
            where="vote.member",
        )
    if member.status != Member.Status.ACTIVE:
        raise VoteRefused(
            f"anggota {member.name} berstatus {member.status}; suaranya ditolak",
            f"member {member.name} is {member.status}; the vote is refused",
            where="vote.member",
        )
    return member


def vote_cast(*, proposal: Proposal, signed: str) -> Vote:
    """Verify, store and log a member's signed vote; decide the proposal once its rule is met.

    Raises VoteRefused (nothing written) for a malformed vote, a bad signature, a vote for
    another proposal, a second vote by the same member (replay), a recused, unknown or
    inactive member; GovernanceError when the proposal is decided or past its deadline.
    """
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _open_require(proposal, timezone.now())
        text = signed.replace("\r\n", "\n").strip() + "\n"  # pasted: line ends may vary
        vote = SignedVote.parse(text.encode("utf-8"))
        member = _voter(proposal, vote.statement.member)
        public_key = public_key_parse(member.public_key)
        vote_verify(vote, proposal_hash=proposal.hash, public_key=public_key)
        if Vote.objects.filter(proposal=proposal, member=member).exists():
            raise VoteRefused(
                f"anggota {member.name} sudah memberi suara; suara ulang ditolak",
                f"member {member.name} has already voted; a replayed vote is refused",
                where="vote.member",
            )
        text = vote.format().decode("ascii")
        row = Vote.objects.create(
            proposal=proposal, member=member, choice=vote.statement.choice, signed=text
        )
        entry_append(
            kind="governance.vote",
            ref=f"konsorsium/usulan/{proposal.uid}",
            payload={"proposal_hash": proposal.hash, "vote": text},
        )
        if _outcome(proposal).met:
            _decide(proposal)
    return row


def _outcome(proposal: Proposal) -> Any:
    """Return the quorum Outcome of proposal's stored votes, every signature checked again."""
    canonical = proposal.canonical
    votes = [SignedVote.parse(v.encode("ascii")) for v in _vote_texts(proposal)]
    voting = {
        k: public_key_parse(m["public_key"])
        for k, m in canonical["electorate"].items()
        if k not in canonical["recused"]
    }
    choices = votes_check(votes, proposal_hash=proposal.hash, public_keys=voting)
    classes = {k: m["class"] for k, m in canonical["electorate"].items()}
    rule = quorum_rule_parse(canonical["rule"])
    return quorum_evaluate(
        rule, members=classes, choices=choices, recused=set(canonical["recused"])
    )


def _vote_texts(proposal: Proposal) -> list[str]:
    return list(proposal.votes.order_by("id").values_list("signed", flat=True))


def proposal_decide(*, proposal: Proposal) -> Decision:
    """Make proposal's decision when its quorum rule is met before the deadline.

    Raises QuorumNotMet with what is missing (both languages), GovernanceError when already
    decided or past the deadline; VoteRefused when a stored vote no longer verifies.
    """
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _open_require(proposal, timezone.now())
        return _decide(proposal)


def _decide(proposal: Proposal) -> Decision:
    """Create, log and apply the decision of locked, open proposal; QuorumNotMet if unmet."""
    outcome = _outcome(proposal)
    if not outcome.met:
        raise QuorumNotMet(
            "kuorum belum terpenuhi: " + "; ".join(i for i, _ in outcome.missing),
            "quorum not met: " + "; ".join(e for _, e in outcome.missing),
            where="quorum",
        )
    now = timezone.now()
    canonical = proposal.canonical
    stated = canonical.get("effective_from")
    effective = max(now, dt.datetime.fromisoformat(stated)) if stated else now
    tally = outcome.tally.as_data()
    decision = Decision(
        proposal=proposal, decided_at=now, effective_from=effective, tally=tally, entry_id=0
    )
    entry = entry_append(
        kind="decision",
        ref=f"konsorsium/keputusan/{proposal.uid}",
        payload={
            "proposal_hash": proposal.hash,
            "proposal_id": proposal.uid,
            "type": proposal.type,
            "rule": canonical["rule"],
            "members": canonical["electorate"],
            "recused": sorted(canonical["recused"]),
            "votes": _vote_texts(proposal),
            "tally": tally,
            "decided_at": _iso(now),
            "effective_from": _iso(effective),
        },
    )
    decision.entry_id = entry.pk
    decision.save()
    effect_for(proposal.type).apply(decision)
    audit_record(actor=None, action="governance:decision:make", target=proposal.uid, data=tally)
    return decision


# --- Minutes ------------------------------------------------------------------------------


@transaction.atomic
def minutes_add(
    *,
    actor: User | None,
    decision: Decision,
    text: str = "",
    stream: IO[bytes] | None = None,
    filename: str = "",
) -> Minutes:
    """Store and log a decision's minutes: plain text, or a PDF checked like contract documents.

    Raises GovernanceError when neither or both are given or the text is too long;
    UploadRefused for a PDF that fails the contracting upload checks (nothing stored).
    """
    _system_or(actor)
    if (stream is None) == (not text.strip()):
        raise GovernanceError(
            "notula berupa teks atau satu PDF (salah satu)",
            "minutes are either text or one PDF (exactly one)",
            where="minutes",
        )
    minutes = Minutes(decision=decision)
    if stream is not None:
        minutes.filename = filename_check(filename)
        minutes.sha256, _size = pdf_check(stream)
        minutes.file.save(f"{minutes.sha256}.pdf", File(stream), save=False)
    else:
        minutes.text = _text_check(text, "text", low=10, high=MAX_MINUTES_TEXT)
        minutes.sha256 = hashlib.sha256(minutes.text.encode("utf-8")).hexdigest()
    minutes.save()
    entry_append(
        kind="governance.minutes",
        ref=f"konsorsium/keputusan/{decision.proposal.uid}",
        payload={
            "proposal_hash": decision.proposal.hash,
            "sha256": minutes.sha256,
            "filename": minutes.filename,
            "text": minutes.text,
        },
    )
    audit_record(actor=actor, action="governance:minutes:add", target=decision.proposal.uid)
    return minutes


# --- Disputes and comments ----------------------------------------------------------------


@transaction.atomic
def dispute_open(
    *, opener: str, record: str, description: str, member: Member | None = None
) -> Dispute:
    """Open and log a dispute on a published record; return it with its tracking code.

    A citizen or supplier needs no account: the code is theirs to follow it. The log entry
    holds the code, opener class, record and the description's SHA-256 (not its text, which
    may name people). Raises GovernanceError for an unknown opener, a member dispute without
    its member, or a too short or long record or description.
    """
    if opener not in Dispute.Opener.values or (opener == Dispute.Opener.ANGGOTA) != bool(member):
        raise GovernanceError(
            "pembuka sengketa harus warga, penyedia atau anggota (dengan anggotanya)",
            "a dispute is opened by a citizen, a supplier or a member (naming the member)",
            where="opener",
        )
    dispute = Dispute.objects.create(
        code=secrets.token_hex(5).upper(),
        opener=opener,
        member=member,
        record=_record_check(record),
        description=_text_check(description, "description", low=10, high=4000),
    )
    entry_append(
        kind="governance.dispute",
        ref=f"konsorsium/sengketa/{dispute.code}",
        payload={
            "code": dispute.code,
            "opener": opener,
            "record": dispute.record,
            "description_sha256": hashlib.sha256(dispute.description.encode()).hexdigest(),
        },
    )
    return dispute


@transaction.atomic
def dispute_review(*, actor: User | None, dispute: Dispute) -> Dispute:
    """Move an open dispute to review; raise GovernanceError unless it is open."""
    _system_or(actor)
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.status != Dispute.Status.OPEN:
        raise GovernanceError(
            "hanya sengketa yang baru diterima dapat ditelaah",
            "only a newly opened dispute can go to review",
            where="status",
        )
    dispute.status = Dispute.Status.REVIEW
    dispute.save(update_fields=["status"])
    audit_record(actor=actor, action="governance:dispute:review", target=dispute.code)
    return dispute


@transaction.atomic
def comment_post(*, proposal: Proposal, text: str) -> Comment:
    """Store a citizen's comment on an open proposal.

    Raises GovernanceError when the proposal is closed, the text is 3–2000 characters long
    or it holds a 16-digit number (a NIK or KK number: no personal data is published).
    """
    _open_require(proposal, timezone.now())
    text = _text_check(text, "text", low=3, high=2000)
    if PERSONAL_NUMBER.search(text):
        raise GovernanceError(
            "komentar memuat angka 16 digit (NIK/KK?); data pribadi tidak dipublikasikan",
            "the comment holds a 16-digit number (a NIK/KK?); personal data is not published",
            where="text",
        )
    return Comment.objects.create(proposal=proposal, text=text)
