"""Services of the common app."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from operator import itemgetter
from typing import Any

import orjson
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from terbuka.errors import ValidationError


class JsonText(str):
    """Hold a JSON value already encoded as text: values_insert writes it to a JSONField as is."""

    __slots__ = ()


class _AsIs(json.JSONEncoder):
    """Encode a JsonText as its own text (the encoder Django's JSON adaptation is given)."""

    def __init__(self, **_: Any) -> None:
        """Take json.dumps's options and ignore them: the text is already JSON."""

    def encode(self, o: Any) -> str:
        """Return o, a JsonText, unchanged."""
        return str(o)


def values_insert(*, model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert new rows of model, given as {field attname: value} dicts, with one executemany
    inside the caller's transaction.

    For bulk imports that need no primary keys back: the values are the model fields' own
    database values (JSON encoding), without a model instance per row or bulk_create's per-row
    SQL assembly; a JSONField value that is a JsonText is written as that text. A field a row
    lacks takes its default; auto_now/auto_now_add fields take one instant for all rows.
    Returns the number inserted. Example SQL: INSERT INTO "contracting_release" ("ocid", …)
    VALUES (%s, …). Example row:
    {"process_id": 7, "ocid": "ocds-tbk352-1", "release_id": "r1", …}. Raises ValidationError
    outside an atomic block or for a model with a field whose pre_save does more than read
    its value (e.g. a FileField) other than auto_now/auto_now_add; integrity errors propagate.
    """
    if not rows:
        return 0
    db = _atomic_connection()
    fields = _insert_fields(model)
    columns = []
    for field in fields:
        if _is_instant(field):
            columns.append([field.pre_save(model(), True)] * len(rows))
            continue
        if type(field).pre_save not in _READS_ATTRIBUTE:
            raise ValidationError(
                f"kolom {field.name} perlu instans model untuk disisipkan",
                f"field {field.name} needs a model instance to be inserted",
                where=model.__name__,
            )
        name = field.attname
        try:
            columns.append(list(map(itemgetter(name), rows)))
        except KeyError:
            default = field.get_default()
            columns.append([row.get(name, default) for row in rows])
    return _insert(db, model, fields, columns)


def _atomic_connection() -> BaseDatabaseWrapper:
    """Return the default connection wrapper; raise ValidationError outside an atomic block."""
    db = transaction.get_connection()  # the wrapper itself: the proxy costs a lookup per use
    if not db.in_atomic_block:
        raise ValidationError(
            "penyisipan massal harus di dalam transaksi",
            "a bulk insert must run inside a transaction",
        )
    return db


def _insert_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]


def _is_instant(field: models.Field[Any, Any]) -> bool:
    return bool(getattr(field, "auto_now", 0) or getattr(field, "auto_now_add", 0))


# pre_save methods that return the row's attribute (auto_now/auto_now_add fields aside).
_READS_ATTRIBUTE = frozenset(
    [models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save]
)


def _insert(
    db: BaseDatabaseWrapper,
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    columns: list[list[Any]],
) -> int:
    """Insert the rows whose values columns holds (one list per field) with one executemany."""
    quote = db.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    values = [_db_values(f, c, db) for f, c in zip(fields, columns, strict=True)]
    params = list(zip(*values, strict=True))  # one tuple per row
    with db.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def _db_values(
    field: models.Field[Any, Any], values: list[Any], db: BaseDatabaseWrapper
) -> list[Any]:
    """Return the database values of field for values (one per row).

    A column whose values are all of types that are their own database value is returned as
    is. Rows of one import share their process, user, flags, stage, instant and often date
    objects; a value that is the same object as another row's is converted once.
    """
    as_is = _as_is_types(field)
    if as_is and set(map(type, values)) <= as_is:
        return values
    json_text = _json_text_adapter(db)
    converted: dict[int, Any] = {}  # by id: every value stays alive in values meanwhile
    for value in values:
        if type(value) in as_is:
            converted[id(value)] = value
        elif id(value) not in converted:
            converted[id(value)] = _db_value(field, value, db, json_text)
    return [converted[id(value)] for value in values]


def _as_is_types(field: models.Field[Any, Any]) -> frozenset[type]:
    """Return the types whose values are their own database value in field.

    A str in a CharField or TextField, a bool in a BooleanField, an int in an integer field
    or a foreign key to one (int(value), then the backend's adapt_integerfield_value: both
    no-ops).
    """
    if isinstance(_integer_target(field), models.IntegerField):
        return frozenset([int])
    return frozenset(_AS_IS.get(type(field), ()))


def _json_text_adapter(db: BaseDatabaseWrapper) -> Callable[[str], Any]:
    """Return the function giving db's adaptation of JSON text for a JSONField.

    Where the backend adapts JSON with json.dumps (Django's default, e.g. SQLite) that is the
    text itself, as _AsIs encodes it; otherwise (PostgreSQL's Jsonb) the backend's own.
    """
    if type(db.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value:
        return str
    return partial(_adapt_json_text, db)


def _adapt_json_text(db: BaseDatabaseWrapper, text: str) -> Any:
    return db.ops.adapt_json_value(JsonText(text), _AsIs)


# Field classes (exactly) whose database value of a value of these types is the value itself:
# Django's get_db_prep_save comes down to to_python, which returns such values unchanged.
_AS_IS: dict[type, tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
}


def _db_value(
    field: models.Field[Any, Any],
    value: Any,
    db: BaseDatabaseWrapper,
    json_text: Callable[[str], Any],
) -> Any:
    """Return field.get_db_prep_save(value, db) for a value not of _as_is_types(field).

    Takes the known shortcuts: an aware datetime in a DateTimeField is the backend's
    adaptation of it (Django's checks only concern naive ones); a JsonText in a JSONField is
    written as that text, a dict or list (no custom encoder) as orjson's encoding of it: the
    same JSON value, not always the same text as json.dumps. json_text is
    _json_text_adapter(db).
    """
    kind = type(value)
    if kind is datetime and type(field) is models.DateTimeField and timezone.is_aware(value):
        return db.ops.adapt_datetimefield_value(value)
    if kind is JsonText and isinstance(field, models.JSONField):
        return json_text(value)
    if (kind is dict or kind is list) and isinstance(field, models.JSONField) and not field.encoder:
        try:  # the same JSON value as json.dumps gives, compact and UTF-8, many times faster
            return json_text(orjson.dumps(value).decode())
        except orjson.JSONEncodeError:  # e.g. integers beyond 64 bits: Django's own way below
            pass
    return field.get_db_prep_save(value, db)


def _integer_target(field: models.Field[Any, Any]) -> models.Field[Any, Any]:
    """Return the field whose database value a value of field has: a foreign key's target."""
    return field.target_field if isinstance(field, models.ForeignKey) else field
