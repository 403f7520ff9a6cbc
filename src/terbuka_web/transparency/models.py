"""Models of the transparency app: the outbox of log entries and the log's sequenced state.

A LogEntry is written in the same transaction as the public change it records (outbox).
The sequencer later assigns it an index, writes tiles and signs a checkpoint.
"""

from __future__ import annotations

from django.db import models


class LogEntry(models.Model):
    """Hold the exact published bytes of one public state change, pending or sequenced."""

    kind = models.CharField(max_length=40, db_index=True, help_text="e.g. ocds.release")
    ref = models.CharField(max_length=300, db_index=True, help_text="what it records, e.g. an ocid")
    data = models.BinaryField(help_text="RFC 8785 canonical JSON, at most 64 KiB")
    created_at = models.DateTimeField(auto_now_add=True)
    index = models.BigIntegerField(null=True, blank=True, unique=True)
    sequenced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["index"], name="logentry_pending", condition=models.Q(index__isnull=True)
            )
        ]
