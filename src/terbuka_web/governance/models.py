"""Models of the governance app: the consortium's members, interests, proposals, votes,
decisions, minutes and disputes.

Every row here is public and append-only in spirit: a state change (admission, a vote, a
decision, a dispute outcome) is written together with its transparency-log entry by
governance.services, never edited afterwards (a correction is a new record).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StakeholderClass(models.TextChoices):
    """Name the five stakeholder classes of the consortium."""

    PEMERINTAH = "pemerintah", _("Pemerintah")
    AUDITOR = "auditor", _("Auditor")
    WARGA = "warga", _("Wakil warga")
    TEKNOLOGI = "teknologi", _("Ahli teknologi")
    HUKUM = "hukum", _("Ahli hukum")


class Member(models.Model):
    """Hold one consortium member: its class, decision-signing public key, optional witness."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        SUSPENDED = "suspended", _("Diskors")
        REMOVED = "removed", _("Dikeluarkan")

    name = models.CharField(max_length=200, help_text=_("Nama lembaga atau wakil (publik)"))
    stakeholder_class = models.CharField(max_length=12, choices=StakeholderClass.choices)
    public_key = models.CharField(max_length=44, unique=True, help_text="base64 Ed25519, 32 bytes")
    key_id = models.CharField(max_length=16, unique=True)
    witness_vkey = models.CharField(max_length=200, blank=True)
    witness_url = models.URLField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    since = models.DateTimeField()

    class Meta:
        ordering = ["stakeholder_class", "name"]

    def __str__(self) -> str:
        return self.name


class Interest(models.Model):
    """Hold one interest a member declared (public register)."""

    class Kind(models.TextChoices):
        SUPPLIER_NPWP = "supplier_npwp", _("Penyedia (NPWP)")
        SUPPLIER_NAME = "supplier_name", _("Penyedia (nama)")
        AGENCY = "agency", _("Perangkat daerah")
        REGION = "region", _("Wilayah")
        FAMILY = "family", _("Hubungan keluarga")

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="interests")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member_id", "kind", "id"]


class ProposalType(models.TextChoices):
    """Name what a proposal may decide."""

    SCOPE_CHANGE = "scope_change", _("Ubah cakupan atau fase publikasi")
    MEMBER_ADMIT = "member_admit", _("Terima anggota")
    MEMBER_SUSPEND = "member_suspend", _("Skors anggota")
    MEMBER_REMOVE = "member_remove", _("Keluarkan anggota")
    QUORUM_CHANGE = "quorum_change", _("Ubah aturan kuorum")
    PROGRAMME_RULES = "programme_rules", _("Tetapkan atau ubah aturan program bantuan")
    DISPUTE_RESOLVE = "dispute_resolve", _("Selesaikan sengketa")
    CHARTER_AMEND = "charter_amend", _("Ubah piagam")


class QuorumRule(models.Model):
    """Hold the quorum rule in force for one proposal type (set by a quorum_change decision)."""

    proposal_type = models.CharField(max_length=20, choices=ProposalType.choices, unique=True)
    rule = models.JSONField(help_text='e.g. {"yes_above": [1, 2], "classes": {"auditor": 1}}')
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class Proposal(models.Model):
    """Hold one proposal exactly as hashed and signed: `canonical` is what proposal_hash covers.

    canonical holds id, type, title, body, payload, touches, rule, deadline, created_at, the
    electorate ({key id: {class, public_key}} of the members active when it was made) and
    recused ({key id: reason}).
    """

    uid = models.CharField(max_length=32, unique=True)
    type = models.CharField(max_length=20, choices=ProposalType.choices)
    title = models.CharField(max_length=300)
    canonical = models.JSONField()
    hash = models.CharField(max_length=64, unique=True)
    deadline = models.DateTimeField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Recusal(models.Model):
    """Record that a member is recused from a proposal, and why (a matched interest)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="recusals")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="recusals")
    reason = models.CharField(max_length=400)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="recusal_once")]


class Vote(models.Model):
    """Hold one member's signed vote on a proposal (the signed statement, as received)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=8)
    signed = models.TextField(help_text="terbuka/governance-vote/v1 statement and signature")
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cast_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="vote_once")]


class Decision(models.Model):
    """Hold the decision of a proposal whose quorum rule was met before its deadline."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    decided_at = models.DateTimeField()
    effective_from = models.DateTimeField()
    tally = models.JSONField(help_text='{"yes", "no", "abstain", "recused"}')
    entry_id = models.BigIntegerField(help_text="id of its transparency-log entry")

    class Meta:
        ordering = ["-decided_at", "-id"]


class Minutes(models.Model):
    """Hold the minutes of a decision: a checked PDF or plain text, with its SHA-256."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="minutes")
    text = models.TextField(blank=True)
    file = models.FileField(upload_to="minutes/%Y/", max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]


class Dispute(models.Model):
    """Hold a dispute on a published record, from opening to its resolution by a decision.

    The description stays off the public pages (it may name people); the tracking code lets
    its opener follow it without an account.
    """

    class Opener(models.TextChoices):
        WARGA = "warga", _("Warga")
        PENYEDIA = "penyedia", _("Penyedia")
        ANGGOTA = "anggota", _("Anggota konsorsium")

    class Status(models.TextChoices):
        OPEN = "open", _("Diterima")
        REVIEW = "review", _("Ditelaah")
        RESOLVED = "resolved", _("Selesai")

    code = models.CharField(max_length=16, unique=True)
    opener = models.CharField(max_length=10, choices=Opener.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT)
    record = models.CharField(max_length=300, help_text=_("OCID atau alamat catatan terbit"))
    description = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    outcome = models.TextField(blank=True)
    correction = models.CharField(max_length=300, blank=True)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-opened_at", "-id"]


class Comment(models.Model):
    """Hold one citizen's public comment on an open proposal (no account, no personal data)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField(max_length=2000)
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["posted_at", "id"]
