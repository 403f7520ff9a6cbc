"""Test that imports refuse values beyond Terbuka's bounds, naming their JSON pointer.

Each bad input once crashed the import (traceback) or was stored out of range (a BC timestamp
on PostgreSQL). Now each is an OcdsValidationError naming the pointer, and nothing is written.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terbuka.errors import TerbukaError
from terbuka.ocds.errors import OcdsValidationError
from terbuka_web.accounts.models import Role, User
from terbuka_web.contracting.imports import package_import
from terbuka_web.contracting.models import Process, Release
from terbuka_web.transparency.models import LogEntry

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]
ENVELOPE = (
    '{"uri":"https://example.org/p.json","version":"1.1","publishedDate":"2025-01-01T00:00:00Z",'
    '"publisher":{"name":"Contoh"},"releases":[%s]}'
)
RELEASE = (
    '{"ocid":"ocds-abc123-1","id":"1","date":%s,"tag":["planning"],"initiationType":"tender"%s}'
)
GOOD_DATE = '"2024-03-01T10:00:00+07:00"'
BUDGET = ',"planning":{"budget":{"amount":{"amount":%s,"currency":"IDR"}}}'
TITLE = ',"tender":{"id":"t","title":"%s"}'

# name → (release JSON text, pointer of the bad value)
BAD = {
    "date_bc_in_utc": (RELEASE % ('"0001-01-01T00:00:00+14:00"', ""), "/releases/0/date"),
    "date_10000_in_utc": (RELEASE % ('"9999-12-31T23:00:00-05:00"', ""), "/releases/0/date"),
    "date_10000_in_jakarta": (RELEASE % ('"9999-12-31T23:00:00Z"', ""), "/releases/0/date"),
    "digits_4301": (
        RELEASE % (GOOD_DATE, BUDGET % ("9" * 4301)),
        "/releases/0/planning/budget/amount/amount",
    ),
    "lone_surrogate": (RELEASE % (GOOD_DATE, TITLE % "a\\ud800b"), "/releases/0/tender/title"),
    "lone_surrogate_key": (RELEASE % (GOOD_DATE, ',"x\\udc00":1'), "/releases/0/x\\udc00"),
    "nul": (RELEASE % (GOOD_DATE, TITLE % "a\\u0000b"), "/releases/0/tender/title"),
    "1e400": (RELEASE % (GOOD_DATE, BUDGET % "1e400"), "/releases/0/planning/budget/amount/amount"),
    "minus_10_30": (
        RELEASE % (GOOD_DATE, BUDGET % ("-1" + "0" * 30)),
        "/releases/0/planning/budget/amount/amount",
    ),
    "amount_above_10_15": (
        RELEASE % (GOOD_DATE, BUDGET % "2000000000000000"),
        "/releases/0/planning/budget/amount/amount",
    ),
    "extension_int_beyond_2_53": (RELEASE % (GOOD_DATE, ',"x":9007199254740993'), "/releases/0/x"),
}


def package_bytes(*releases: str) -> bytes:
    return (ENVELOPE % ",".join(releases)).encode()


@pytest.fixture
def admin() -> User:
    return User.objects.create_user(username="admin", password="x", role=Role.ADMIN)


def written() -> tuple[int, int, int]:
    return Process.objects.count(), Release.objects.count(), LogEntry.objects.count()


@pytest.mark.parametrize("name", BAD)
def test_bad_value_is_refused_with_its_pointer(admin: User, name: str) -> None:
    text, pointer = BAD[name]
    with pytest.raises(OcdsValidationError) as info:
        package_import(data=package_bytes(text), actor=admin, source_name="x.json")
    assert info.value.where == pointer
    assert "data OCDS ditolak" in info.value.message_id and "rejected" in info.value.message_en
    assert written() == (0, 0, 0)


def test_plausible_and_edge_dates_import_and_are_served(admin: User, client: Client) -> None:
    early = RELEASE % ('"0001-01-01T14:00:00Z"', "")
    late = RELEASE.replace('"id":"1"', '"id":"2"') % ('"9999-12-31T23:59:59+14:00"', "")
    result = package_import(data=package_bytes(early, late), actor=admin, source_name="x.json")
    assert result.releases_created == 2
    assert {w.code for w in result.warnings} == {"date_implausible"}
    assert [w.pointer for w in result.warnings] == ["/releases/0/date", "/releases/1/date"]
    assert client.get("/api/ocds/releases").status_code == 200
    assert client.get("/proses/ocds-abc123-1/").status_code == 200
    assert client.get("/", {"q": "ocds"}).status_code == 200


@pytest.mark.parametrize("name", BAD)
def test_command_names_the_pointer(admin: User, tmp_path: Path, name: str) -> None:
    text, pointer = BAD[name]
    path = tmp_path / "bad.json"
    path.write_bytes(package_bytes(text))
    with pytest.raises(CommandError) as info:
        call_command("terbuka_ocds", "import", "--user", "admin", str(path), stdout=io.StringIO())
    assert f"\n{pointer}: " in str(info.value)
    assert "OCDS data rejected" in str(info.value)


def test_cli_exits_non_zero_without_traceback_for_each_bad_input(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PYTHONPATH": str(REPO / "src"),
        "TERBUKA_DATA_DIR": str(tmp_path),
    }
    cli = [sys.executable, "-m", "terbuka.cli.main"]
    subprocess.run([*cli, "manage", "migrate", "-v0"], env=env, check=True)
    make_admin = "from terbuka_web.accounts.models import User, Role; "
    make_admin += "User.objects.create_user(username='admin', password='x', role=Role.ADMIN)"
    subprocess.run([*cli, "manage", "shell", "-c", make_admin], env=env, check=True)
    for name in ("date_bc_in_utc", "digits_4301", "lone_surrogate_key"):  # ~2 s each
        text, pointer = BAD[name]
        path = tmp_path / f"{name}.json"
        path.write_bytes(package_bytes(text))
        done = subprocess.run(
            [*cli, "ocds", "import", "--user", "admin", str(path)],
            env=env,
            capture_output=True,
            text=True,
        )
        output = done.stdout + done.stderr
        assert done.returncode != 0, name
        assert "Traceback" not in output, output
        assert f"{pointer}: " in output, output


# A JSON value of any shape, and values no bound lets through.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
BAD_TEXT = ["\\u0000", "\\ud800", "\\udfff", "a\\ud83d", "\\u0000\\u0000"]
BAD_NUMBERS = ["1e400", "-1e400", "9" * 4301, "-" + "9" * 400, "9007199254740993", "1e16"]
BAD_DATES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-00:01", "2024-02-30T00:00:00Z"]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    extra=JSON,
    bad=st.one_of(
        st.sampled_from(BAD_TEXT).map(lambda t: f'"{t}"'),
        st.sampled_from(BAD_NUMBERS),
    ),
    place=st.sampled_from(["value", "key", "date"]),
    date=st.sampled_from(BAD_DATES),
)
def test_generated_bad_input_never_crashes_nor_writes(
    admin: User, extra: object, bad: str, place: str, date: str
) -> None:
    good = json.dumps({"x": extra})[1:-1]
    if place == "value":
        release = RELEASE % (GOOD_DATE, f',{good},"y":[{bad}]')
    elif place == "key":
        key = bad if bad.startswith('"') else f'"{bad[:5]}\\u0000"'
        release = RELEASE % (GOOD_DATE, f",{good},{key}:1")
    else:
        release = RELEASE % (f'"{date}"', f",{good}")
    with pytest.raises(TerbukaError) as info:
        package_import(data=package_bytes(release), actor=admin, source_name="x.json")
    assert info.value.where.startswith("/releases/0/")
    assert written() == (0, 0, 0)
