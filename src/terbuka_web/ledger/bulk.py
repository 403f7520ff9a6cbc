"""Write ledger rows in bulk with plain SQL: the statements postings_record needs besides
common.bulk.rows_insert (COPY of postings and legs).

The ORM's bulk_create and bulk_update spend more time building each row's SQL than the
database spends writing it (bulk_update's CASE grows with the batch), and one statement per
row waits on a round trip each. So, on PostgreSQL: one INSERT …
SELECT FROM unnest(arrays) for new accounts and one UPDATE … FROM unnest(arrays) for balances;
on SQLite (in-process, no round trips): multi-row INSERT and UPDATE … FROM VALUES of ROWS rows.
Table and column names come from our models only, never from input.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from terbuka.money.accounts import CURRENCY
from terbuka_web.common.bulk import ROWS, quote
from terbuka_web.ledger.models import Account


def accounts_insert(keys_kinds: list[tuple[str, str]], now: datetime) -> None:
    """Insert an empty IDR account per (key, kind), skipping keys that exist already."""
    if not keys_kinds:
        return
    table = quote(Account._meta.db_table)
    names = "key, kind, currency, balance, created_at"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            keys, kinds = [k for k, _ in keys_kinds], [kind for _, kind in keys_kinds]
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT k, t, %s, 0, %s "
                "FROM unnest(%s::text[], %s::text[]) AS v(k, t) ON CONFLICT (key) DO NOTHING",
                [CURRENCY, now, keys, kinds],
            )
            return
        for start in range(0, len(keys_kinds), ROWS):
            part = keys_kinds[start : start + ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES "
                f"{', '.join(['(%s, %s, %s, 0, %s)'] * len(part))} ON CONFLICT (key) DO NOTHING",
                [value for key, kind in part for value in (key, kind, CURRENCY, now)],
            )


def balances_set(rows: list[tuple[int, int]]) -> None:
    """Set the balance of each (account id, balance)."""
    if not rows:
        return
    table = quote(Account._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET balance = v.b FROM unnest(%s::bigint[], %s::bigint[]) "
                f"AS v(i, b) WHERE {table}.id = v.i",
                [[i for i, _ in rows], [b for _, b in rows]],
            )
            return
        for start in range(0, len(rows), ROWS):
            part = rows[start : start + ROWS]
            cursor.execute(
                f"WITH v(i, b) AS (VALUES {', '.join(['(%s, %s)'] * len(part))}) "
                f"UPDATE {table} SET balance = v.b FROM v WHERE {table}.id = v.i",
                [value for row in part for value in row],
            )
