"""Models of the scope app: scope policy versions (each from a decision) and the obligation
rows of each published process (label per process, deadline and status per obligatory stage).

ProcessScope and StageDue are derived data, rewritten by scope.services in the transaction
that publishes a stage and in the one that activates a scope version, so /cakupan/ is a few
aggregate queries.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """Name the phases of the publication scope."""

    PILOT = "pilot", _("Pilot")
    EXPANSION = "expansion", _("Perluasan")
    ALL = "all", _("Semua kontrak")


class ScopeVersion(models.Model):
    """Hold one scope policy version: it exists only through its scope_change decision."""

    policy = models.JSONField(help_text="terbuka/scope/v1 policy (terbuka.scope.policy)")
    hash = models.CharField(max_length=64, help_text="SHA-256 of the policy's RFC 8785 bytes")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    effective_from = models.DateTimeField(db_index=True)
    decision = models.OneToOneField(
        "governance.Decision", on_delete=models.PROTECT, related_name="scope_version"
    )
    entry_id = models.BigIntegerField(help_text="id of its transparency-log entry")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_from", "id"]

    def __str__(self) -> str:
        return f"{self.phase} {self.effective_from:%Y-%m-%d}"


class ProcessScope(models.Model):
    """Hold whether a published process is wajib or sukarela, and why."""

    process = models.OneToOneField(
        "contracting.Process", on_delete=models.CASCADE, related_name="scope"
    )
    obligatory = models.BooleanField(default=False)
    version = models.ForeignKey(ScopeVersion, null=True, blank=True, on_delete=models.PROTECT)
    reason_id = models.CharField(max_length=400)
    reason_en = models.CharField(max_length=400)


class StageDue(models.Model):
    """Hold one obligatory stage of a process: its event, deadline and first publication day."""

    process = models.ForeignKey(
        "contracting.Process", on_delete=models.CASCADE, related_name="stage_dues"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(ScopeVersion, on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    stage = models.CharField(max_length=16)
    event_on = models.DateField()
    due_on = models.DateField()
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["phase", "agency"], name="stagedue_phase_agency")]
        constraints = [models.UniqueConstraint(fields=["process", "stage"], name="stagedue_once")]
