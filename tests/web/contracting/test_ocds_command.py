"""Tests of the `terbuka ocds` management command (import, export, bulk)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.paths import OCDS_FIXTURES
from tests.sheet_cells import FORMULA_TITLES, assert_no_formula
from tests.web.factories import agency_create, process_create

from terbuka.ocds.package import package_parse
from terbuka_web.accounts.models import Role, User
from terbuka_web.contracting.models import Process, Release

pytestmark = pytest.mark.django_db

SHARED_OCDS = OCDS_FIXTURES
FICTIONAL = SHARED_OCDS / "sample-data" / "fictional-example" / "1.1"


@pytest.fixture
def admin() -> User:
    return User.objects.create_user(username="admin", password="x", role=Role.ADMIN)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("terbuka_ocds", *args, stdout=out)
    return out.getvalue()


def test_import_files_then_export(admin: User, tmp_path: Path) -> None:
    files = [str(p) for p in sorted(FICTIONAL.glob("ocds-213czf-000-00001-0*.json"))]
    output = run("import", "--user", "admin", *files)
    assert "ocds-213czf-000-00001-06-implementation.json: 1 rilis baru/new" in output
    assert Release.objects.count() == 6 and Process.objects.count() == 1
    output = run("export", str(tmp_path / "out"))
    assert "6 rilis/releases, 1 rekaman/records" in output
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"releases.json", "records.json", "releases-csv.zip", "releases.xlsx"} <= names
    records = package_parse((tmp_path / "out/records.json").read_bytes())
    assert records["records"][0]["ocid"] == "ocds-213czf-000-00001"


def test_export_writes_no_formula_cell(tmp_path: Path) -> None:
    agency = agency_create()
    stages = ("planning", "tender", "award", "contract")
    for title in FORMULA_TITLES:
        process_create(agency=agency, title=title, description=title, supplier=title, stages=stages)
    run("export", str(tmp_path))
    assert_no_formula(tmp_path / "releases-csv.zip", tmp_path / "releases.xlsx", FORMULA_TITLES)
    package = package_parse((tmp_path / "releases.json").read_bytes())
    titles = [r["tender"]["title"] for r in package["releases"] if "tender" in r]
    assert sorted(set(titles)) == sorted(FORMULA_TITLES)  # the JSON keeps the exact text


def test_bulk_builds_the_files_the_api_serves(admin: User, settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    assert "bulk files: -" in run("bulk")
    files = [str(p) for p in sorted(FICTIONAL.glob("ocds-213czf-000-00001-0*.json"))]
    run("import", "--user", "admin", *files)
    output = run("bulk")
    built = sorted((tmp_path / "media" / "bulk").glob("*/*"))
    assert [p.name for p in built] == ["releases-csv.zip", "releases.xlsx"]
    assert str(built[0]) in output


def test_import_reports_bandung_errors_bilingually(admin: User) -> None:
    with pytest.raises(CommandError) as info:
        run(
            "import",
            "--user",
            "admin",
            str(SHARED_OCDS / "indonesia-bandung/birms-full-sample.json"),
        )
    text = str(info.value)
    assert "data OCDS ditolak" in text and "OCDS data rejected" in text
    assert "/releases/0/contract/awardID" in text
    assert "peringatan/warning /releases/0/tender/awardCriteria" in text
    assert Release.objects.count() == 0


def test_import_rejects_unknown_user_and_unreadable_file(admin: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not found"):
        run("import", "--user", "nobody", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match="cannot be read"):
        run("import", "--user", "admin", str(tmp_path / "missing.json"))


def test_import_malformed_file_names_the_line(admin: User, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"releases": []}, indent=1)[:-2])
    with pytest.raises(CommandError, match="line 2 column 16"):
        run("import", "--user", "admin", str(path))
