"""Check values_insert: bulk rows equal what the ORM writes, all or nothing, in a transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import Role, User
from terbuka_web.common.services import JsonText, values_insert
from terbuka_web.contracting.models import Document, Process, Release

pytestmark = pytest.mark.django_db(transaction=True)


def _release(process: Process, rid: str, user: User) -> Release:
    return Release(
        process=process,
        ocid=process.ocid,
        release_id=rid,
        date=dt.datetime(2025, 1, 10, 8, 30, 5, 120, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        tags=["tender"],
        stage="tender",
        data={"ocid": process.ocid, "id": rid, "é": [1, None]},
        sha256="0" * 64,
        imported=True,
        published_by=user,
    )


def _process(ocid: str) -> Process:
    return Process.objects.create(ocid=ocid, imported=True, title=ocid, fiscal_year=2025)


def _release_values(process: Process, rid: str, user: User) -> dict[str, object]:
    release = _release(process, rid, user)
    names = ("process_id", "ocid", "release_id", "date", "tags", "stage", "data", "sha256")
    return {name: getattr(release, name) for name in (*names, "imported", "published_by_id")}


def test_values_insert_writes_field_values_like_the_orm() -> None:
    user = User.objects.create_user(username="admin", role=Role.ADMIN)
    process = _process("ocds-tbk352-1")
    with transaction.atomic():
        rows = [_release_values(process, "r1", user), _release_values(process, "r2", user)]
        assert values_insert(model=Release, rows=rows) == 2
        Release.objects.bulk_create([_release(process, "r3", user)])
    fields = ("ocid", "date", "tags", "stage", "data", "imported", "published_by", "process")
    bulk, orm = (Release.objects.filter(release_id=r).values(*fields).get() for r in ("r1", "r3"))
    assert bulk == {**orm, "data": {**orm["data"], "id": "r1"}}
    with connection.cursor() as cursor:  # the stored forms too, not only what reads back
        cursor.execute(
            "SELECT ocid, date, tags, stage, imported, published_by_id, process_id"
            " FROM contracting_release WHERE release_id IN ('r1', 'r3') ORDER BY release_id"
        )
        first, third = cursor.fetchall()
    assert first == third
    stored = {r.release_id: r.published_at for r in Release.objects.all()}
    assert stored["r1"] == stored["r2"] is not None  # auto_now_add: one instant for all rows


def test_values_insert_is_all_or_nothing_on_a_constraint() -> None:
    user = User.objects.create_user(username="admin", role=Role.ADMIN)
    process = _process("ocds-tbk352-1")
    rows = [_release_values(process, "r1", user), _release_values(process, "r1", user)]
    with pytest.raises(IntegrityError), transaction.atomic():
        values_insert(model=Release, rows=rows)
    assert not Release.objects.exists()


def test_values_insert_writes_json_text_as_is() -> None:
    user = User.objects.create_user(username="admin", role=Role.ADMIN)
    process = _process("ocds-tbk352-1")
    text = '{"b":[1,null],"a":"é"}'
    row = {**_release_values(process, "r1", user), "data": JsonText(text)}
    with transaction.atomic():
        values_insert(model=Release, rows=[row])
    assert Release.objects.get(release_id="r1").data == {"b": [1, None], "a": "é"}
    if connection.vendor == "sqlite":  # PostgreSQL's jsonb keeps its own form
        with connection.cursor() as cursor:
            cursor.execute("SELECT data FROM contracting_release WHERE release_id = 'r1'")
            assert cursor.fetchone()[0] == text


def test_values_insert_json_values_read_back_equal_even_beyond_64_bits() -> None:
    user = User.objects.create_user(username="admin", role=Role.ADMIN)
    process = _process("ocds-tbk352-1")
    rows = [_release_values(process, "r1", user), _release_values(process, "r2", user)]
    rows[0]["data"] = {"é\n": ["ü", None, True, -(2**53), {"x": []}], "a": 1.5}
    rows[1]["data"] = {"big": 2**70}  # beyond orjson's integers: Django's own encoding
    with transaction.atomic():
        values_insert(model=Release, rows=rows)
    stored = {r.release_id: r.data for r in Release.objects.all()}
    assert stored == {"r1": rows[0]["data"], "r2": {"big": 2**70}}


def test_values_insert_fills_defaults_and_refuses_what_it_cannot_do() -> None:
    user = User.objects.create_user(username="admin", role=Role.ADMIN)
    process = _process("ocds-tbk352-1")
    row = _release_values(process, "r1", user)
    for name in ("tags", "stage", "imported", "published_by_id"):
        del row[name]
    with pytest.raises(ValidationError, match="transaction"):
        values_insert(model=Release, rows=[row])
    with transaction.atomic():
        assert values_insert(model=Release, rows=[row]) == 1
        assert values_insert(model=Release, rows=[]) == 0
        with pytest.raises(ValidationError) as info:
            values_insert(model=Document, rows=[{"process_id": process.pk}])
    assert "file" in info.value.message_en
    release = Release.objects.get()
    assert (release.tags, release.stage, release.imported, release.published_by) == (
        [],
        "",
        False,
        None,
    )


def test_values_insert_converts_values_shared_by_rows_apart_alike() -> None:
    user = User.objects.create_user(username="admin", role=Role.ADMIN)
    process = _process("ocds-tbk352-1")
    later = dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    rows = [_release_values(process, f"r{i}", user) for i in range(3)]
    rows[1]["date"] = later  # rows 0 and 2 hold one datetime object, row 1 another
    rows[2]["date"] = rows[0]["date"]
    with transaction.atomic():
        values_insert(model=Release, rows=rows)
    stored = dict(Release.objects.values_list("release_id", "date"))
    assert stored == {"r0": rows[0]["date"], "r1": later, "r2": rows[0]["date"]}
