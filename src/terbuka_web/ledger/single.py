"""Read and write the rows of ONE posting in a few plain statements: the payment's hot path.

postings_record (services) serves batches of any size, in a savepoint of its own with COPY;
for a single posting inside the caller's transaction (a wallet payment), that costs more
round trips than the work. Here:
1. accounts_locked_known: one statement locks the posting's existing accounts in ascending
   id (SELECT … ORDER BY id FOR UPDATE on PostgreSQL, the order every ledger writer
   follows; SQLite writers are serialised by BEGIN IMMEDIATE) and reads the hash already
   recorded under the posting's key;
2. accounts_ensure (only when an account does not exist yet): inserts it empty, ON CONFLICT
   DO NOTHING, so a writer racing to create the same account never raises: the caller
   locks again and finds it;
3. posting_write: on PostgreSQL one statement updates the balances, inserts the posting and
   its legs (data-modifying WITH); SQLite runs the same as three statements, in process.
Table and column names come from our models only, never from input.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.backends.utils import CursorWrapper

from terbuka.money.accounts import CURRENCY, account_kind
from terbuka.money.posting import Posting as CorePosting
from terbuka_web.common.bulk import quote
from terbuka_web.ledger.models import Account, Leg, Posting

Locked = tuple[dict[str, int], dict[str, int], dict[str, str]]  # ids, balances, known hashes


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def accounts_locked_known(keys: list[str], posting_key: str) -> Locked:
    """Lock the existing accounts among keys (ascending id); return their ids, balances and
    the hash recorded under posting_key ({} when unused), in one statement."""
    accounts, postings = quote(Account._meta.db_table), quote(Posting._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"WITH a AS MATERIALIZED (SELECT key, id, balance FROM {accounts} "
        f"WHERE key IN ({_marks(len(keys))}) ORDER BY id{lock}) "
        "SELECT key, id, balance, NULL FROM a "
        f"UNION ALL SELECT key, NULL, NULL, sha256 FROM {postings} WHERE key = %s"
    )
    ids: dict[str, int] = {}
    balances: dict[str, int] = {}
    known: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, posting_key])
        for key, pk, balance, digest in cursor.fetchall():
            if digest is not None:
                known[key] = digest
            else:
                ids[key], balances[key] = pk, balance
    return ids, balances, known


def accounts_ensure(keys: list[str], now: datetime) -> None:
    """Insert an empty IDR account for each of keys that does not exist (others: no-op)."""
    table = quote(Account._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows = ", ".join(["(%s, %s, %s, 0, %s)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, kind, currency, balance, created_at) VALUES {rows} "
            "ON CONFLICT (key) DO NOTHING",
            [v for k in keys for v in (k, account_kind(k).value, CURRENCY, stamp)],
        )


def posting_write(
    posting: CorePosting, data: bytes, digest: str, accounts: dict[str, int],
    balances: dict[str, int], now: datetime,
) -> None:  # fmt: skip
    """Set the balances (account key → new balance) and insert posting (its canonical JSON
    data, its hex SHA-256 digest) with its legs; every account is in accounts (key → id)."""
    changed = [(accounts[k], b) for k, b in balances.items()]
    stamp = connection.ops.adapt_datetimefield_value(now)
    legs = [(i, accounts[g.account], g.side.value, g.amount) for i, g in enumerate(posting.legs)]
    names = quote(Account._meta.db_table), quote(Posting._meta.db_table), quote(Leg._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _write_postgresql(cursor, names, changed, (posting.key, data.decode(), digest, stamp),
                              legs)  # fmt: skip
            return
        _write_each(cursor, names, changed, (posting.key, data.decode(), digest, stamp), legs)


_POSTING = "(key, canonical, sha256, created_at)"
_LEG = "(posting_id, position, account_id, side, amount)"


def _write_postgresql(
    cursor: CursorWrapper, names: tuple[str, str, str], changed: list[tuple[int, int]],
    row: tuple[object, ...], legs: list[tuple[int, int, str, int]],
) -> None:  # fmt: skip
    accounts, postings, leg_table = names
    cursor.execute(
        f"WITH b AS (UPDATE {accounts} SET balance = v.b FROM unnest(%s::bigint[], "
        f"%s::bigint[]) AS v(i, b) WHERE {accounts}.id = v.i), "
        f"p AS (INSERT INTO {postings} {_POSTING} VALUES (%s, %s, %s, %s) RETURNING id) "
        f"INSERT INTO {leg_table} {_LEG} SELECT p.id, v.n, v.a, v.s, v.m FROM p, "
        "unnest(%s::int[], %s::bigint[], %s::text[], %s::bigint[]) AS v(n, a, s, m)",
        [[i for i, _ in changed], [b for _, b in changed], *row,
         *(list(column) for column in zip(*legs, strict=True))],
    )  # fmt: skip


def _write_each(
    cursor: CursorWrapper, names: tuple[str, str, str], changed: list[tuple[int, int]],
    row: tuple[object, ...], legs: list[tuple[int, int, str, int]],
) -> None:  # fmt: skip
    accounts, postings, leg_table = names
    execute = cursor.execute
    execute(
        f"WITH v(i, b) AS (VALUES {', '.join(['(%s, %s)'] * len(changed))}) "
        f"UPDATE {accounts} SET balance = v.b FROM v WHERE {accounts}.id = v.i",
        [value for pair in changed for value in pair],
    )
    execute(f"INSERT INTO {postings} {_POSTING} VALUES (%s, %s, %s, %s) RETURNING id", row)
    pk = cursor.fetchone()[0]
    execute(
        f"INSERT INTO {leg_table} {_LEG} VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(legs))}",
        [value for leg in legs for value in (pk, *leg)],
    )
