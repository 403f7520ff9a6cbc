"""Services of the common app."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields import AutoFieldMixin

from terbuka.errors import ValidationError


class JsonText(str):
    """Hold a JSON value already encoded as text: rows_insert writes it to a JSONField as is."""

    __slots__ = ()


class _AsIs(json.JSONEncoder):
    """Encode a JsonText as its own text (the encoder Django's JSON adaptation is given)."""

    def encode(self, o: Any) -> str:
        """Return o, a JsonText, unchanged."""
        return str(o)


def rows_insert(*, rows: Sequence[models.Model]) -> int:
    """Insert unsaved rows of one model with one executemany, inside the caller's transaction.

    For bulk imports that need no primary keys back: the values are the model fields' own
    database values (defaults, JSON encoding), without bulk_create's per-row SQL assembly.
    auto_now/auto_now_add fields take one instant for all rows (one statement), set on the
    rows too; a JSONField holding a JsonText is written as that text. Returns the number
    inserted. Raises ValidationError outside an atomic block or for rows of mixed models or
    already saved; integrity errors propagate.
    Example SQL: INSERT INTO "contracting_release" ("ocid", …) VALUES (%s, …).
    """
    if not rows:
        return 0
    db = transaction.get_connection()  # the wrapper itself: the proxy costs a lookup per use
    if not db.in_atomic_block:
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
    instants = {f for f in fields if getattr(f, "auto_now", 0) or getattr(f, "auto_now_add", 0)}
    for field in instants:  # pre_save gives the first row's instant; it serves every row
        now = field.pre_save(rows[0], True)
        for row in rows:
            setattr(row, field.attname, now)
    caches: list[list[Any]] = [[_NONE, None] for _ in fields]
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [
        [_prep(f, r, db, cache, f in instants) for f, cache in zip(fields, caches, strict=True)]
        for r in rows
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, params)
    for row in rows:
        row._state.adding = False
    return len(rows)


_NONE = object()


def _prep(
    field: models.Field[Any, Any],
    row: models.Model,
    db: BaseDatabaseWrapper,
    cache: list[Any],
    instant: bool,
) -> Any:
    """Return field's database value for row; reuse the last one when the value is the same object.

    Rows of one import share their process, user, flags, stage and instant objects; converting
    each once is what bulk_create would compute again per row. An instant field's value is
    already set on the row (its pre_save would take a new one).
    """
    value = getattr(row, field.attname) if instant else field.pre_save(row, True)
    if value is not cache[0]:
        cache[0], cache[1] = value, _db_value(field, value, db)
    return cache[1]


def _db_value(field: models.Field[Any, Any], value: Any, db: BaseDatabaseWrapper) -> Any:
    """Return field's database value of value; a JsonText goes to a JSONField as it is."""
    if type(value) is JsonText and isinstance(field, models.JSONField):
        return db.ops.adapt_json_value(value, _AsIs)
    return field.get_db_prep_save(value, db)
