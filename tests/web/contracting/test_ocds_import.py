"""Tests of contracting.imports.package_import and contracting.exports.ocds_export."""

from __future__ import annotations

import gc
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from tests.paths import OCDS_FIXTURES

from terbuka.canonical import canonical_json
from terbuka.errors import ValidationError
from terbuka.ocds.errors import OcdsFormatError, OcdsValidationError
from terbuka.ocds.package import package_format, package_parse
from terbuka.ocds.validate import errors_only, validate_package, validate_record_package
from terbuka.tlog.note import generate_key
from terbuka_web.accounts.models import Agency, AuditEvent, Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.contracting.exports import ocds_export
from terbuka_web.contracting.imports import package_import
from terbuka_web.contracting.models import Process, Release
from terbuka_web.contracting.selectors import release_log_ref
from terbuka_web.regions.models import Region
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.selectors import entry_index_of
from terbuka_web.transparency.services import log_sequence

pytestmark = pytest.mark.django_db

SHARED_OCDS = OCDS_FIXTURES
FICTIONAL = SHARED_OCDS / "sample-data" / "fictional-example" / "1.1"
BANDUNG = SHARED_OCDS / "indonesia-bandung" / "birms-full-sample.json"


def lifecycle() -> list[dict[str, Any]]:
    files = sorted(FICTIONAL.glob("ocds-213czf-000-00001-0*.json"))
    return [r for p in files for r in json.loads(p.read_text())["releases"]]


def package(releases: list[dict[str, Any]]) -> bytes:
    return package_format(
        {
            "uri": "https://example.org/p.json",
            "version": "1.1",
            "publishedDate": "2025-01-01T00:00:00Z",
            "publisher": {"name": "Contoh"},
            "releases": releases,
        }
    )


@pytest.fixture
def admin() -> User:
    return User.objects.create_user(username="admin", password="x", role=Role.ADMIN)


def written() -> tuple[int, int, int, int]:
    return (
        Process.objects.count(),
        Release.objects.count(),
        LogEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def test_fictional_lifecycle_imports(admin: User) -> None:
    result = package_import(data=package(lifecycle()), actor=admin, source_name="fictional.json")
    assert (result.processes_created, result.releases_created, result.releases_skipped) == (1, 6, 0)
    process = Process.objects.get()
    assert process.ocid == "ocds-213czf-000-00001" and process.imported
    assert process.title == "Planned cycle lane improvements"
    assert process.stage_reached == "implementation" and process.fiscal_year == 2010
    assert process.buyer_name == "London Borough of Barnet" and process.agency is None
    assert process.compiled_release["tag"] == ["compiled"]
    assert [r.stage for r in Release.objects.order_by("date")] == [
        "planning",
        "tender",
        "tender",
        "award",
        "contract",
        "implementation",
    ]
    for row in Release.objects.all():
        assert row.sha256 == hashlib.sha256(canonical_json(row.data)).hexdigest()
    assert {r.release_id: r.data for r in Release.objects.all()} == {
        r["id"]: r for r in lifecycle()
    }
    entries = list(LogEntry.objects.order_by("id"))
    assert [e.kind for e in entries] == ["ocds.release"] * 6
    assert entries[0].ref == "ocds-213czf-000-00001/ocds-213czf-000-00001-01-planning"
    assert json.loads(bytes(entries[0].data))["release"] == lifecycle()[0]
    event = AuditEvent.objects.get()
    assert event.action == "contracting:ocds:import" and event.target == "fictional.json"
    assert event.data["releases_created"] == 6


def test_log_entries_hold_the_canonical_release_and_gc_is_restored(admin: User) -> None:
    assert gc.isenabled()
    package_import(data=package(lifecycle()), actor=admin, source_name="fictional.json")
    assert gc.isenabled()
    rows = {r.release_id: r for r in Release.objects.all()}
    for entry in LogEntry.objects.order_by("id"):
        row = rows[entry.ref.split("/", 1)[1]]
        assert bytes(entry.data) == canonical_json({"kind": "ocds.release", "release": row.data})
    with pytest.raises(OcdsFormatError):
        package_import(data=b"{", actor=admin, source_name="x")
    assert gc.isenabled()


def test_reimport_is_idempotent(admin: User) -> None:
    data = package(lifecycle())
    package_import(data=data, actor=admin, source_name="a.json")
    before = written()
    result = package_import(data=data, actor=admin, source_name="a.json")
    assert (result.releases_created, result.releases_skipped, result.processes_updated) == (0, 6, 0)
    assert written()[:3] == before[:3]
    assert AuditEvent.objects.count() == before[3] + 1  # the attempt itself is audited


def test_incremental_import_links_contract_to_award_in_database(admin: User) -> None:
    releases = lifecycle()
    package_import(data=package(releases[:4]), actor=admin, source_name="first.json")
    assert Process.objects.get().stage_reached == "award"
    result = package_import(data=package(releases[4:]), actor=admin, source_name="second.json")
    assert (result.processes_updated, result.releases_created) == (1, 2)
    process = Process.objects.get()
    assert process.stage_reached == "implementation"
    assert process.compiled_release["contracts"][0]["awardID"] == "ocds-213czf-000-00001-award-01"


def test_agency_matched_by_buyer_name(admin: User) -> None:
    region = Region.objects.create(code="35.22", name="Bojonegoro", level=Region.Level.REGENCY)
    agency = Agency.objects.create(
        code="barnet", name="london borough of barnet", kind="other", government=region
    )
    package_import(data=package(lifecycle()), actor=admin, source_name="a.json")
    assert Process.objects.get().agency == agency


def test_malformed_json_names_line_and_writes_nothing(admin: User) -> None:
    with pytest.raises(OcdsFormatError) as info:
        package_import(data=b'{"releases": [\n  {"id": "1",,}]}', actor=admin, source_name="x")
    assert "baris 2" in info.value.message_id and "line 2" in info.value.message_en
    assert written() == (0, 0, 0, 0)


def test_schema_errors_are_listed_with_pointers(admin: User) -> None:
    bad = lifecycle()[:2]
    bad[1] = {**bad[1], "tender": {**bad[1]["tender"], "value": {"amount": "mahal"}}}
    del bad[0]["date"]
    with pytest.raises(OcdsValidationError) as info:
        package_import(data=package(bad), actor=admin, source_name="x")
    pointers = {i.pointer for i in errors_only(info.value.issues)}
    assert {"/releases/0", "/releases/1/tender/value/amount"} <= pointers
    assert "kolom wajib 'date'" in info.value.message_id
    assert written() == (0, 0, 0, 0)


def test_duplicate_release_ids_are_rejected(admin: User) -> None:
    first = lifecycle()[0]
    with pytest.raises(OcdsValidationError) as info:
        package_import(data=package([first, {**first}]), actor=admin, source_name="x")
    assert [i.code for i in errors_only(info.value.issues)] == ["duplicate_release_id"]
    assert written() == (0, 0, 0, 0)


def test_bandung_is_rejected(admin: User) -> None:
    with pytest.raises(OcdsValidationError) as info:
        package_import(data=BANDUNG.read_bytes(), actor=admin, source_name="birms.json")
    codes = {i.code for i in errors_only(info.value.issues)}
    assert codes == {"ocid_prefix", "singular_object", "award_link"}
    assert "data OCDS ditolak, 4 kesalahan" in info.value.message_id
    assert written() == (0, 0, 0, 0)


def test_changed_release_with_same_id_is_rejected(admin: User) -> None:
    releases = lifecycle()
    package_import(data=package(releases[:1]), actor=admin, source_name="a.json")
    before = written()
    changed = {**releases[0], "language": "id"}
    with pytest.raises(OcdsValidationError) as info:
        package_import(data=package([changed, releases[1]]), actor=admin, source_name="b.json")
    assert [i.code for i in info.value.issues] == ["release_conflict"]
    assert "tidak boleh diubah" in info.value.message_id
    assert written() == before  # release 2 was valid but nothing was written


def test_failure_mid_transaction_writes_nothing(admin: User) -> None:
    releases = lifecycle()
    huge = {**releases[1], "tender": {**releases[1]["tender"], "description": "x" * 70_000}}
    with pytest.raises(ValidationError) as info:
        package_import(data=package([releases[0], huge]), actor=admin, source_name="x")
    assert "too large for the log: 71.1 KB exceeds the 64 KB limit" in info.value.message_en
    assert written() == (0, 0, 0, 0)


def test_import_requires_admin() -> None:
    operator = User.objects.create_user(username="op", password="x", role=Role.OPERATOR)
    with pytest.raises(PermissionDenied):
        package_import(data=package(lifecycle()), actor=operator, source_name="x")
    assert written() == (0, 0, 0, 0)


def test_import_cannot_touch_a_native_process(admin: User) -> None:
    Process.objects.create(ocid="ocds-213czf-000-00001", title="Asli", fiscal_year=2025)
    with pytest.raises(ValidationError) as info:
        package_import(data=package(lifecycle()), actor=admin, source_name="x")
    assert "imports cannot alter it" in info.value.message_en
    assert Release.objects.count() == 0


def test_lifecycle_exports_back_equal(admin: User, tmp_path: Path) -> None:
    releases = lifecycle()
    package_import(data=package(list(reversed(releases))), actor=admin, source_name="a.json")
    result = ocds_export(out_dir=tmp_path, published_date="2025-01-01T00:00:00Z")
    assert (result.releases, result.records) == (6, 1)
    release_package = package_parse(result.release_package.read_bytes())
    assert release_package["releases"] == releases
    assert release_package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert errors_only(validate_package(release_package)) == []
    record_package = package_parse(result.record_package.read_bytes())
    assert validate_record_package(record_package) == []
    expected = json.loads((FICTIONAL / "record/ocds-213czf-000-00001.json").read_text())
    [record] = record_package["records"]
    assert record["compiledRelease"] == expected["records"][0]["compiledRelease"]
    assert record["releases"][0]["url"] == f"{release_package['uri']}#{releases[0]['id']}"
    assert record_package["packages"] == [release_package["uri"]]
    assert result.csv_zip and result.xlsx and result.xlsx.stat().st_size > 0
    with zipfile.ZipFile(result.csv_zip) as zf:
        assert "releases.csv" in zf.namelist()


def test_export_of_empty_database(tmp_path: Path) -> None:
    result = ocds_export(out_dir=tmp_path, flat=False)
    assert (result.releases, result.records, result.csv_zip) == (0, 0, None)
    assert package_parse(result.record_package.read_bytes())["records"] == []


def test_imported_and_published_releases_share_one_log_ref_and_show_their_index(
    admin: User, settings: Any
) -> None:
    skey, _vkey = generate_key("import.terbuka.example/log")
    settings.TERBUKA = {
        **settings.TERBUKA,
        "LOG_ORIGIN": "import.terbuka.example/log",
        "LOG_KEY": skey,
    }
    releases = lifecycle()
    package_import(data=package(releases), actor=admin, source_name="fictional.json")
    ocid = releases[0]["ocid"]
    refs = set(LogEntry.objects.filter(kind="ocds.release").values_list("ref", flat=True))
    assert refs == {release_log_ref(ocid, r["id"]) for r in releases}
    log_sequence()
    html = Client().get(f"/proses/{ocid}/").content.decode()
    latest = Release.objects.filter(ocid=ocid).order_by("-published_at", "-id").first()
    assert latest is not None
    index = entry_index_of(LogEntry.objects.get(ref=release_log_ref(ocid, latest.release_id)).pk)
    assert f'<code id="log-index">{index}</code>' in html
