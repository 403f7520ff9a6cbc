"""Models of the contracting app: processes, editable stage drafts, immutable releases, documents.

A process moves through five stages (Perencanaan, Pemilihan Penyedia, Pemenang, Kontrak,
Implementasi). Operators edit a StageDraft; publishing a stage freezes it into an immutable
Release (OCDS 1.1.5) and appends its canonical bytes to the transparency log in the same
transaction. Corrections are new releases, never edits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Name the five stages of Bojonegoro's Open Data Kontrak, in order."""

    PLANNING = "planning", _("Perencanaan")
    TENDER = "tender", _("Pemilihan Penyedia")
    AWARD = "award", _("Pemenang")
    CONTRACT = "contract", _("Kontrak")
    IMPLEMENTATION = "implementation", _("Implementasi")


STAGE_ORDER = [s.value for s in Stage]


class Method(models.TextChoices):
    """Name the Indonesian procurement methods (Perpres 16/2018 and its amendments)."""

    TENDER = "tender", _("Tender")
    SELEKSI = "seleksi", _("Seleksi")
    PENGADAAN_LANGSUNG = "pengadaan_langsung", _("Pengadaan Langsung")
    PENUNJUKAN_LANGSUNG = "penunjukan_langsung", _("Penunjukan Langsung")
    E_PURCHASING = "e_purchasing", _("E-Purchasing")


class Category(models.TextChoices):
    """Name the procurement categories (OCDS mainProcurementCategory; consultancy is services
    with additionalProcurementCategories consultingServices)."""

    GOODS = "goods", _("Barang")
    WORKS = "works", _("Pekerjaan konstruksi")
    SERVICES = "services", _("Jasa lainnya")
    CONSULTING = "consultingServices", _("Jasa konsultansi")


class Process(models.Model):
    """Hold one contracting process (one ocid) and the search fields derived from its releases."""

    ocid = models.CharField(max_length=100, unique=True)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="processes"
    )
    buyer_name = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    fiscal_year = models.PositiveSmallIntegerField(db_index=True)
    method = models.CharField(max_length=24, choices=Method.choices, blank=True, db_index=True)
    procurement_category = models.CharField(
        max_length=20, choices=Category.choices, blank=True, help_text=_("Kategori pengadaan")
    )
    stage_reached = models.CharField(
        max_length=16, choices=Stage.choices, blank=True, db_index=True
    )
    stages_published = models.JSONField(default=list, blank=True)
    value_idr = models.BigIntegerField(null=True, blank=True, db_index=True)
    imported = models.BooleanField(default=False)
    search_text = models.TextField(blank=True)
    compiled_release = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    first_published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_published_at", "-id"]
        verbose_name_plural = "processes"

    def __str__(self) -> str:
        return f"{self.ocid} {self.title}"


class StageDraft(models.Model):
    """Hold the editable working copy of one stage's form data before it is published."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="drafts")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    data = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    confirmations = models.JSONField(
        default=list,
        blank=True,
        help_text="Implausible values the operator confirmed: [{key, message_id, message_en, "
        "user, at}] (terbuka.ocds.plausibility).",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "stage"], name="one_draft_per_stage")
        ]


class Release(models.Model):
    """Hold one immutable OCDS release exactly as published; never updated, never deleted."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="releases")
    ocid = models.CharField(max_length=100, db_index=True)
    release_id = models.CharField(max_length=200)
    date = models.DateTimeField(db_index=True)
    tags = models.JSONField(default=list)
    stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    data = models.JSONField()
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the RFC 8785 canonical bytes")
    imported = models.BooleanField(default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Nullable without default: SQLite then adds the column in place, keeping the trigger
    # of migration 0002 (a remade table would lose it).
    confirmations = models.JSONField(
        null=True,
        blank=True,
        help_text="The draft's confirmed implausible values when it was published.",
    )

    class Meta:
        ordering = ["published_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ocid", "release_id"], name="unique_release_id")
        ]


class Document(models.Model):
    """Hold one uploaded PDF of a stage (DPA, Renja, KAK, jadwal…) with its SHA-256."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="documents")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    document_type = models.CharField(max_length=60, help_text="OCDS documentType codelist code")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=300)
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    release = models.ForeignKey(
        Release,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="The release that first published this document; null while still a draft.",
    )

    class Meta:
        ordering = ["stage", "uploaded_at", "id"]

    def get_absolute_url(self) -> str:
        """Return the path that serves the file: to all once published, else to its officials."""
        return reverse("document_file", args=[self.file.name])
