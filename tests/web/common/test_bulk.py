"""Test the bulk helpers on both databases: ordered inserts through a temporary table, and
lookups of many values (on PostgreSQL, one index probe each, rows read by id)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from terbuka_web.common.bulk import rows_insert, rows_insert_ids, rows_insert_ordered, rows_select
from terbuka_web.ledger.models import Account

COLUMNS = ["key", "kind", "currency", "balance", "created_at"]


def _row(key: str) -> tuple[object, ...]:
    return (key, "programme", "IDR", 0, connection.ops.adapt_datetimefield_value(timezone.now()))


@pytest.mark.django_db
def test_staged_rows_are_inserted_in_order_and_the_stage_is_dropped() -> None:
    for batch in (["programme:c", "programme:a"], ["programme:d", "programme:b"]):
        with transaction.atomic(), rows_insert_ordered(Account, COLUMNS, "key") as stage:
            for key in batch:
                stage([_row(key)])
    keys = list(Account.objects.order_by("id").values_list("key", flat=True))
    assert keys == ["programme:a", "programme:c", "programme:b", "programme:d"]


@pytest.mark.django_db
def test_a_failure_while_staging_writes_nothing_and_leaves_no_stage() -> None:
    with (
        pytest.raises(RuntimeError),
        transaction.atomic(),
        rows_insert_ordered(Account, COLUMNS, "key") as stage,
    ):
        stage([_row("programme:x")])
        raise RuntimeError("evaluation failed")
    assert not Account.objects.exists()
    with transaction.atomic(), rows_insert_ordered(Account, COLUMNS, "key") as stage:
        stage([_row("programme:y")])  # the temporary table went with the rollback
    assert list(Account.objects.values_list("key", flat=True)) == ["programme:y"]


@pytest.mark.django_db
@pytest.mark.parametrize("lock", [False, True])
def test_lookup_returns_the_rows_found_once_each_in_id_order(lock: bool) -> None:
    for key in ("programme:b", "programme:a", "programme:c"):
        Account.objects.create(key=key, kind="programme", created_at=timezone.now())
    asked = ["programme:c", "programme:zz", "programme:b", "programme:c", "treasury:none"]
    with transaction.atomic():
        found = rows_select(Account, ["key", "balance"], "key", asked, lock=lock)
    assert found == [("programme:b", 0), ("programme:c", 0)]
    assert rows_select(Account, ["key"], "key", []) == []


@pytest.mark.django_db
def test_a_refused_bulk_write_raises_django_s_integrity_error() -> None:
    """COPY and the binding cursor bypass Django's cursor; their errors must still be Django's
    (postings_record retries on IntegrityError when another writer took a key first)."""
    rows_insert(Account, COLUMNS, [_row("programme:a")])
    for insert in (rows_insert, rows_insert_ids):
        with pytest.raises(IntegrityError), transaction.atomic():
            insert(Account, COLUMNS, [_row("programme:b"), _row("programme:a")])
    assert list(Account.objects.values_list("key", flat=True)) == ["programme:a"]
