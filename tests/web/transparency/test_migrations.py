"""Check migration 0008: a log sequenced with per-entry indices keeps every index as batches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from terbuka_web.transparency.selectors import entries_pending, entry_id_at, entry_index_of

BEFORE = [("transparency", "0007_logentry_one_ref_index")]
AFTER = [("transparency", "0008_log_batches")]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def old_log() -> Iterator[MigrationExecutor]:
    """Migrate transparency back to per-entry indices; empty the log and migrate forward after."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    with connection.cursor() as cursor:
        for table in ("transparency_logbatch", "transparency_logentry", "transparency_logstate"):
            if table in connection.introspection.table_names(cursor):
                cursor.execute(f"DELETE FROM {table}")
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def _old_rows(executor: MigrationExecutor, rows: list[tuple[int, int | None]]) -> None:
    """Write (id, index) outbox rows and a matching LogState with the pre-0008 models."""
    apps = executor.loader.project_state(BEFORE).apps
    entry = apps.get_model("transparency", "LogEntry")
    entry.objects.bulk_create(
        entry(id=i, kind="t", ref=f"r{i}", data=b"%d" % i, index=index) for i, index in rows
    )
    sequenced = sum(index is not None for _, index in rows)
    apps.get_model("transparency", "LogState").objects.create(pk=1, size=sequenced, root=b"")


def test_sequenced_entries_become_one_batch_and_pending_stay_pending(
    old_log: MigrationExecutor,
) -> None:
    _old_rows(old_log, [(2, 0), (3, 1), (7, 2), (8, 3), (9, None)])
    MigrationExecutor(connection).migrate(AFTER)
    assert [entry_index_of(i) for i in (2, 3, 7, 8, 9)] == [0, 1, 2, 3, None]
    assert [entry_id_at(k) for k in range(5)] == [2, 3, 7, 8, None]
    assert entries_pending()


def test_a_log_not_indexed_in_id_order_is_refused_unchanged(old_log: MigrationExecutor) -> None:
    _old_rows(old_log, [(2, 0), (3, None), (7, 1)])  # id 3 committed late, after id 7
    with pytest.raises(RuntimeError, match="not sequenced in id order"):
        MigrationExecutor(connection).migrate(AFTER)
    assert MigrationExecutor(connection).loader.applied_migrations.keys() >= set(BEFORE)
    assert AFTER[0] not in MigrationExecutor(connection).loader.applied_migrations
