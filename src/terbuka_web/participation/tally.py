"""The public statistics' counts kept as aggregates: never a read of every case.

Database triggers on participation_case (migration 0004, both databases) append two change
rows per side of every insert, update and delete of a case that is not *rahasia* — −1 for the
old groups, +1 for the new — to CaseTallyChange, in the transaction of the change itself. The
groups: the case's agency (agency id or 0, district "") and its district (agency_pk −1, the
first 8 characters of the region code), each with the working days to the first follow-up
(or −1); their counts are those of selectors.COUNTS. tally_fold moves the changes into
CaseTally (one row per group) and tally_groups reads the folded counts grouped by agency or
district with their follow-up days: a few hundred rows, whatever the number of cases. Triggers
see every write (the services, the admin, a COPY, a raw UPDATE), so nothing can forget one.
"""

from __future__ import annotations

from typing import Literal

from django.db import connection, transaction

from terbuka_web.participation.models import CaseTally, CaseTallyChange

COUNT_NAMES = (
    "received", "forwarded", "forwarded_on_time", "answered", "answered_on_time", "escalated",
)  # fmt: skip
GROUP = ("agency_pk", "district", "days")
NO_DAYS = -1


def _names(*columns: str) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in columns)


def tally_fold() -> None:
    """Move every pending change into CaseTally, summed per group.

    PostgreSQL: one statement (DELETE … RETURNING feeding an upsert) on one snapshot, so a
    change committed meanwhile is either moved whole or left for the next fold, and concurrent
    folds never move one twice (a row deleted by another fold is skipped). SQLite: the upsert
    and the delete under the one write lock the first of them takes (no change lands between).
    """
    tally, change = CaseTally._meta.db_table, CaseTallyChange._meta.db_table
    group, counts = _names(*GROUP), _names(*COUNT_NAMES)
    sums = ", ".join(f"SUM({c})" for c in COUNT_NAMES)
    add = ", ".join(f"{c} = {tally}.{c} + excluded.{c}" for c in COUNT_NAMES)
    upsert = f"INSERT INTO {tally} ({group}, {counts}) SELECT {group}, {sums} FROM %s "
    upsert += f"WHERE true GROUP BY {group} ON CONFLICT ({group}) DO UPDATE SET {add}"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            moved = f"(DELETE FROM {change} RETURNING {group}, {counts})"
            cursor.execute(f"WITH moved AS {moved} " + upsert % "moved")
        else:
            cursor.execute(upsert % change)
            cursor.execute(f"DELETE FROM {change}")


Row = tuple[int | str, int, list[int]]  # group key, follow-up days, counts (COUNT_NAMES)


def tally_groups(by: Literal["agency_pk", "district"]) -> list[Row]:
    """Return (key, days, counts) of the folded tally per agency id or district prefix and
    follow-up days, without the groups that hold no case any more."""
    tally = CaseTally._meta.db_table
    sums = ", ".join(f"SUM({c})" for c in COUNT_NAMES)
    rows = "agency_pk >= 0" if by == "agency_pk" else "agency_pk = -1"  # the migration's
    sql = f"SELECT {by}, days, {sums} FROM {tally} WHERE {rows} GROUP BY {by}, days "
    sql += "HAVING SUM(received) > 0"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(key, days, [int(n) for n in counts]) for key, days, *counts in cursor.fetchall()]
