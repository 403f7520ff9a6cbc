"""Models of the federation app: remote Terbuka instances, what was harvested, and alerts.

A Remote pins the other instance's tlog-policy (log key and witnesses) and remembers the last
checkpoint accepted from it, so a later fork or rollback is caught. Harvested releases and
budget batches keep their remote (and its origin) for good: they are never re-signed nor put
in this instance's log as its own; the remote's region totals and breakdowns (for the charts)
are computed from its batches. An alert is written when a harvest is stopped; it is never
deleted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RemoteStatus(models.TextChoices):
    NEW = "new", _("belum dipanen")
    OK = "ok", _("sehat")
    STOPPED = "stopped", _("dihentikan: log bercabang atau mundur")


class Remote(models.Model):
    """Hold one harvested instance: its URL, pinned policy and the last checkpoint accepted."""

    url = models.URLField(max_length=500, unique=True, help_text="base URL, ending in /")
    origin = models.CharField(max_length=200, help_text="log origin, e.g. kab.example/log")
    vkey = models.CharField(max_length=300, help_text="pinned log verifier key")
    policy = models.TextField(help_text="pinned tlog-policy text (log key and witnesses)")
    last_size = models.BigIntegerField(default=0)
    last_root = models.BinaryField(max_length=32, null=True, blank=True)
    last_note = models.TextField(blank=True, help_text="the last accepted checkpoint note")
    cursors = models.JSONField(default=dict, blank=True, help_text='{"ocds": "<after>"}')
    status = models.CharField(max_length=10, choices=RemoteStatus.choices, default="new")
    harvested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["origin"]

    def __str__(self) -> str:
        return self.origin


class HarvestedRelease(models.Model):
    """Hold one OCDS release as the remote published it, with its index in the remote's log."""

    remote = models.ForeignKey(Remote, on_delete=models.PROTECT, related_name="releases")
    ocid = models.CharField(max_length=200)
    release_id = models.CharField(max_length=200)
    release = models.JSONField()
    log_index = models.BigIntegerField(help_text="index in the remote's log")
    title = models.CharField(max_length=500, blank=True)
    buyer = models.CharField(max_length=300, blank=True)
    date = models.CharField(max_length=40, blank=True, help_text="the release's date")
    harvested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["remote", "release_id"], name="harvested_release_unique"
            )
        ]
        indexes = [models.Index(fields=["remote", "ocid"], name="harvested_release_ocid")]


class RemoteAlert(models.Model):
    """Hold why a harvest was stopped (fork, rollback, untrusted checkpoint), for admins."""

    remote = models.ForeignKey(Remote, on_delete=models.PROTECT, related_name="alerts")
    code = models.CharField(max_length=40, help_text="error code, e.g. federation_fork")
    message_id = models.TextField()
    message_en = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class HarvestedBudget(models.Model):
    """Hold one budget batch as the remote published and logged it, with its lines.

    current is False once a later batch of the same government, agency, year, phase and
    semester came from the same remote (as the remote supersedes it). spending is the sum of
    its belanja (akun 5) lines, 0 for a reported DJPK summary.
    """

    remote = models.ForeignKey(Remote, on_delete=models.PROTECT, related_name="budgets")
    batch = models.BigIntegerField(help_text="the batch's id on the remote")
    kind = models.CharField(max_length=8, help_text="apbd, apbdes or summary")
    region = models.CharField(max_length=40, help_text="Kemendagri code, e.g. 35.22")
    agency = models.CharField(max_length=40, blank=True)
    year = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=10)
    semester = models.PositiveSmallIntegerField(default=0)
    spending = models.BigIntegerField(default=0)
    entry = models.JSONField(help_text="the remote's budget.batch log entry")
    lines = models.JSONField(help_text="the lines, as hashed into the entry's sha256")
    log_index = models.BigIntegerField(help_text="index in the remote's log")
    current = models.BooleanField(default=True)
    harvested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["remote", "batch"], name="harvested_budget_unique")
        ]
        indexes = [models.Index(fields=["remote", "year", "current"], name="harvested_budget_year")]


class HarvestedRegionBudget(models.Model):
    """Keep one remote's spending totals of a region's subtree and year, from its batches."""

    remote = models.ForeignKey(Remote, on_delete=models.PROTECT, related_name="region_budgets")
    region = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    planned = models.BigIntegerField(default=0)
    adjusted = models.BigIntegerField(default=0)
    realised = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["remote", "region", "year"], name="harvested_region_budget_unique"
            )
        ]
        indexes = [models.Index(fields=["region", "year"], name="harvested_region_year")]


class HarvestedRegionBreakdown(models.Model):
    """Keep one remote's spending of a region's subtree, year and phase under one breakdown
    key ("urusan", "bidang" or "account" group, as budget.RegionBreakdown), from its batches."""

    remote = models.ForeignKey(Remote, on_delete=models.PROTECT, related_name="region_breakdowns")
    region = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    by = models.CharField(max_length=8)
    key = models.CharField(max_length=16)
    phase = models.CharField(max_length=10)
    amount = models.BigIntegerField(default=0)
    lines = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["remote", "region", "year", "by", "key", "phase"],
                name="harvested_region_breakdown_unique",
            )
        ]
        indexes = [models.Index(fields=["region", "year"], name="harvested_breakdown_year")]
