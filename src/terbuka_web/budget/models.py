"""Models of the budget app: APBD and APBDes lines per government, year and phase.

Phases (RKA → DPA → perubahan → realisasi) sit side by side as separate batches, never
overwritten: a corrected batch supersedes the earlier one of the same government, agency,
year, phase and semester, which stays stored. RegionBudget keeps each region's totals
(its own government's and its whole subtree's) and RegionBreakdown its spending by urusan,
bidang and account group, so a roll-up reads a handful of rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    RKA = "rka", _("RKA")
    DPA = "dpa", _("DPA / APBDes")
    PERUBAHAN = "perubahan", _("Perubahan (APBD-P)")
    REALISASI = "realisasi", _("Realisasi (LRA)")


class BudgetBatch(models.Model):
    """Hold one published set of lines: one government (and agency), year, phase, semester."""

    class Kind(models.TextChoices):
        APBD = "apbd", _("APBD")
        APBDES = "apbdes", _("APBDes")
        SUMMARY = "summary", _("Ringkasan DJPK")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=10, choices=Phase.choices)
    semester = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    current = models.BooleanField(default=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["region", "year", "current"])]


class BudgetLine(models.Model):
    """Hold one line of a batch: codes normalised, amount in integer Rupiah.

    For a DJPK summary, account is the Permendagri code ("" for DJPK-only groups) and name
    the DJPK name; planned and realised then come as two batches (dpa, realisasi).
    """

    batch = models.ForeignKey(BudgetBatch, on_delete=models.PROTECT, related_name="lines")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=10, choices=Phase.choices)
    current = models.BooleanField(default=True)
    summary = models.BooleanField(default=False)
    programme = models.CharField(max_length=24, blank=True, help_text="e.g. 1.03.10.2.01.0001")
    account = models.CharField(max_length=24, blank=True, help_text="e.g. 5.2.04.01.01.0001")
    fungsi = models.CharField(max_length=2, blank=True)
    name = models.CharField(max_length=300, blank=True)
    amount = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["region", "year", "current", "phase"])]


class RegionBudget(models.Model):
    """Keep one region's spending (belanja) totals of a year, maintained on every publication.

    own_*: its own government's lines (a regency's APBD, a village's APBDes); the other three:
    own plus every region below. adjusted is the perubahan where one exists, else the DPA.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    own_planned = models.BigIntegerField(default=0)
    own_adjusted = models.BigIntegerField(default=0)
    own_realised = models.BigIntegerField(default=0)
    planned = models.BigIntegerField(default=0)
    adjusted = models.BigIntegerField(default=0)
    realised = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="budget_region_year_unique")
        ]


class RegionBreakdown(models.Model):
    """Keep one region's spending of a year and phase under one breakdown key, maintained on
    every publication: by "urusan", "bidang" or "account" group (terbuka.budget.rollup).

    own_*: its own government's lines; amount and lines: own plus every region below. A key
    whose lines were all superseded keeps its row with lines 0 (pages skip it).
    """

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    by = models.CharField(max_length=8)
    key = models.CharField(max_length=16)
    phase = models.CharField(max_length=10, choices=Phase.choices)
    own_amount = models.BigIntegerField(default=0)
    own_lines = models.IntegerField(default=0)
    amount = models.BigIntegerField(default=0)
    lines = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "by", "key", "phase"], name="budget_breakdown_unique"
            )
        ]


class VillageProject(models.Model):
    """Hold one village development project (pembangunan) of an APBDes."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    location = models.CharField(max_length=200)
    volume = models.CharField(max_length=60, help_text="e.g. 350 m x 3 m")
    bidang = models.CharField(max_length=8, blank=True, help_text="e.g. 2.3.01")
    funding = models.JSONField(default=dict, help_text='e.g. {"4.2.1": 150000000}')
    progress = models.PositiveSmallIntegerField(default=0, help_text="percent, 0–100")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region", "year", "title"]

    @property
    def total(self) -> int:
        """Return the sum of the funding split."""
        return sum(int(v) for v in self.funding.values())


class VillageToken(models.Model):
    """Hold the SHA-256 of a village system's API token (the token itself is never stored)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked = models.BooleanField(default=False)
