"""Store the money ledger: accounts with a balance cache, postings as canonical JSON, legs.

Rows are written only by terbuka_web.ledger.services (never edited, never deleted: a mistake
is corrected by a new posting). The balance of an account is a cache of the sum of its legs
(credits minus debits); ledger_check (selectors) proves the two agree.
"""

from __future__ import annotations

from django.db import models

from terbuka.money.accounts import CURRENCY, Kind


class Account(models.Model):
    """Hold one ledger account, named "<kind>:<reference>" (terbuka.money.accounts).

    The owner is referred to by the key only (e.g. "programme:<id>", "entitlement:<programme>:
    <pseudonym>"), never by a citizen's NIK or name. Only treasury accounts may go negative;
    the database refuses a negative balance of any other kind as a last line of defence.
    """

    key = models.CharField(max_length=220, unique=True)
    kind = models.CharField(max_length=12, choices=[(k.value, k.value) for k in Kind])
    currency = models.CharField(max_length=3, default=CURRENCY)
    balance = models.BigIntegerField(default=0, help_text="Rupiah; sum of credits minus debits")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0) | models.Q(kind=Kind.TREASURY.value),
                name="ledger_account_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(currency=CURRENCY), name="ledger_account_currency_idr"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.balance}"


class Posting(models.Model):
    """Hold one posting: its idempotency key, RFC 8785 canonical JSON and that JSON's SHA-256.

    The canonical JSON (terbuka.money.posting) is the record; the legs are its rows for sums.
    """

    key = models.CharField(max_length=200, unique=True)
    canonical = models.TextField(help_text="RFC 8785 canonical JSON of the posting")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.key


class Leg(models.Model):
    """Hold one leg of a posting: an account, a side and a positive amount in Rupiah."""

    class Side(models.TextChoices):
        DEBIT = "debit"
        CREDIT = "credit"

    # No index of its own: the unique (posting, position) below serves lookups by posting, and
    # a cycle writes a leg per credit, so each index less is a million entries less to write.
    # db_constraint=False: on PostgreSQL both references are checked once per statement by
    # triggers instead of a locking query per row (common.references, migration 0004); SQLite
    # keeps its foreign keys.
    posting = models.ForeignKey(
        Posting, on_delete=models.PROTECT, related_name="legs", db_index=False, db_constraint=False
    )
    position = models.PositiveIntegerField(help_text="index of the leg in the canonical JSON")
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="legs", db_constraint=False
    )
    side = models.CharField(max_length=6, choices=Side.choices)
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["posting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "position"], name="ledger_leg_position"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="ledger_leg_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.side} {self.amount} {self.account_id}"
