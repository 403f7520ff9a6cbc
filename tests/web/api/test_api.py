"""Test the JSON API: error shape, process search, OCDS packages, since/after harvesting, bulk."""

from __future__ import annotations

import json

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from terbuka_web.contracting.models import Release
from tests.sheet_cells import FORMULA_TITLES, assert_no_formula
from tests.web.factories import (
    agency_create,
    document_create,
    draft_create,
    process_create,
    release_add,
    release_later,
)
from tests.web.ocds_schema import merger_local, package_validate

pytestmark = pytest.mark.django_db


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "message_en", "field"}
    return body["error"]


@pytest.mark.parametrize(
    "path",
    ["/api/processes/ocds-tbk352-nope", "/api/ocds/records/ocds-tbk352-nope", "/api/tidak-ada"],
)
def test_404_has_error_shape(client: Client, path: str) -> None:
    err = error_of(client.get(path), 404)
    assert err["code"] == "not_found" and err["message"] and err["message_en"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "dua"}, "year"),
        ({"year": "1999"}, "year"),
        ({"stage": "lelang"}, "stage"),
        ({"value_min": "-1"}, "value_min"),
        ({"value_min": "9", "value_max": "1"}, "value_min"),
        ({"per_page": "1000"}, "per_page"),
    ],
)
def test_422_names_the_field(client: Client, params: dict, field: str) -> None:
    err = error_of(client.get("/api/processes", params), 422)
    assert err["field"] == field
    assert err["message"] != err["message_en"]


@pytest.mark.parametrize(
    ("path", "params", "unknown", "accepted"),
    [
        ("/api/processes", {"supplier": "CV Maju", "q": "jalan"}, "supplier", "q, agency, stage"),
        ("/api/processes", {"Q": "jalan"}, "Q", "per_page, sort"),
        ("/api/ocds/releases", {"limit": "5", "from": "2024"}, "from", "since, after, limit"),
        ("/api/ocds/records", {"pagesize": "5"}, "pagesize", "page, per_page"),
    ],
)
def test_unknown_parameter_is_400_naming_the_accepted_ones(
    client: Client, path: str, params: dict, unknown: str, accepted: str
) -> None:
    process_create(agency=agency_create())  # today ?supplier= answers every process, unfiltered
    err = error_of(client.get(path, params), 400)
    assert err["code"] == "bad_request" and err["field"] == unknown
    assert unknown in err["message"] and accepted in err["message"]
    assert unknown in err["message_en"] and accepted in err["message_en"]


def test_sort_orders_the_search(client: Client) -> None:
    agency = agency_create()
    made = [
        process_create(agency=agency, title=t, value=v)
        for t, v in [("Jalan Kalitidu", 5), ("Jalan Ngasem", 9), ("Jalan Padangan", 1)]
    ]
    for sort, order in [("value_desc", [1, 0, 2]), ("value_asc", [2, 0, 1]), ("newest", [2, 1, 0])]:
        body = client.get("/api/processes", {"q": "jalan", "sort": sort}).json()
        assert [r["ocid"] for r in body["results"]] == [made[i].ocid for i in order]
    assert error_of(client.get("/api/processes", {"sort": "harga"}), 422)["field"] == "sort"


def test_405_has_error_shape(client: Client) -> None:
    response = client.post("/api/processes", {"q": "x"})
    err = error_of(response, 405)
    assert err["code"] == "method_not_allowed" and "POST" in err["message_en"]
    assert response["Allow"] == "GET"


@pytest.mark.parametrize(
    "after", ["x.y", "253402300800000000.1", "999999999999999999.999999999999999999", "1.-1"]
)
def test_bad_cursor_is_422(client: Client, after: str) -> None:
    err = error_of(client.get("/api/ocds/releases", {"after": after}), 422)
    assert err["field"] == "after" and "kursor" in err["message"]
    assert "cursor" in err["message_en"]


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_since_beyond_utc_years_is_422(client: Client, since: str) -> None:
    err = error_of(client.get("/api/ocds/releases", {"since": since}), 422)
    assert err["field"] == "since"


def test_process_search_filters_and_hides_drafts(client: Client) -> None:
    pu, dinkes = agency_create(), agency_create("dinas-kesehatan", "Dinas Kesehatan")
    road = process_create(agency=pu, stages=("planning", "tender", "award"), value=900_000_000)
    drugs = process_create(agency=dinkes, title="Obat Puskesmas", method="e_purchasing", value=5)
    draft_create(agency=pu)
    everything = client.get("/api/processes").json()
    assert {p["ocid"] for p in everything["results"]} == {road.ocid, drugs.ocid}
    checks = {
        "agency=dinas-kesehatan": drugs,
        "stage=award": road,
        "method=e_purchasing": drugs,
        "value_min=1000": road,
        "q=puskesmas": drugs,
        "q=maju+jaya": road,
    }
    for query, expected in checks.items():
        body = client.get(f"/api/processes?{query}").json()
        assert [p["ocid"] for p in body["results"]] == [expected.ocid], query
    assert client.get("/api/processes?year=2030").json()["count"] == 0


def test_process_search_pages(client: Client) -> None:
    agency = agency_create()
    made = {process_create(agency=agency, stages=("planning",)).ocid for _ in range(5)}
    seen, url = set(), "/api/processes?per_page=2"
    while url:
        body = client.get(url).json()
        seen |= {p["ocid"] for p in body["results"]}
        url = body["next"]
    assert seen == made


def test_process_detail_has_timeline_and_hashes(client: Client) -> None:
    p = process_create(agency=agency_create(), stages=("planning", "award"))
    doc = document_create(p, stage="planning", release=p.releases.get(stage="planning"))
    body = client.get(f"/api/processes/{p.ocid}").json()
    by_stage = {s["stage"]: s for s in body["timeline"]}
    assert by_stage["planning"]["published"] and by_stage["tender"]["missing"]
    assert not by_stage["contract"]["missing"] and not by_stage["contract"]["published"]
    assert body["documents"][0]["sha256"] == doc.sha256
    assert body["suppliers"][0]["name"] == "CV Maju Jaya Bojonegoro"


def test_record_package_matches_ocdsmerge_and_validates(client: Client) -> None:
    p = process_create(agency=agency_create(), stages=("planning", "tender", "award", "contract"))
    package = client.get(f"/api/ocds/records/{p.ocid}").json()
    package_validate(package, "record")
    releases = [r.data for r in p.releases.order_by("date")]
    assert package["records"][0]["compiledRelease"] == merger_local().create_compiled_release(
        releases
    )
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publisher"]["name"] and package["publishedDate"]


def test_records_paged_validate(client: Client) -> None:
    agency = agency_create()
    made = {process_create(agency=agency).ocid for _ in range(3)}
    draft_create(agency=agency)
    seen, url = set(), "/api/ocds/records?per_page=2"
    while url:
        package = client.get(url).json()
        package_validate(package, "record")
        seen |= {r["ocid"] for r in package["records"]}
        url = package.get("links", {}).get("next")
    assert seen == made


def _harvest(client: Client, url: str, on_page=None) -> tuple[list[str], str]:
    ids: list[str] = []
    pages = 0
    while True:
        response = client.get(url)
        pages += 1
        if on_page:
            on_page(pages)
        if response.status_code == 204:
            return ids, url
        package = response.json()
        package_validate(package, "release")
        ids += [r["id"] for r in package["releases"]]
        url = package["links"]["next"]


def test_since_paging_returns_every_release_once_including_new_ones(client: Client) -> None:
    agency = agency_create()
    procs = [process_create(agency=agency, stages=("planning", "tender")) for _ in range(7)]
    # Give several releases the very same published_at: ties must not lose or repeat rows.
    first = Release.objects.order_by("published_at", "id").first()
    Release.objects.filter(pk__in=list(Release.objects.values_list("pk", flat=True)[:5])).update(
        published_at=first.published_at
    )

    def publish_during(page: int) -> None:
        if page in (2, 4):
            p = procs[page]
            data = release_later(p, "award", days=30, supplier=f"CV Baru {page}")
            release_add(p, data, "award")

    ids, resume = _harvest(client, "/api/ocds/releases?limit=3", publish_during)
    expected = list(
        Release.objects.order_by("published_at", "id").values_list("release_id", flat=True)
    )
    assert ids == expected and len(ids) == len(set(ids)) == 16
    # Resuming from the last next link later sees only what was published since.
    data = release_later(procs[0], "contract", days=40, supplier="CV Akhir")
    late = release_add(procs[0], data, "contract")
    assert _harvest(client, resume)[0] == [late.release_id]


def test_since_filters_by_published_at(client: Client) -> None:
    agency = agency_create()
    process_create(agency=agency, stages=("planning",))
    later = process_create(agency=agency, stages=("planning", "tender"))
    cut = later.releases.order_by("published_at").first().published_at
    body = client.get("/api/ocds/releases", {"since": cut.isoformat()}).json()
    assert [r["id"] for r in body["releases"]] == [
        r.release_id for r in later.releases.order_by("published_at", "id")
    ]
    naive = cut.replace(tzinfo=None).isoformat()
    assert client.get("/api/ocds/releases", {"since": naive}).status_code == 200
    odd_offset = "0100-04-15T14:44:28+21:36"  # valid ISO 8601, beyond PostgreSQL's offsets
    assert client.get("/api/ocds/releases", {"since": odd_offset}).status_code == 200
    err = error_of(client.get("/api/ocds/releases", {"since": "0001-01-01T00:00:00+05:00"}), 422)
    assert err["field"] == "since"


def test_bulk_json_streams_and_validates(client: Client) -> None:
    agency = agency_create()
    for _ in range(30):
        process_create(agency=agency, stages=("planning", "tender", "award"))
    response = client.get("/api/ocds/bulk/releases.json")
    assert isinstance(response, StreamingHttpResponse)
    chunks = list(response.streaming_content)
    assert len(chunks) >= 90  # one chunk per release, never the whole package at once
    package = json.loads(b"".join(chunks))
    package_validate(package, "release")
    assert len(package["releases"]) == 90
    assert package["license"].endswith("/by/4.0/")


def test_bulk_csv_zip_and_xlsx_hold_every_release(client: Client) -> None:
    import io
    import zipfile

    import openpyxl

    from terbuka_web.api.services import bulk_files_build

    def csv_rows() -> int:
        response = client.get("/api/ocds/bulk/releases.csv.zip")
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        assert response["Last-Modified"]
        with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
            return zf.read("releases.csv").decode("utf-8").count("\n") - 1  # minus the header

    assert error_of(client.get("/api/ocds/bulk/releases.csv.zip"), 404)["code"] == "not_found"
    assert bulk_files_build() is None
    agency = agency_create()
    made = [process_create(agency=agency, stages=("planning", "tender")) for _ in range(3)]
    # Published but not built yet: a request never flattens (a minute per 100k releases).
    waiting = client.get("/api/ocds/bulk/releases.xlsx")
    assert error_of(waiting, 503)["code"] == "not_ready" and waiting["Retry-After"] == "60"
    files = bulk_files_build()
    assert files is not None and csv_rows() == 6  # one row per release
    response = client.get("/api/ocds/bulk/releases.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ocid_cells = {c.value for row in book["releases"].iter_rows() for c in row}
    assert {p.ocid for p in made} <= ocid_cells
    # A new publication: the last build is served until the builder's next round replaces it.
    process_create(agency=agency, stages=("planning",))
    assert csv_rows() == 6
    newer = bulk_files_build()
    assert newer is not None and newer != files and csv_rows() == 7
    assert not files.csv_zip.parent.exists()  # the older build is removed
    assert bulk_files_build() == newer  # unchanged data: nothing rebuilt


def test_bulk_files_have_no_formula_cell(client: Client, tmp_path) -> None:
    from terbuka_web.api.services import bulk_files_build

    agency = agency_create()
    stages = ("planning", "tender", "award")
    for title in FORMULA_TITLES:
        process_create(agency=agency, title=title, description=title, supplier=title, stages=stages)
    assert bulk_files_build() is not None
    for name in ("releases.csv.zip", "releases.xlsx"):
        response = client.get(f"/api/ocds/bulk/{name}")
        assert response.status_code == 200
        (tmp_path / name).write_bytes(b"".join(response.streaming_content))
    assert_no_formula(tmp_path / "releases.csv.zip", tmp_path / "releases.xlsx", FORMULA_TITLES)
    package = json.loads(b"".join(client.get("/api/ocds/bulk/releases.json").streaming_content))
    titles = {r["tender"]["title"] for r in package["releases"] if "tender" in r}
    assert titles == set(FORMULA_TITLES)  # the JSON keeps the exact text


def test_every_endpoint_is_documented(client: Client) -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text("utf-8")
    paths = client.get("/api/openapi.json").json()["paths"]
    endpoints = [f"{method.upper()} {p}" for p, ops in paths.items() for method in ops]
    missing = [e for e in endpoints if f"{e}`" not in doc]
    assert not missing, f"undocumented in docs/api.md: {missing}"


def test_500_has_error_shape_and_leaks_nothing(client: Client, settings, caplog) -> None:
    p = process_create(agency=agency_create())
    settings.TERBUKA = {}  # a broken deployment: publisher settings missing
    err = error_of(client.get(f"/api/ocds/records/{p.ocid}"), 500)
    assert err["code"] == "error" and "PUBLISHER" not in err["message_en"]
    assert "internal server error" in err["message_en"]
    assert any("API error" in r.message for r in caplog.records)


def test_bulk_json_memory_stays_flat_with_many_releases(client: Client) -> None:
    import tracemalloc
    from datetime import UTC, datetime

    p = process_create(agency=agency_create(), stages=("planning",))
    filler = "Pengaspalan jalan poros desa " * 60  # ~1.7 kB per release
    rows = [
        Release(
            process=p,
            ocid=p.ocid,
            release_id=f"{p.ocid}-bulk-{i}",
            tags=["planningUpdate"],
            date=datetime(2024, 3, 1, tzinfo=UTC),
            stage="planning",
            sha256="0" * 64,
            data={
                "ocid": p.ocid,
                "id": f"{p.ocid}-bulk-{i}",
                "date": "2024-03-01T00:00:00Z",
                "tag": ["planningUpdate"],
                "initiationType": "tender",
                "planning": {"rationale": filler},
            },
        )
        for i in range(8000)
    ]
    Release.objects.bulk_create(rows, batch_size=500)
    response = client.get("/api/ocds/bulk/releases.json")
    tracemalloc.start()
    total = count = 0
    for chunk in response.streaming_content:
        total += len(chunk)
        count += chunk.count(b'"initiationType"')
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 8001 and total > 14_000_000
    print(f"bulk stream: peak {peak} bytes for a {total}-byte package")
    assert peak < total / 5, f"peak {peak} bytes for a {total}-byte package"
