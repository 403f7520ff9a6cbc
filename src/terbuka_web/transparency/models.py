"""Models of the transparency app: the outbox of log entries and the log's sequenced state.

A LogEntry is written in the same transaction as the public change it records (outbox).
The sequencer later integrates the pending entries in id order as one LogBatch, writes tiles
and signs a checkpoint, all in one transaction that holds the LogState row lock, so the log
and its outbox never disagree. Entry rows are never updated: a batch maps its id range to
consecutive log indices, so sequencing writes one row per batch, not one per entry.
"""

from __future__ import annotations

from django.db import models


class LogEntry(models.Model):
    """Hold the exact published bytes of one public state change, pending or sequenced."""

    kind = models.CharField(max_length=40, help_text="e.g. ocds.release")
    ref = models.CharField(max_length=300, help_text="what it records, e.g. an ocid")
    data = models.BinaryField(help_text="RFC 8785 canonical JSON, at most 64 KiB")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        # One index on ref (entry_index_for; migration 0009 makes it a hash index on PostgreSQL):
        # db_index would add a second, LIKE-pattern index there that every insert must also
        # write. Pending entries are those with id > LogState.last_id; an entry's index comes
        # from the LogBatch holding its id.
        indexes = [models.Index(fields=["ref"], name="logentry_ref")]


class LogBatch(models.Model):
    """Map one sequencing batch's entry ids to consecutive log indices.

    The committed LogEntry rows with first_id <= id <= last_id, in id order, are the entries
    at indices first_index … first_index+entries-1. gaps lists the ids inside that range that
    no committed row holds (ids of rolled-back transactions), as inclusive [low, high] runs,
    e.g. [[17, 17], [40, 52]]; they never appear later (see services.log_sequence).
    """

    first_index = models.BigIntegerField(unique=True)
    entries = models.BigIntegerField(help_text="number of entries in the batch")
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField(unique=True)
    gaps = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["first_index"]


class LogState(models.Model):
    """Hold the log's current size and root: one row (pk 1), locked by the sequencer."""

    size = models.BigIntegerField(default=0)
    last_id = models.BigIntegerField(default=0, help_text="id of the last sequenced entry")
    root = models.BinaryField(
        max_length=32, help_text="RFC 6962 root hash of the first size entries"
    )
    updated_at = models.DateTimeField(auto_now=True)


class Tile(models.Model):
    """Hold the latest version of one hash tile (C2SP tlog-tiles); full tiles never change.

    A partial tile of width W is the first 32·W bytes of any wider version of the same tile,
    so one row per (level, index) serves every width up to the stored one.
    """

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    width = models.PositiveSmallIntegerField(help_text="hashes in the tile, 1–256; 256 = full")
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "index"], name="tile_level_index_unique")
        ]


class Checkpoint(models.Model):
    """Hold one signed checkpoint of the log (C2SP tlog-checkpoint inside a signed note)."""

    size = models.BigIntegerField(db_index=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField(help_text="the signed note, exactly as served at /log/checkpoint")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"


class WitnessCosignature(models.Model):
    """Hold one witness's cosignature of a checkpoint (C2SP tlog-cosignature), as received."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="cosignatures"
    )
    witness = models.CharField(max_length=200, help_text="policy name of the witness")
    group = models.CharField(max_length=60, help_text="stakeholder class, e.g. auditor")
    line = models.TextField(help_text="the note signature line `— name base64(...)`")
    cosigned_at = models.DateTimeField(help_text="the timestamp inside the cosignature")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checkpoint_id", "witness"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "witness"], name="cosignature_checkpoint_witness_unique"
            )
        ]


class WitnessStatus(models.Model):
    """Hold what the log knows of one witness: the last size it cosigned, the last error and
    when either last changed (contacted_at)."""

    witness = models.CharField(max_length=200, unique=True)
    last_size = models.BigIntegerField(default=0)
    contacted_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
