"""Test the public portal: search filters, drafts hidden, process page, record, completeness."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.web.factories import agency_create, document_create, draft_create, process_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    pu = agency_create()
    dinkes = agency_create("dinas-kesehatan", "Dinas Kesehatan")
    return {
        "pu": pu,
        "dinkes": dinkes,
        "road": process_create(
            agency=pu,
            title="Pembangunan Jalan Desa Kalitidu",
            stages=("planning", "tender", "award", "contract"),
            value=1_250_000_000,
            fiscal_year=2024,
            supplier="CV Maju Jaya Bojonegoro",
        ),
        "bridge": process_create(
            agency=pu,
            title="Rehabilitasi Jembatan Padangan",
            stages=("planning",),
            method="seleksi",
            value=300_000_000,
            fiscal_year=2023,
        ),
        "drugs": process_create(
            agency=dinkes,
            title="Pengadaan Obat Puskesmas",
            description="Obat generik untuk 36 puskesmas",
            stages=("planning", "tender", "award"),
            method="e_purchasing",
            value=80_000_000,
            supplier="PT Farmasi Sehat",
        ),
        "draft": draft_create(agency=pu),
    }


def ocids(response) -> set[str]:
    return {p["ocid"] for p in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"road", "bridge", "drugs"}),
        ({"agency": "dinas-kesehatan"}, {"drugs"}),
        ({"stage": "planning"}, {"bridge"}),
        ({"stage": "contract"}, {"road"}),
        ({"year": "2023"}, {"bridge"}),
        ({"method": "e_purchasing"}, {"drugs"}),
        ({"value_min": "300000000"}, {"road", "bridge"}),
        ({"value_max": "300.000.000"}, {"bridge", "drugs"}),
        ({"value_min": "100000000", "value_max": "500000000"}, {"bridge"}),
        ({"q": "jembatan"}, {"bridge"}),
        ({"q": "GENERIK"}, {"drugs"}),
        ({"q": "maju jaya"}, {"road"}),
        ({"q": "dinas kesehatan"}, {"drugs"}),
        ({"q": "rahasia"}, set()),
        ({"agency": "dinas-pu-bina-marga", "year": "2024"}, {"road"}),
    ],
)
def test_each_filter_narrows_results(world, client: Client, params, expected) -> None:
    response = client.get("/", params)
    assert response.status_code == 200
    assert ocids(response) == {world[k].ocid for k in expected}


def test_drafts_never_public(world, client: Client) -> None:
    draft = world["draft"]
    assert draft.title not in client.get("/", {"q": "rahasia"}).content.decode()
    response = client.get(f"/proses/{draft.ocid}/")
    assert response.status_code == 404 and "belum diterbitkan" in response.content.decode()
    assert client.get(f"/proses/{draft.ocid}/record.json").status_code == 404
    assert draft.title not in client.get("/kelengkapan/").content.decode()


def test_bad_filter_is_explained_in_both_languages(world, client: Client) -> None:
    response = client.get("/", {"year": "dua ribu"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "(Tahun anggaran): harus bilangan bulat antara 2000 dan 2100" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", {"value_min": "9", "value_max": "1"})
    assert response.status_code == 400
    assert "(Minimum value (Rp)): the minimum value must not exceed" in response.content.decode()


def test_pagination_pages_through_everything(client: Client) -> None:
    agency = agency_create()
    made = {process_create(agency=agency, stages=("planning",)).ocid for _ in range(45)}
    seen: set[str] = set()
    for page in (1, 2, 3):
        response = client.get("/", {"page": page})
        seen |= ocids(response)
    assert seen == made
    assert 'rel="next"' in client.get("/", {"page": 1}).content.decode()


def test_process_page_shows_timeline_missing_stages_values_and_hashes(
    world, client: Client
) -> None:
    road = world["road"]
    tender_release = road.releases.get(stage="tender")
    doc = document_create(road, stage="tender", release=tender_release)
    planning = road.releases.get(stage="planning")
    first = document_create(road, stage="planning", release=planning, title="DPA")
    hidden = document_create(road, stage="contract", release=None, title="Draf Kontrak")
    html = client.get(f"/proses/{road.ocid}/").content.decode()
    for label in ("Perencanaan", "Pemilihan Penyedia", "Pemenang", "Kontrak", "Implementasi"):
        assert label in html
    assert html.count('class="stage done"') == 4
    assert 'class="stage pending"' in html
    assert "Tahap yang belum ada:" in html and "Implementasi." in html
    assert "Rp 1.250.000.000" in html
    assert "CV Maju Jaya Bojonegoro" in html
    assert doc.sha256 in html and doc.file.url in html
    assert html.index(first.sha256) < html.index(doc.sha256)  # stage order, not alphabetical
    assert hidden.title not in html and hidden.sha256 not in html


def test_process_page_marks_skipped_stage_missing(client: Client) -> None:
    agency = agency_create()
    skipped = process_create(agency=agency, stages=("planning", "award"))
    html = client.get(f"/proses/{skipped.ocid}/").content.decode()
    assert 'class="stage missing"' in html
    assert "Belum diisi, padahal tahap berikutnya sudah terbit" in html


def test_record_download_is_ocdsmerge_compilation(world, client: Client) -> None:
    import ocdsmerge

    from tests.web.ocds_schema import merger_local, package_validate

    road = world["road"]
    response = client.get(f"/proses/{road.ocid}/record.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    package = json.loads(response.content)
    package_validate(package, "record")
    (record,) = package["records"]
    releases = [r.data for r in road.releases.order_by("date")]
    assert record["releases"] == releases
    assert isinstance(merger_local(), ocdsmerge.Merger)
    assert record["compiledRelease"] == merger_local().create_compiled_release(releases)
    assert (
        record["compiledRelease"]["awards"][0]["suppliers"][0]["name"] == "CV Maju Jaya Bojonegoro"
    )


def test_completeness_counts_each_stage_per_agency(world, client: Client) -> None:
    response = client.get("/kelengkapan/")
    html = response.content.decode()
    rows = {r.agency.code: r for r in response.context["rows"]}
    assert set(rows) == {"dinas-pu-bina-marga", "dinas-kesehatan"}
    pu = rows["dinas-pu-bina-marga"]
    assert pu.total == 2
    assert {s: n for s, _, n, _ in pu.rows()} == {
        "planning": 2,
        "tender": 1,
        "award": 1,
        "contract": 1,
        "implementation": 0,
    }
    assert "1/2 (50%)" in html and "2/2 (100%)" in html
    assert '<caption id="kelengkapan-caption">' in html and 'scope="row"' in html


def test_language_switch_shows_english(world, client: Client) -> None:
    assert "Cari proses pengadaan" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/kelengkapan/"})
    assert response.status_code == 302 and response["Location"] == "/kelengkapan/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Search procurement processes" in html
    assert "Planning" in client.get(f"/proses/{world['road'].ocid}/").content.decode()
    assert "Data completeness by agency" in client.get("/kelengkapan/").content.decode()


def test_count_stops_at_the_cap(client: Client) -> None:
    from terbuka_web.portal.selectors import ProcessFilters, SearchPaginator

    agency = agency_create()
    for _ in range(5):
        process_create(agency=agency, stages=("planning",))
    capped = SearchPaginator(ProcessFilters(), 2, cap=3)
    assert (capped.count, capped.capped, capped.num_pages) == (3, True, 2)
    exact = SearchPaginator(ProcessFilters(), 2, cap=5)
    assert (exact.count, exact.capped) == (5, False)
    assert client.get("/api/processes").json()["count_capped"] is False
