"""Services of the transparency app: append public state changes to the log's outbox."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from terbuka.canonical import canonical_json
from terbuka.errors import ValidationError
from terbuka_web.transparency.models import LogEntry

MAX_ENTRY_BYTES = 64 * 1024


def entry_append(*, kind: str, ref: str, payload: dict[str, Any]) -> LogEntry:
    """Append payload's canonical JSON as a pending log entry, inside the caller's transaction.

    Raises ValidationError when the canonical bytes exceed 64 KiB (documents go in by hash)
    or when called outside an atomic block (the entry must commit with its change).
    Example entry bytes: {"kind":"ocds.release","release":{...}}.
    """
    if not transaction.get_connection().in_atomic_block:
        raise ValidationError(
            "entri log harus ditulis dalam transaksi yang sama dengan perubahannya",
            "a log entry must be written in the same transaction as its change",
        )
    data = canonical_json({"kind": kind, **payload})
    if len(data) > MAX_ENTRY_BYTES:
        raise ValidationError(
            f"entri log {len(data)} bita melebihi batas 65536 bita",
            f"log entry of {len(data)} bytes exceeds the 65536-byte limit",
            where=ref,
        )
    return LogEntry.objects.create(kind=kind, ref=ref, data=data)
