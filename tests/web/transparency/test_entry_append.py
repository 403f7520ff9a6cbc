"""Check the outbox: entries commit with their change, never alone, never oversized."""

from __future__ import annotations

import pytest
from django.db import transaction

from terbuka.errors import ValidationError
from terbuka.tlog.tiles import MAX_ENTRY_SIZE
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.selectors import entries_pending
from terbuka_web.transparency.services import entry_append, entry_append_many

pytestmark = pytest.mark.django_db(transaction=True)


def test_entry_append_refuses_outside_a_transaction() -> None:
    with pytest.raises(ValidationError) as info:
        entry_append(kind="test", ref="r1", payload={"a": 1})
    assert "transaksi" in info.value.message_id
    assert "transaction" in info.value.message_en
    assert not LogEntry.objects.exists()


def test_entry_append_refuses_entries_a_bundle_cannot_hold() -> None:
    fits = b'{"kind":"t","x":""}'  # the payload's canonical bytes around x's value
    with transaction.atomic():
        entry_append(kind="t", ref="fits", payload={"x": "a" * (0xFFFF - len(fits))})
        with pytest.raises(ValidationError) as info:
            entry_append(kind="t", ref="big", payload={"x": "a" * (0x10000 - len(fits))})
    assert info.value.where == "big"
    assert "64 KB (65,536 bytes) exceeds the 64 KB limit (65,535 bytes)" in info.value.message_en
    assert list(LogEntry.objects.values_list("ref", flat=True)) == ["fits"]


def test_entry_append_writes_canonical_json_pending() -> None:
    with transaction.atomic():
        entry = entry_append(kind="ocds.release", ref="ocds-x-1", payload={"b": 2, "a": [1]})
    stored = LogEntry.objects.get(pk=entry.pk)
    assert bytes(stored.data) == b'{"a":[1],"b":2,"kind":"ocds.release"}'
    assert entries_pending()


def test_rollback_of_the_publishing_transaction_leaves_no_entry() -> None:
    class PublishFailed(Exception):
        pass

    with pytest.raises(PublishFailed), transaction.atomic():
        entry_append(kind="t", ref="gone", payload={"n": 1})
        raise PublishFailed
    assert not LogEntry.objects.filter(ref="gone").exists()


def test_entry_append_many_checks_like_entry_append_and_writes_all_or_nothing() -> None:
    with pytest.raises(ValidationError):
        entry_append_many(kind="t", entries=[("a", b"{}")])
    with pytest.raises(ValidationError) as info, transaction.atomic():
        entry_append_many(kind="t", entries=[("a", b"{}"), ("big", b"x" * (MAX_ENTRY_SIZE + 1))])
    assert info.value.where == "big"
    assert not LogEntry.objects.exists()
    with transaction.atomic():
        assert entry_append_many(kind="t", entries=[("a", b'{"n":1}'), ("b", b'{"n":2}')]) == 2
    rows = list(LogEntry.objects.values_list("kind", "ref", "data"))
    assert [(k, r, bytes(d)) for k, r, d in rows] == [
        ("t", "a", b'{"n":1}'),
        ("t", "b", b'{"n":2}'),
    ]
    assert entries_pending()
