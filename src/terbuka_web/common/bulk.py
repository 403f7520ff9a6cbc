"""Insert and look up many rows with plain SQL: COPY on PostgreSQL, multi-row INSERT on SQLite.

Django's bulk_create spends more time building each row's SQL (~0.1 ms) than the database
spends writing it, and a filter(…__in=[thousands]) as long building its lookups; the ledger's
postings and the budget's lines are written this way, the ledger's keys looked up so.
Table and column names come from our models only, never from input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.db import connection, models

ROWS = 500  # rows per multi-row statement on SQLite: at most 2,500 of its 32,766 parameters


def quote(name: str) -> str:
    """Return name quoted for the database in use."""
    return str(connection.ops.quote_name(name))


def rows_insert(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows (values in the order of columns) into model's table."""
    _insert(quote(model._meta.db_table), columns, rows)


@contextmanager
def rows_insert_ordered(
    model: type[models.Model], columns: list[str], order_by: str
) -> Iterator[Callable[[list[tuple[Any, ...]]], None]]:
    """Yield a function that stages rows (values in the order of columns) for model's table;
    when the block ends, insert every staged row in ascending order_by, in one statement.

    The rows wait in a temporary table (the database's own, bounded memory, its sort spilling
    to disk), so ids ascend in order_by and the table's index on order_by is written in
    order: random keys (pseudonyms) then fill index pages one after another instead of
    touching a page per row. On PostgreSQL the table is analysed then, as autovacuum would
    later: reads that follow in the same transaction or soon after (a cycle's chunks by id)
    are planned for the rows just written, not for an empty table. Must run inside an atomic
    block: a failure leaves the rows staged, and the block's rollback drops the temporary
    table with them.
    """
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    stage = quote(f"{model._meta.db_table}_staged")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} AS SELECT {names} FROM {table} WHERE 1 = 0")
    yield lambda rows: _insert(stage, columns, rows)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} ORDER BY {quote(order_by)}"
        )
        cursor.execute(f"DROP TABLE {stage}")
        if connection.vendor == "postgresql":  # the planner sees the new rows at once
            cursor.execute(f"ANALYZE {table}")


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows into table (quoted): COPY on PostgreSQL, multi-row INSERTs on SQLite."""
    if not rows:
        return
    names = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        rows_copy(table, names, rows)
        return
    with connection.cursor() as cursor:
        mark = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(rows), ROWS):
            part = rows[start : start + ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([mark] * len(part))}",
                [value for row in part for value in row],
            )


def rows_insert_ids(
    model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]
) -> dict[Any, int]:
    """Insert rows like rows_insert; return each row's id by its first value (unique).

    PostgreSQL: the ids are drawn from the table's sequence first, in one statement, and
    COPY writes them with the rows; SQLite: multi-row INSERT … RETURNING. Either way the ids
    ascend in the order of rows, and no query reads the rows back.
    """
    if not rows:
        return {}
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = sorted(int(row[0]) for row in cursor.fetchall())
            rows_copy(
                table, f"id, {names}", ((pk, *row) for pk, row in zip(ids, rows, strict=True))
            )
            return {row[0]: pk for pk, row in zip(ids, rows, strict=True)}
        found: dict[Any, int] = {}
        mark = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(rows), ROWS):
            part = rows[start : start + ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([mark] * len(part))} "
                f"RETURNING {quote(columns[0])}, id",
                [value for row in part for value in row],
            )
            found.update(cursor.fetchall())
        return found


def rows_copy(
    table: str, names: str, rows: Iterable[tuple[Any, ...]], *, binary: bool = False
) -> None:
    """Write rows into table (quoted) by one COPY on PostgreSQL, in the transaction in use;
    names is the SQL list of their columns. binary=True sends them in COPY's binary format
    (bytea as raw bytes). Raises Django's errors (IntegrityError and so on), as bound_cursor
    does."""
    form = " (FORMAT BINARY)" if binary else ""
    with bound_cursor() as bound, bound.copy(f"COPY {table} ({names}) FROM STDIN{form}") as stream:
        for row in rows:
            stream.write_row(row)


@contextmanager
def bound_cursor() -> Iterator[psycopg.Cursor[Any]]:
    """Yield a cursor of the PostgreSQL connection in use (its transaction) that binds
    parameters on the server, so that %b sends them in binary, and serves COPY and binary
    results; its errors are Django's (IntegrityError and so on), as any cursor's.

    Django's cursors bind on the client, writing every value into the SQL text: an array of
    10,000 keys takes 17 ms of CPU to dump that way, 2 ms in binary.
    """
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def rows_select(
    model: type[models.Model], columns: list[str], where: str, values: list[Any], *,
    lock: bool = False,
) -> list[tuple[Any, ...]]:  # fmt: skip
    """Return columns of model's rows whose column where holds one of values.

    PostgreSQL: one statement, the values sent as a binary array (bound_cursor), each looked
    up in where's index (a LATERAL subquery that OFFSET 0 keeps apart), then the rows read by
    id: "where = ANY(array)" of thousands of values is planned as a scan of the whole table,
    so a cycle's lookups in its growing ledger took ever longer (115 ms a chunk at 500,000
    postings; now about 10).
    lock=True locks the rows in ascending id (SELECT … ORDER BY id FOR UPDATE), the one order
    every writer follows. SQLite: IN lists of at most ROWS·4 values; its writers are
    serialised (BEGIN IMMEDIATE), lock adds nothing.
    """
    if not values:
        return []
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        ids = (
            f"SELECT t.id FROM unnest(%b) AS v(value) CROSS JOIN LATERAL "
            f"(SELECT id FROM {table} WHERE {quote(where)} = v.value OFFSET 0) AS t"
        )
        with bound_cursor() as bound:
            bound.execute(
                f"SELECT {names} FROM {table} WHERE id = ANY(ARRAY({ids})) ORDER BY id"
                + (" FOR UPDATE" if lock else ""),
                [values],
            )
            return bound.fetchall()
    with connection.cursor() as cursor:
        found: list[tuple[Any, ...]] = []
        step = ROWS * 4
        for start in range(0, len(values), step):
            part = values[start : start + step]
            cursor.execute(
                f"SELECT {names} FROM {table} WHERE {quote(where)} IN "
                f"({', '.join(['%s'] * len(part))})",
                part,
            )
            found.extend(cursor.fetchall())
        return found
