"""Models of the participation app: citizens' reports (LAPOR!-style cases), their timeline,
attachments, categories (the Open311 service codes), complaint coordinators, and Open311
API keys and tokens.

A report needs no account: the reporter holds its tracking ID and a follow secret (stored as
its SHA-256). Identity (name, contact) is kept sealed and never published; *anonim* hides it
from officers too; *rahasia* hides the whole case from the public and from officers with no
need to know.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terbuka_web.common.sealing import text_open, text_seal

IDENTITY = "case-identity"  # the sealing purpose of reporters' names and contacts


class Level(models.TextChoices):
    """Name the escalation ladder, lowest first (LEVELS keeps the order)."""

    DESA = "desa", _("Desa/Kelurahan")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KABUPATEN = "kabupaten", _("Kabupaten/Kota")
    PROVINSI = "provinsi", _("Provinsi")
    NASIONAL = "nasional", _("Nasional")


LEVELS = [level.value for level in Level]


class Category(models.Model):
    """Hold one category of reports; its code is the Open311 service_code."""

    code = models.SlugField(max_length=60, unique=True, help_text="Open311 service_code")
    name = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """Hold one report and where its workflow stands (state, deadline, escalation level)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Pengaduan")
        ASPIRATION = "aspiration", _("Aspirasi")
        REQUEST = "request", _("Permintaan layanan")

    class Subject(models.TextChoices):
        PROCESS = "process", _("Proses pengadaan")
        SERVICE = "service", _("Layanan publik")
        PLACE = "place", _("Tempat")

    class State(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        VERIFIED = "verified", _("Diverifikasi")
        REJECTED = "rejected", _("Ditolak")
        FORWARDED = "forwarded", _("Didisposisikan")
        IN_PROGRESS = "in_progress", _("Diproses")
        ANSWERED = "answered", _("Ditindaklanjuti")
        CLOSED = "closed", _("Selesai")
        REOPENED = "reopened", _("Dibuka kembali")

    class Due(models.TextChoices):
        FORWARD = "forward", _("Verifikasi dan disposisi")
        ANSWER = "answer", _("Tindak lanjut")
        CLOSE = "close", _("Penutupan otomatis")

    class Contact(models.TextChoices):
        NONE = "none", _("Tidak perlu dihubungi")
        EMAIL = "email", _("Surel")
        PHONE = "phone", _("Telepon/SMS/WhatsApp")

    tracking_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the follow secret")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases")
    subject = models.CharField(max_length=10, choices=Subject.choices)
    ocid = models.CharField(max_length=120, blank=True)
    service = models.CharField(max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    title = models.CharField(max_length=150)
    text = models.TextField()
    anonim = models.BooleanField(default=False)
    rahasia = models.BooleanField(default=False)
    reporter_name_sealed = models.BinaryField(default=b"", editable=False)
    contact_preference = models.CharField(
        max_length=8, choices=Contact.choices, default=Contact.NONE
    )
    contact_sealed = models.BinaryField(default=b"", editable=False)
    contact_hash = models.CharField(max_length=64, blank=True)
    client_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.KABUPATEN)
    due_kind = models.CharField(max_length=8, choices=Due.choices, blank=True)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    reminded_on = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(db_index=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    forwarded_on_time = models.BooleanField(null=True)
    answered_on_time = models.BooleanField(null=True)
    followup_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="working days from disposition to the first follow-up"
    )
    escalations = models.PositiveSmallIntegerField(default=0)
    reject_reason = models.TextField(blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [  # the rate limits: this address's or contact's reports of the last hour
            models.Index(fields=["client_hash", "received_at"], name="case_client_recent"),
            models.Index(fields=["contact_hash", "received_at"], name="case_contact_recent"),
        ]

    def __str__(self) -> str:
        return self.tracking_id

    # The reporter's name and contact are kept sealed (common.sealing); these read and set
    # them in clear, for the officers entitled to see them and for notices. "" when absent;
    # None when sealed with a secret key that is no longer configured.
    @property
    def reporter_name(self) -> str | None:
        return text_open(self.reporter_name_sealed, purpose=IDENTITY, field="reporter_name")

    @reporter_name.setter
    def reporter_name(self, value: str) -> None:
        self.reporter_name_sealed = text_seal(value, purpose=IDENTITY, field="reporter_name")

    @property
    def contact(self) -> str | None:
        return text_open(self.contact_sealed, purpose=IDENTITY, field="contact")

    @contact.setter
    def contact(self, value: str) -> None:
        self.contact_sealed = text_seal(value, purpose=IDENTITY, field="contact")


class TallyCounts(models.Model):
    """Hold the public statistics' counts of one group of cases (participation.tally)."""

    agency_pk = models.IntegerField(
        help_text="the cases' agency id (0: none); -1: a district's row"
    )
    district = models.CharField(
        max_length=8, help_text="a district's row: the first 8 characters of the region"
    )
    days = models.IntegerField(help_text="working days to the first follow-up; -1: none")
    received = models.BigIntegerField(default=0)
    forwarded = models.BigIntegerField(default=0)
    forwarded_on_time = models.BigIntegerField(default=0)
    answered = models.BigIntegerField(default=0)
    answered_on_time = models.BigIntegerField(default=0)
    escalated = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class CaseTally(TallyCounts):
    """Hold the counts of the cases that are not *rahasia*, one row per group: what the public
    statistics read instead of every case (participation.tally)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_pk", "district", "days"], name="tally_group")
        ]


class CaseTallyChange(TallyCounts):
    """Hold one change (+1/-1 per count) of a group, appended by database triggers on every
    insert, update and delete of a case in that case's transaction; participation.tally folds
    the changes into CaseTally (append-only: concurrent reports never wait on a counter row)."""


class CaseEvent(models.Model):
    """Hold one step of a case's timeline: a state change, an escalation or a reminder."""

    class Kind(models.TextChoices):
        STATE = "state", _("Perubahan status")
        ESCALATED = "escalated", _("Eskalasi")
        REMINDER = "reminder", _("Pengingat")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=12, choices=Case.State.choices, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    by_reporter = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class Attachment(models.Model):
    """Hold one checked attachment of a case: a PDF or a photo stripped of its metadata."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    content_type = models.CharField(max_length=40)
    name = models.CharField(max_length=150)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["id"]


class Coordinator(models.Model):
    """Make a user the complaint coordinator of a level over a region (none: nasional)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinations"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "level", "region"], name="coordinator_unique")
        ]


class ApiKey(models.Model):
    """Hold one Open311 application's API key, as its SHA-256 (shown once, revocable)."""

    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class RequestToken(models.Model):
    """Tie an Open311 token (kept as its SHA-256) to the case its POST filed."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="open311_token")
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)


class SurveyQuestion(models.Model):
    """Hold one version of a satisfaction question; editing a question adds a version, so the
    answers given to an older one keep it (and their own frozen copy of its text)."""

    class Key(models.TextChoices):
        CASE = "case", _("Tindak lanjut laporan")
        VISIT = "visit", _("Kunjungan layanan")

    key = models.CharField(max_length=8, choices=Key.choices)
    version = models.PositiveIntegerField()
    text = models.CharField(max_length=300)
    text_en = models.CharField(max_length=300)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="survey_question_version")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class VisitToken(models.Model):
    """Hold one visit token (kept as its SHA-256) an officer hands out at a public service of
    their agency; it buys one survey answer."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at", "-id"]


class Rating(models.IntegerChoices):
    """Name the four points of the satisfaction scale, best first in RATINGS."""

    SANGAT_PUAS = 4, _("Sangat Puas")
    PUAS = 3, _("Puas")
    CUKUP_PUAS = 2, _("Cukup Puas")
    TIDAK_PUAS = 1, _("Tidak Puas")


RATINGS = [rating.value for rating in Rating]


class SurveyAnswer(models.Model):
    """Hold one satisfaction answer: for a closed case (its reporter) or a visit token, with a
    frozen copy of the question's text; its comment is published only once moderated."""

    class Comment(models.TextChoices):
        NONE = "none", _("Tanpa komentar")
        PENDING = "pending", _("Menunggu moderasi")
        PUBLISHED = "published", _("Diterbitkan")
        HIDDEN = "hidden", _("Tidak diterbitkan")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="survey_answer"
    )
    visit = models.OneToOneField(
        VisitToken, null=True, blank=True, on_delete=models.CASCADE, related_name="answer"
    )
    service = models.CharField(max_length=200, blank=True)
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    question_text = models.CharField(max_length=300)
    question_text_en = models.CharField(max_length=300)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    comment = models.TextField(blank=True)
    comment_state = models.CharField(
        max_length=10, choices=Comment.choices, default=Comment.NONE, db_index=True
    )
    answered_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, visit__isnull=True)
                | models.Q(case__isnull=True, visit__isnull=False),
                name="survey_answer_one_subject",
            )
        ]
