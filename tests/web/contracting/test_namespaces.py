"""Namespaces: imports and Terbuka's own publications never share an ocid or a release id."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from terbuka.errors import ValidationError
from terbuka.ocds.errors import OcdsValidationError
from terbuka.ocds.package import package_format
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.contracting import services
from terbuka_web.contracting.imports import package_import
from terbuka_web.contracting.models import Process, Release, StageDraft
from terbuka_web.transparency.models import LogEntry

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def release(ocid: str, release_id: str, buyer: str = "Dinas PU Bina Marga") -> dict[str, Any]:
    """Return a small valid planning release of ocid bought by buyer."""
    return {
        "ocid": ocid,
        "id": release_id,
        "date": "2026-01-05T00:00:00Z",
        "tag": ["planning"],
        "initiationType": "tender",
        "buyer": {"id": "ID-PEMDA-1", "name": buyer},
        "parties": [{"id": "ID-PEMDA-1", "name": buyer, "roles": ["buyer"]}],
        "planning": {"rationale": "Rencana kerja"},
    }


def package(*releases: dict[str, Any]) -> bytes:
    return package_format(
        {
            "uri": "https://lpse.example/paket.json",
            "version": "1.1",
            "publishedDate": "2026-01-06T00:00:00Z",
            "publisher": {"name": "LPSE contoh"},
            "releases": list(releases),
        }
    )


def written() -> tuple[int, int, int]:
    return Process.objects.count(), Release.objects.count(), LogEntry.objects.count()


@pytest.fixture
def admin(db: None) -> User:
    return User.objects.create_user(username="admin-ns", role=Role.ADMIN)


def test_an_import_never_uses_the_instance_prefix(
    admin: User, users: dict[str, User], agencies: dict[str, Agency]
) -> None:
    """The next ocid Terbuka creates, or any other under its prefix, is refused to imports."""
    own = settings.TERBUKA["OCID_PREFIX"]
    latest = Process.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ocids = [f"{own}-dinas-pupr-2026-{n:06d}" for n in range(latest + 1, latest + 40)]
    data = package(*(release(ocid, f"{ocid}-planning-2") for ocid in ocids))
    before = written()
    with pytest.raises(OcdsValidationError) as info:
        package_import(data=data, actor=admin, source_name="klaim.json")
    issue = info.value.issues[0]
    assert issue.pointer == "/releases/0/ocid" and issue.code == "ocid_prefix"
    assert own in issue.message_en and "own prefix" in issue.message_en
    assert len(info.value.issues) == len(ocids)
    assert written() == before
    process = services.process_create(
        user=users[Role.OPERATOR], agency=agencies["own"], title="Jalan", fiscal_year=2026
    )
    assert process.ocid.startswith(f"{own}-") and not process.imported
    StageDraft.objects.create(
        process=process, stage="planning", data=EXAMPLE_STAGE_DATA["planning"]
    )
    first = services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    assert first.release_id == f"{process.ocid}-planning-1"


def test_officials_never_publish_into_an_imported_process(
    users: dict[str, User], agencies: dict[str, Agency]
) -> None:
    """An imported process (even one an older version let in under our prefix) is read-only."""
    own = settings.TERBUKA["OCID_PREFIX"]
    process = Process.objects.create(
        ocid=f"{own}-dinas-pupr-2026-999999",
        agency=agencies["own"],
        title="Diimpor",
        fiscal_year=2026,
        imported=True,
    )
    StageDraft.objects.create(
        process=process, stage="planning", data=EXAMPLE_STAGE_DATA["planning"]
    )
    before = written()
    attempts = [
        lambda: services.stage_publish(user=users[Role.PPK], process=process, stage="planning"),
        lambda: services.stage_draft_save(
            user=users[Role.OPERATOR],
            process=process,
            stage="planning",
            data=EXAMPLE_STAGE_DATA["planning"],
        ),
        lambda: upload(users, process, pdf_bytes()),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as info:
            attempt()
        assert "imported from another publisher" in info.value.message_en
        assert "diimpor dari penerbit lain" in info.value.message_id
    assert written() == before and process.documents.count() == 0
    client = Client()
    client.force_login(users[Role.OPERATOR])
    page = client.get(f"/kelola/proses/{process.pk}/").content.decode()
    assert "Diimpor" in page and "/planning/dokumen/" not in page and "Ubah isian" not in page


def test_an_import_never_adds_releases_to_a_process_published_through_terbuka(
    admin: User, users: dict[str, User], agencies: dict[str, Agency]
) -> None:
    """A process holding a release published here is closed to imports, even if marked imported."""
    ocid = "ocds-213czf-warisan-1"
    process = Process.objects.create(ocid=ocid, title="Campuran", fiscal_year=2026, imported=True)
    Release.objects.create(
        process=process,
        ocid=ocid,
        release_id=f"{ocid}-planning-1",
        date="2026-01-01T00:00:00Z",
        tags=["planning"],
        stage="planning",
        data=release(ocid, f"{ocid}-planning-1"),
        sha256="0" * 64,
        imported=False,
    )
    before = written()
    with pytest.raises(ValidationError) as info:
        package_import(data=package(release(ocid, "r-2")), actor=admin, source_name="x.json")
    assert "imports cannot alter it" in info.value.message_en
    assert written() == before


def test_a_new_prefix_names_new_processes_and_the_earlier_ones_stay_publishable(
    users: dict[str, User], agencies: dict[str, Agency], settings: Any, admin: User
) -> None:
    """Moving from the demo prefix to a registered one keeps every earlier ocid working."""

    def create() -> Process:
        process = services.process_create(
            user=users[Role.OPERATOR], agency=agencies["own"], title="Jalan", fiscal_year=2026
        )
        data = EXAMPLE_STAGE_DATA["planning"]
        StageDraft.objects.create(process=process, stage="planning", data=data)
        return process

    earlier = create()
    settings.TERBUKA = {**settings.TERBUKA, "OCID_PREFIX": "ocds-abc123"}
    later = create()
    assert later.ocid.startswith("ocds-abc123-") and not earlier.ocid.startswith("ocds-abc123-")
    for process in (earlier, later):
        published = services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
        assert published.data["ocid"] == process.ocid
    with pytest.raises(ValidationError, match="imports cannot alter it"):
        package_import(
            data=package(release(earlier.ocid, "r-2")), actor=admin, source_name="lama.json"
        )


def test_import_prefixes_restrict_imports(admin: User, settings: Any) -> None:
    settings.TERBUKA = {**settings.TERBUKA, "IMPORT_OCID_PREFIXES": ["ocds-213czf"]}
    with pytest.raises(OcdsValidationError) as info:
        package_import(data=package(release("ocds-b5fd17-1", "r1")), actor=admin, source_name="x")
    assert info.value.issues[0].pointer == "/releases/0/ocid"
    result = package_import(
        data=package(release("ocds-213czf-1", "r1")), actor=admin, source_name="y"
    )
    assert result.releases_created == 1


def settings_run(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    """Run code after loading Terbuka's settings, in an environment holding only env."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("TERBUKA_")}
    base.pop("DATABASE_URL", None)
    script = "import django; django.setup(); from django.conf import settings; " + code
    return subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "DJANGO_SETTINGS_MODULE": "terbuka_web.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_defaults_are_the_demos_example_origin_and_prefix(tmp_path: Any) -> None:
    run = settings_run(
        {"TERBUKA_DATA_DIR": str(tmp_path)},
        "t = settings.TERBUKA; print(t['LOG_ORIGIN'], t['OCID_PREFIX'], t['PUBLISHER_URI'])",
    )
    assert run.returncode == 0, run.stderr
    origin, prefix, uri = run.stdout.split()
    assert origin == "demo.terbuka.example/log" and prefix == "ocds-demo00"
    assert uri == "https://demo.terbuka.example"


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"TERBUKA_OCID_PREFIX": "tbk352"}, "TERBUKA_OCID_PREFIX: 'tbk352' is not a registered"),
        ({"TERBUKA_OCID_PREFIX": "ocds-ab,ocds-abcdef"}, "TERBUKA_OCID_PREFIX: 'ocds-ab' is not"),
        ({"TERBUKA_OCID_PREFIX": ""}, "TERBUKA_OCID_PREFIX harus satu"),
        (
            {"TERBUKA_OCID_PREFIX": "ocds-abc123", "TERBUKA_IMPORT_OCID_PREFIXES": "ocds-abc123"},
            "lists this instance's own prefix ocds-abc123",
        ),
        ({"TERBUKA_IMPORT_OCID_PREFIXES": "ocds-213czf,OCDS-X"}, "'OCDS-X' is not a registered"),
    ],
)
def test_a_bad_prefix_setting_is_named(tmp_path: Any, env: dict[str, str], said: str) -> None:
    run = settings_run({"TERBUKA_DATA_DIR": str(tmp_path), **env}, "print('started')")
    assert run.returncode != 0 and "started" not in run.stdout
    assert said in run.stderr
