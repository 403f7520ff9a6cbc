"""Models of the benefits app: the private beneficiary registry and programmes with rule versions.

Registry rows never hold an identity in clear: the NIK and KK number only as keyed hashes
(HMAC-SHA-256), name and address sealed (AES-GCM); nothing of a Registrant is ever public.
A Programme's rules live in RuleVersion rows; a version is adopted only by a consortium
decision (governance proposal type programme_rules). Disbursement cycles will hang off a
Programme and the RuleVersion in force when they run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryImport(models.Model):
    """Record one registry file imported whole: who, when, its SHA-256 and its row count."""

    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-id"]


class Registrant(models.Model):
    """Hold one registrant: hashed numbers, sealed name and address, the attributes rules read.

    duplicate is set on every registrant whose NIK hash appears more than once; such
    registrants, and those flagged meninggal, are refused from every cycle.
    """

    source = models.ForeignKey(RegistryImport, on_delete=models.PROTECT, related_name="registrants")
    row = models.PositiveIntegerField(help_text=_("Baris di berkas impor"))
    nik_hash = models.CharField(max_length=64, db_index=True)
    kk_hash = models.CharField(max_length=64, db_index=True)
    name_sealed = models.BinaryField()
    address_sealed = models.BinaryField()
    village_code = models.CharField(max_length=13, db_index=True)
    household = models.PositiveSmallIntegerField()
    desil = models.PositiveSmallIntegerField()
    disabilitas = models.BooleanField(default=False)
    lansia = models.BooleanField(default=False)
    meninggal = models.BooleanField(default=False)
    duplicate = models.BooleanField(default=False)

    class Meta:
        ordering = ["village_code", "id"]


class Programme(models.Model):
    """Hold a benefit programme: budget (Rupiah), period, regions (code prefixes), rules."""

    slug = models.SlugField(max_length=60, unique=True, help_text=_("Kode program di URL dan API"))
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    budget = models.BigIntegerField(help_text=_("Pagu dalam Rupiah"))
    period_start = models.DateField()
    period_end = models.DateField()
    regions = models.JSONField(default=list, help_text='e.g. ["35.22"]: region code prefixes')
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="programmes"
    )
    current = models.ForeignKey(
        "RuleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    schedule_day = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Siklus otomatis tiap bulan pada tanggal ini (1–28)")
    )
    on_disaster = models.BooleanField(
        default=False, help_text=_("Siklus otomatis saat bencana ditetapkan di wilayahnya")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RuleVersion(models.Model):
    """Hold one version of a programme's rules: the wire form, its hash and readable text.

    Proposed when its programme_rules proposal is made; adopted (and made current) by the
    decision, which writes the benefit.rules log entry in the same transaction.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Diusulkan")
        ADOPTED = "adopted", _("Berlaku")
        SUPERSEDED = "superseded", _("Diganti")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    rules = models.JSONField(help_text="{eligibility, entitlement, parameters}")
    rule_hash = models.CharField(max_length=64)
    text = models.TextField(help_text=_("Aturan dalam bahasa sehari-hari"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    proposal = models.ForeignKey(
        "governance.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "governance.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True)
    totals_basis = models.CharField(
        max_length=64, blank=True, default="",
        help_text="SHA-256 of the declared zones and date its totals were computed under",
    )  # fmt: skip

    class Meta:
        ordering = ["programme_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="rule_version_once")
        ]


class VillageTotal(models.Model):
    """Hold one village's eligible count and Rupiah under one adopted rule version.

    Computed when the version is adopted, again after each registry import, and again when
    what they were computed under changes (RuleVersion.totals_basis: a disaster declared, in
    force or ended), so public pages read current aggregates and never evaluate (nor touch) a
    registrant.
    """

    version = models.ForeignKey(RuleVersion, on_delete=models.CASCADE, related_name="totals")
    village_code = models.CharField(max_length=13)
    eligible = models.PositiveIntegerField(default=0)
    amount = models.BigIntegerField(default=0)
    ineligible = models.PositiveIntegerField(default=0)
    deceased = models.PositiveIntegerField(default=0)
    duplicate = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version_id", "village_code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "village_code"], name="village_total_once")
        ]


class Cycle(models.Model):
    """Hold one disbursement cycle of a programme: its number, the rule version it ran under.

    Started, its snapshot (CycleItem, CycleVillage) is taken in one transaction; credits are
    then posted in committed chunks, each with its log entries, so a killed run resumes where
    it stopped (items not yet credited) and pays nobody twice. Done when every village's total
    is logged.

    Items are credited in ascending id, so the credited ones are those up to credited_through,
    which each chunk moves on in its own transaction (one row written per chunk, not each item
    updated).
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cycles")
    number = models.PositiveIntegerField()
    version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="cycles")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(help_text=_("Hak yang tidak dibelanjakan ditarik sesudahnya"))
    clawed_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(
        max_length=40,
        blank=True,
        default="",
        help_text='"jadwal:2026-03", "bencana:4"; "": officer',
    )
    credited_through = models.BigIntegerField(
        default=0, help_text="id of the last item credited: the cycle's items up to it are"
    )

    class Meta:
        ordering = ["programme_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="benefit_cycle_once"),
            models.UniqueConstraint(
                fields=["programme", "trigger"],
                condition=~models.Q(trigger=""),
                name="benefit_cycle_trigger_once",
            ),
        ]


class CycleItemQuerySet(models.QuerySet["CycleItem"]):
    """Select cycle items by whether their cycle has credited them yet."""

    def credited(self) -> CycleItemQuerySet:
        """Return the items already credited: those up to their cycle's credited_through."""
        return self.filter(id__lte=models.F("cycle__credited_through"))


class CycleItem(models.Model):
    """Hold one eligible registrant's entitlement in a cycle (snapshot), under its pseudonym;
    credited once its id is at most its cycle's credited_through."""

    # No index of its own: the unique (cycle, registrant) below serves lookups by cycle, and a
    # cycle writes an item per credit, so each index less is a million entries less to write.
    # db_constraint=False: on PostgreSQL both references are checked once per statement by
    # triggers instead of a locking query per row (common.references, migration 0007); SQLite
    # keeps its foreign keys.
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="items", db_index=False, db_constraint=False
    )
    registrant = models.ForeignKey(
        Registrant, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    village_code = models.CharField(max_length=13)
    pseudonym = models.CharField(max_length=32)
    amount = models.BigIntegerField()
    clawed_back = models.BigIntegerField(default=0)

    objects = CycleItemQuerySet.as_manager()

    class Meta:
        ordering = ["cycle_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "registrant"], name="cycle_item_once"),
            models.UniqueConstraint(fields=["cycle", "pseudonym"], name="cycle_pseudonym_once"),
        ]


class CycleVillage(models.Model):
    """Hold one village's figures in a cycle: allocated at the snapshot, refusals by reason."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="villages")
    village_code = models.CharField(max_length=13)
    allocated = models.BigIntegerField(default=0)
    eligible = models.PositiveIntegerField(default=0)
    ineligible = models.PositiveIntegerField(default=0)
    deceased = models.PositiveIntegerField(default=0)
    duplicate = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["cycle_id", "village_code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "village_code"], name="cycle_village_once")
        ]


class Disaster(models.Model):
    """Hold one declared disaster: region codes and dates; public, and logged when declared.

    While declared (starts_on ≤ today ≤ ends_on) its regions are in the rules' disaster_zones,
    and each programme with on_disaster whose regions overlap them gets one cycle.
    """

    title = models.CharField(max_length=200)
    regions = models.JSONField(help_text='e.g. ["35.22.05"]: region codes')
    starts_on = models.DateField()
    ends_on = models.DateField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    entry_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]


class CycleStart(models.Model):
    """Hold one condition that asks for a cycle of a programme, and what became of it.

    Its trigger is that of the cycle it starts: "jadwal:2026-03" (a schedule month, caught up
    when the tick was down), "bencana:4" (a declared disaster) or "petugas:…" (an officer's
    request from the web or the API). The benefits tick attempts the pending ones; a refusal
    (fund short, a rule failing for one row …) is recorded here once with its reason and the
    fingerprint of what it depended on (rule version, fund balance, last registry import,
    declared zones), and attempted again only when that changes or an officer retries.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        REFUSED = "refused", _("Ditolak")
        STARTED = "started", _("Dimulai")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="starts")
    trigger = models.CharField(max_length=40)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    reason = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)
    where = models.CharField(max_length=200, blank=True)
    fingerprint = models.CharField(max_length=200, blank=True)
    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["programme_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "trigger"], name="benefit_start_once")
        ]


class OfficerToken(models.Model):
    """Hold the SHA-256 of an officer's token for the benefits API's writes (never the token).

    A request with "Authorization: Bearer <token>" acts as user, whose role and agency are
    checked by each write as on the web.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked = models.BooleanField(default=False)
