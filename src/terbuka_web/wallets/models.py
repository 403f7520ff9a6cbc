"""Models of the wallets app: citizens' wallet keys, enrolment challenges, programmes' purpose
bindings, approved merchants, accepted payments, offline allowances, synced vouchers and
the grievance queue of offline double spends.

A Wallet holds only the public key (its did:key) and the head of its intent chain; the money
is on the ledger ("wallet:<did>:<programme>"). Its registrant link is private: nothing public
names it, the log shows the did:key only (a pseudonym).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terbuka.money.intent import GENESIS


class Wallet(models.Model):
    """Hold one enrolled wallet key of a registrant: its did:key, its chain head, its state."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        REVOKED = "revoked", _("Dicabut")

    did = models.CharField(max_length=60, unique=True)
    registrant = models.ForeignKey(
        "benefits.Registrant", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    counter = models.BigIntegerField(default=0, help_text="counter of the last accepted intent")
    head = models.CharField(max_length=43, default=GENESIS, help_text="hash of that intent")
    enrolled_at = models.DateTimeField()
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registrant"],
                condition=models.Q(status="active"),
                name="wallet_one_active_per_registrant",
            )
        ]

    def __str__(self) -> str:
        return self.did


class EnrolChallenge(models.Model):
    """Hold a challenge an officer issued at the desk for one registrant (used once).

    replaces is the registrant's active wallet when the challenge re-enrols a lost key.
    """

    challenge = models.CharField(max_length=43, unique=True)
    registrant = models.ForeignKey(
        "benefits.Registrant", on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires = models.BigIntegerField(help_text="unix seconds")
    replaces = models.ForeignKey(
        Wallet, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class Purpose(models.Model):
    """Hold what a programme's money in wallets may buy: merchant categories and caps.

    Its regions are the programme's; its expiry the programme's last day (WIB).
    """

    programme = models.OneToOneField(
        "benefits.Programme", on_delete=models.PROTECT, related_name="purpose"
    )
    categories = models.JSONField(default=list, help_text='e.g. ["atk"]; empty: any')
    payment_cap = models.BigIntegerField(default=0, help_text=_("Rupiah; 0: tanpa batas"))
    day_cap = models.BigIntegerField(default=0, help_text=_("Rupiah; 0: tanpa batas"))


class Merchant(models.Model):
    """Hold a merchant approved by an officer of its region for one category."""

    class Category(models.TextChoices):
        ATK = "atk", _("Toko alat tulis dan perlengkapan sekolah")
        BIMBEL = "bimbel", _("Bimbingan belajar")
        WARUNG = "warung", _("Warung sembako")
        APOTEK = "apotek", _("Apotek")

    code = models.CharField(max_length=32, unique=True, help_text="e.g. toko-ani")
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=8, choices=Category.choices)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField()
    sync_token_sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 (hex) of the merchant's sync token"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Payment(models.Model):
    """Hold one accepted payment: the signed intent's wire text and what it moved."""

    intent_hash = models.CharField(max_length=43, unique=True)
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="payments")
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="payments")
    programme = models.CharField(max_length=32)
    amount = models.BigIntegerField()
    counter = models.BigIntegerField()
    day = models.IntegerField(help_text="day number in the cap's time zone (WIB)")
    intent = models.TextField(help_text="TPI1 wire text, as signed")
    offline = models.BooleanField(default=False)
    accepted_at = models.DateTimeField()
    entry_id = models.BigIntegerField(help_text="its transparency-log entry")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["wallet", "counter"], name="payment_counter_once")
        ]


class OfflineAllowance(models.Model):
    """Hold an offline allowance the server signed for a wallet, and its offline chain.

    The request (a signed intent to "luring") moved amount into the wallet's offline reserve;
    vouchers synced under the allowance are paid from there. head_counter/head_hash are the
    last accepted offline intent (start - 1 and the request's hash before any); spent what
    the accepted ones paid; returned what went back to the wallet when it closed.
    """

    hash = models.CharField(max_length=43, unique=True, help_text="allowance hash")
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="allowances")
    programme = models.CharField(max_length=32)
    text = models.TextField(help_text="TOA1 wire text, as signed")
    request = models.TextField(help_text="the request intent's TPI1 wire text")
    request_hash = models.CharField(max_length=43, unique=True)
    amount = models.BigIntegerField()
    start = models.BigIntegerField()
    count = models.IntegerField()
    expires = models.BigIntegerField(help_text="unix seconds")
    head_counter = models.BigIntegerField()
    head_hash = models.CharField(max_length=43)
    spent = models.BigIntegerField(default=0)
    returned = models.BigIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class OfflineVoucher(models.Model):
    """Hold one voucher a merchant synced, in arrival order (id), and what became of it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Menunggu niat sebelumnya")
        ACCEPTED = "accepted", _("Diterima")
        GRIEVANCE = "grievance", _("Pengaduan (belanja ganda)")

    intent_hash = models.CharField(max_length=43, unique=True)
    allowance = models.ForeignKey(
        OfflineAllowance, on_delete=models.PROTECT, related_name="vouchers"
    )
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="+")
    intent = models.TextField(help_text="TPI1 wire text, as signed")
    counter = models.BigIntegerField()
    amount = models.BigIntegerField()
    status = models.CharField(max_length=9, choices=Status.choices)
    synced_at = models.DateTimeField()
    taken = models.BigIntegerField(
        null=True, help_text="unix seconds the merchant took it (as sync rules read it)"
    )

    class Meta:
        ordering = ["id"]


class Grievance(models.Model):
    """Hold an offline double spend for an officer: the losing voucher and the signed evidence.

    reason: counter (one counter, two intents), fork (two intents after one intent, or one
    after a losing branch), overdrawn (above the allowance), late (synced after the allowance
    closed), gap (its predecessor never synced before the allowance closed), or a purpose rule
    the merchant should have refused it by (expired, wrong_category, wrong_region,
    over_payment_cap, over_day_cap: offline.sync_rules_check). An officer of the
    merchant's region resolves it once (grievances.grievance_resolve): decision, note, who, when.
    """

    class Reason(models.TextChoices):
        COUNTER = "counter", _("Nomor urut dipakai dua kali")
        FORK = "fork", _("Rantai niat bercabang")
        OVERDRAWN = "overdrawn", _("Melebihi jatah luring")
        LATE = "late", _("Disinkronkan setelah jatah ditutup")
        GAP = "gap", _("Niat sebelumnya tidak pernah disinkronkan")
        EXPIRED = "expired", _("Sudah kedaluwarsa saat diterima")
        CATEGORY = "wrong_category", _("Kategori toko tidak diizinkan program")
        REGION = "wrong_region", _("Wilayah toko di luar wilayah program")
        PAYMENT_CAP = "over_payment_cap", _("Melebihi batas per pembayaran")
        DAY_CAP = "over_day_cap", _("Melebihi batas harian")

    class Decision(models.TextChoices):
        REJECTED = "rejected", _("Ditolak: pedagang menanggung kerugiannya")
        REFER = "refer", _("Diteruskan untuk ditindaklanjuti")

    voucher = models.OneToOneField(
        OfflineVoucher, on_delete=models.PROTECT, related_name="grievance"
    )
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    evidence = models.JSONField(help_text="signed intents (TPI1 wire texts) of the conflict")
    created_at = models.DateTimeField()
    resolved = models.BooleanField(default=False)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    note = models.TextField(blank=True, help_text="the officer's note (never in the log)")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class Settlement(models.Model):
    """Hold one redemption of a merchant's takings to Rupiah: which payments, how much.

    key is the caller's idempotency key (unique): asking again with it returns this row.
    totals maps each programme to its Rupiah; the officer stays off every public output.
    """

    key = models.CharField(max_length=32, unique=True)
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="settlements")
    amount = models.BigIntegerField()
    count = models.IntegerField(help_text="payments settled")
    totals = models.JSONField(help_text='{"pip-2026": 450000}')
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    entry_id = models.BigIntegerField(help_text="its transparency-log entry")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.key


class SettledPayment(models.Model):
    """Tie a payment to the one settlement that paid it out (unique: never settled twice)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="settled")
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="items")

    class Meta:
        ordering = ["id"]
