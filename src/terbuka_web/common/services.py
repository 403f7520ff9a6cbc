"""Services of the common app."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models, transaction
from django.db.models.fields import AutoFieldMixin

from terbuka.errors import ValidationError


def rows_insert(*, rows: Sequence[models.Model]) -> int:
    """Insert unsaved rows of one model with one executemany, inside the caller's transaction.

    For bulk imports that need no primary keys back: the values are the model fields' own
    database values (defaults, auto_now_add, JSON encoding), without bulk_create's per-row
    SQL assembly. Returns the number inserted. Raises ValidationError outside an atomic
    block or for rows of mixed models or already saved; integrity errors propagate.
    Example SQL: INSERT INTO "contracting_release" ("ocid", …) VALUES (%s, …).
    """
    if not rows:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise ValidationError(
            "penyisipan massal harus di dalam transaksi",
            "a bulk insert must run inside a transaction",
        )
    model = type(rows[0])
    if any(type(r) is not model or not r._state.adding for r in rows):
        raise ValidationError(
            "penyisipan massal hanya untuk baris baru dari satu model",
            "a bulk insert takes only new rows of one model",
            where=model.__name__,
        )
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [[f.get_db_prep_save(f.pre_save(r, True), connection) for f in fields] for r in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    for row in rows:
        row._state.adding = False
    return len(rows)
