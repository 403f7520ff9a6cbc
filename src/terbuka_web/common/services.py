"""Services of the common app."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from operator import attrgetter
from typing import Any

import orjson
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from terbuka.errors import ValidationError


class JsonText(str):
    """Hold a JSON value already encoded as text: rows_insert writes it to a JSONField as is."""

    __slots__ = ()


class _AsIs(json.JSONEncoder):
    """Encode a JsonText as its own text (the encoder Django's JSON adaptation is given)."""

    def __init__(self, **_: Any) -> None:
        """Take json.dumps's options and ignore them: the text is already JSON."""

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
    instants = [getattr(f, "auto_now", 0) or getattr(f, "auto_now_add", 0) for f in fields]
    for field, instant in zip(fields, instants, strict=True):
        if instant:  # pre_save gives the first row's instant; it serves every row
            now = field.pre_save(rows[0], True)
            for row in rows:
                setattr(row, field.attname, now)
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    values = [_Column(f, db, bool(i)).value for f, i in zip(fields, instants, strict=True)]
    params = [[value(row) for value in values] for row in rows]
    with db.cursor() as cursor:
        cursor.executemany(sql, params)
    for row in rows:
        row._state.adding = False
    return len(rows)


class _Column:
    """Give one field's database value for each row of an insert."""

    __slots__ = ("db", "field", "last", "prepared", "read")

    def __init__(self, field: models.Field[Any, Any], db: BaseDatabaseWrapper, instant: bool):
        self.field, self.db = field, db
        self.last: Any = _NONE
        self.prepared: Any = None
        if instant or type(field).pre_save is models.Field.pre_save:  # pre_save reads the attr
            self.read: Callable[[models.Model], Any] = attrgetter(field.attname)
        else:
            self.read = partial(_pre_save, field)

    def value(self, row: models.Model) -> Any:
        """Return the field's database value for row (pre_save, then the field's conversion).

        Rows of one import share their process, user, flags, stage and instant objects; a
        value that is the same object as the last row's is converted once. An instant field's
        value is already set on the row (its pre_save would take a new one).
        """
        value = self.read(row)
        if value is not self.last:
            self.last, self.prepared = value, _db_value(self.field, value, self.db)
        return self.prepared


_NONE = object()


def _pre_save(field: models.Field[Any, Any], row: models.Model) -> Any:
    return field.pre_save(row, True)


# Field classes (exactly) whose database value of a value of these types is the value itself:
# Django's get_db_prep_save comes down to to_python, which returns such values unchanged.
_AS_IS: dict[type, tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
}


def _db_value(field: models.Field[Any, Any], value: Any, db: BaseDatabaseWrapper) -> Any:
    """Return field.get_db_prep_save(value, db), taking the known shortcuts.

    A str in a CharField or TextField, a bool in a BooleanField and an int in an integer
    field (or a foreign key to one) are their own database value; an aware datetime in a
    DateTimeField is the backend's adaptation of it (Django's checks only concern naive ones);
    a JsonText in a JSONField is written as that text, a dict or list (no custom encoder) as
    orjson's encoding of it: the same JSON value, not always the same text as json.dumps.
    """
    kind = type(value)
    if kind in _AS_IS.get(type(field), ()):
        return value
    if kind is int and isinstance(_integer_target(field), models.IntegerField):
        return value  # int(value), then the backend's adapt_integerfield_value: both no-ops
    if kind is datetime and type(field) is models.DateTimeField and timezone.is_aware(value):
        return db.ops.adapt_datetimefield_value(value)
    if kind is JsonText and isinstance(field, models.JSONField):
        return db.ops.adapt_json_value(value, _AsIs)
    if (kind is dict or kind is list) and isinstance(field, models.JSONField) and not field.encoder:
        try:  # the same JSON value as json.dumps gives, compact and UTF-8, many times faster
            return db.ops.adapt_json_value(JsonText(orjson.dumps(value).decode()), _AsIs)
        except orjson.JSONEncodeError:  # e.g. integers beyond 64 bits: Django's own way below
            pass
    return field.get_db_prep_save(value, db)


def _integer_target(field: models.Field[Any, Any]) -> models.Field[Any, Any]:
    """Return the field whose database value a value of field has: a foreign key's target."""
    return field.target_field if isinstance(field, models.ForeignKey) else field
