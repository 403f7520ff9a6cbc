"""Write ledger rows in bulk with plain SQL: the statements postings_record needs besides
common.bulk (COPY of postings and legs, key lookups).

The ORM's bulk_create and bulk_update spend more time building each row's SQL than the
database spends writing it (bulk_update's CASE grows with the batch), and one statement per
row waits on a round trip each. So, on PostgreSQL: one INSERT … SELECT FROM unnest(arrays,
sent in binary through common.bulk.bound_cursor)
… RETURNING for new accounts (written with their balances after the batch, so a cycle's
new entitlements are written once, not inserted empty then updated) and one UPDATE … FROM
unnest(arrays) for the balances of existing accounts; on SQLite (in-process, no round
trips): multi-row INSERT … RETURNING and UPDATE … FROM VALUES of ROWS rows.
Table and column names come from our models only, never from input.
"""

from __future__ import annotations

from django.db import connection

from terbuka.money.accounts import CURRENCY
from terbuka_web.common.bulk import ROWS, bound_cursor, quote
from terbuka_web.ledger.models import Account


def accounts_insert(rows: list[tuple[str, str, int]], now: object) -> dict[str, int]:
    """Insert an IDR account per (key, kind, balance) created at now (as the database takes it:
    connection.ops.adapt_datetimefield_value); return the new accounts' ids by key.

    A key that exists already raises IntegrityError (the unique key): another writer created
    it since the caller looked, and postings_record retries, now finding it.
    """
    if not rows:
        return {}
    table = quote(Account._meta.db_table)
    names = "key, kind, currency, balance, created_at"
    found: dict[str, int] = {}
    if connection.vendor == "postgresql":
        with bound_cursor() as bound:
            bound.execute(
                f"INSERT INTO {table} ({names}) SELECT k, t, %s, b, %s "
                "FROM unnest(%b::text[], %b::text[], %b::bigint[]) AS v(k, t, b) RETURNING key, id",
                [CURRENCY, now, *(list(column) for column in zip(*rows, strict=True))],
            )
            return dict(bound.fetchall())
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS):
            part = rows[start : start + ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES "
                f"{', '.join(['(%s, %s, %s, %s, %s)'] * len(part))} RETURNING key, id",
                [value for key, kind, balance in part for value in (key, kind, CURRENCY, balance,
                 now)],
            )  # fmt: skip
            found.update(cursor.fetchall())
    return found


def balances_set(rows: list[tuple[int, int]]) -> None:
    """Set the balance of each (account id, balance)."""
    if not rows:
        return
    table = quote(Account._meta.db_table)
    if connection.vendor == "postgresql":
        with bound_cursor() as bound:
            bound.execute(
                f"UPDATE {table} SET balance = v.b FROM unnest(%b::bigint[], %b::bigint[]) "
                f"AS v(i, b) WHERE {table}.id = v.i",
                [[i for i, _ in rows], [b for _, b in rows]],
            )
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS):
            part = rows[start : start + ROWS]
            cursor.execute(
                f"WITH v(i, b) AS (VALUES {', '.join(['(%s, %s)'] * len(part))}) "
                f"UPDATE {table} SET balance = v.b FROM v WHERE {table}.id = v.i",
                [value for row in part for value in row],
            )
