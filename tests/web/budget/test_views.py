"""Region budget pages: totals, children, reported mismatch, APBDes and projects of a village."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from terbuka_web.budget.bulk import BatchSpec, batches_bulk_publish
from terbuka_web.budget.models import VillageProject
from terbuka_web.portal.templatetags.terbuka import rupiah

pytestmark = pytest.mark.django_db


def test_regency_page_shows_totals_children_and_djpk_check(seeded: None, client: Client) -> None:
    page = client.get("/anggaran/35.22/?tahun=2024")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kabupaten Bojonegoro" in text
    assert "Ringkasan APBD (DJPK Kemenkeu)" in text
    assert "Rp 8.206.220.000.000" in text  # DJPK Belanja Daerah 2024, and the lines equal it
    assert "Cocok" in text
    old = client.get("/anggaran/35.22/?tahun=2021").content.decode()
    assert "Tidak cocok" in old  # 2021 has no detailed lines: the reported total stands alone
    assert client.get("/anggaran/").status_code == 302


def test_village_page_shows_its_apbdes_and_projects(seeded: None, client: Client) -> None:
    project = VillageProject.objects.filter(year=2026).first()
    assert project is not None
    page = client.get(f"/anggaran/{project.region_id}/?tahun=2026")
    text = page.content.decode()
    assert page.status_code == 200
    assert "APBDes" in text and "Dana Desa" in text
    assert project.title in text
    board = client.get(f"/anggaran/{project.region_id}/papan/?tahun=2026").content.decode()
    assert "Informasi APBDes" in board and project.title in board and "Dana Desa" in board
    assert client.get("/anggaran/35.22/papan/").status_code == 404
    assert client.get("/anggaran/35.22.99.9999/").status_code == 404
    assert client.get("/anggaran/x/").status_code == 404


def test_pages_in_english(seeded: None, client: Client) -> None:
    client.cookies["django_language"] = "en"
    text = client.get("/anggaran/35.22/?tahun=2024", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spending" in text


def test_a_rendered_rollup_page_follows_each_publication_and_its_language(
    bojonegoro: str, client: Client
) -> None:
    def publish(village: str, millions: int) -> None:
        spec = BatchSpec("apbdes", village, None, None, 2026, "dpa")
        amount = millions * 1_000_000
        spec.lines = [
            {"programme": "2.3.01", "account": "5.2", "fungsi": "", "name": "", "amount": amount}
        ]
        batches_bulk_publish(actor=None, specs=[spec], source="uji.csv")

    def totals() -> str:
        text = client.get("/anggaran/35.22/?tahun=2026").content.decode()
        return text.split('id="ringkasan"')[1].split("</dl>")[0]

    publish("35.22.01.2001", 40)
    assert rupiah(40_000_000) in totals()
    publish("35.22.02.2001", 2)  # another village: the regency's body is rendered again
    assert rupiah(42_000_000) in totals() and rupiah(40_000_000) not in totals()
    english = Client()
    english.cookies["django_language"] = "en"
    text = english.get("/anggaran/35.22/?tahun=2026", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spending" in text  # not the Indonesian body kept for this version
    assert "Belanja" in totals()


@pytest.fixture
def linked() -> tuple[Any, Any]:
    """Publish a process whose planning names an APBD line (DPA and realisation imported)."""
    from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
    from terbuka_web.accounts.models import Role, User
    from terbuka_web.budget.services import budget_file_import
    from terbuka_web.contracting.services import process_create, stage_draft_save, stage_publish
    from tests.web.factories import agency_create

    agency = agency_create()
    programme = EXAMPLE_STAGE_DATA["planning"]["budget_line"]
    rows = (
        "tahun,tahap,wilayah,perangkat_daerah,kode_program,kode_rekening,uraian,jumlah\n"
        f"2026,dpa,35.22,{agency.code},{programme},5.2.04.01.01.0001,Jalan,1.500.000.000\n"
        f"2026,realisasi,35.22,{agency.code},{programme},5.2.04.01.01.0001,Jalan,700.000.000\n"
    )
    budget_file_import(actor=None, data=rows.encode(), name="dpa.csv")
    operator = User.objects.create_user("op", role=Role.OPERATOR, agency=agency)
    ppk = User.objects.create_user("ppk", role=Role.PPK, agency=agency)
    process = process_create(user=operator, agency=agency, title="Jalan Poros", fiscal_year=2026)
    stage_draft_save(
        user=operator, process=process, stage="planning", data=EXAMPLE_STAGE_DATA["planning"]
    )
    release = stage_publish(user=ppk, process=process, stage="planning")
    return process, release


def test_process_links_to_its_budget_line_in_ocds_and_on_its_page(
    client: Client, linked: tuple[Any, Any]
) -> None:
    from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
    from terbuka.ocds.validate import validate_release

    process, release = linked
    programme = EXAMPLE_STAGE_DATA["planning"]["budget_line"]
    breakdown = release.data["planning"]["budget"]["budgetBreakdown"]
    assert breakdown[0]["id"] == f"{programme}/5.2.04.01.01.0001"
    assert breakdown[0]["classifications"]["bidang"] == "5.02"
    assert breakdown[0]["measures"] == {"dpa": 1_500_000_000, "realisasi": 700_000_000}
    assert [i for i in validate_release(release.data, links=False) if i.severity == "error"] == []
    assert not [
        i for i in validate_release(release.data, links=False) if "budgetBreakdown" in i.pointer
    ]
    page = client.get(f"/proses/{process.ocid}/").content.decode()
    assert "Baris APBD sub kegiatan ini" in page
    assert "Rp 700.000.000" in page


def test_packages_using_the_budget_breakdown_declare_its_extensions(
    client: Client, linked: tuple[Any, Any], tmp_path: Path
) -> None:
    from terbuka.ocds.extensions import EXTENSIONS
    from terbuka.ocds.package import package_parse
    from terbuka.ocds.validate import errors_only, validate_package, validate_record_package
    from terbuka_web.contracting.exports import ocds_export

    process, _release = linked
    declared = list(EXTENSIONS)
    releases = client.get("/api/ocds/releases").json()
    assert list(releases)[:3] == ["uri", "version", "extensions"]  # OCDS 1.1.5 packaging order
    assert releases["extensions"] == declared
    assert errors_only(validate_package(releases)) == []
    record = client.get(f"/api/ocds/records/{process.ocid}").json()
    assert record["extensions"] == declared
    assert errors_only(validate_record_package(record)) == []
    assert client.get("/api/ocds/records").json()["extensions"] == declared
    assert json_of(client.get("/api/ocds/bulk/releases.json"))["extensions"] == declared
    assert client.get(f"/proses/{process.ocid}/record.json").json()["extensions"] == declared
    files = ocds_export(out_dir=tmp_path, flat=False)
    for path in (files.release_package, files.record_package):
        assert package_parse(path.read_bytes())["extensions"] == declared


def test_packages_without_a_budget_breakdown_declare_no_extension(client: Client) -> None:
    from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
    from terbuka_web.accounts.models import Role, User
    from terbuka_web.contracting.services import process_create, stage_draft_save, stage_publish
    from tests.web.factories import agency_create

    agency = agency_create()
    operator = User.objects.create_user("op", role=Role.OPERATOR, agency=agency)
    ppk = User.objects.create_user("ppk", role=Role.PPK, agency=agency)
    process = process_create(user=operator, agency=agency, title="Jalan Desa", fiscal_year=2026)
    stage_draft_save(
        user=operator, process=process, stage="planning", data=EXAMPLE_STAGE_DATA["planning"]
    )
    release = stage_publish(user=ppk, process=process, stage="planning")
    assert "budgetBreakdown" not in release.data["planning"]["budget"]  # no APBD line imported
    assert "extensions" not in client.get("/api/ocds/releases").json()
    assert "extensions" not in json_of(client.get("/api/ocds/bulk/releases.json"))


def json_of(response: Any) -> Any:
    """Return the JSON of a streamed response."""
    import json

    return json.loads(b"".join(response.streaming_content))
