"""Models of the accounts app: agencies (perangkat daerah), users with roles, audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """Hold one agency (perangkat daerah) of a government: a Dinas, Badan, RSUD, Kecamatan…"""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        SATPOL_PP = "satpol_pp", _("Satpol PP")
        BAGIAN = "bagian", _("Bagian Sekretariat Daerah")
        RSUD = "rsud", _("RSUD")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Pemerintah Desa")
        OTHER = "other", _("Lainnya")

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    government = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Pemerintah (provinsi, kabupaten/kota atau desa) pemilik perangkat daerah"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Name what a user may do; the matrix lives in accounts.selectors.user_can."""

    ADMIN = "admin", _("Admin (Diskominfo)")
    PA = "pa", _("Pengguna Anggaran (PA)")
    PPK = "ppk", _("KPA/PPK")
    PPTK = "pptk", _("PPTK")
    OPERATOR = "operator", _("Operator")
    AUDITOR = "auditor", _("Auditor (Inspektorat/BPK)")


class User(AbstractUser):
    """Hold an official's account: one role, and the agency it acts for (none for admin/auditor)."""

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.OPERATOR)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    password_change_required = models.BooleanField(
        default=False,
        help_text=_("Sandi sekali pakai dari admin: wajib diganti sebelum bekerja"),
    )


class AuditEvent(models.Model):
    """Record who did what, when, to what: one row per write, tagged source:subject:action."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(
        max_length=100, db_index=True, help_text="e.g. contracting:stage:publish"
    )
    target = models.CharField(max_length=200, blank=True, db_index=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
