"""The openness index pages, badge and API on processes published through the services: every
component shown with its counts, missing components said so, the ranking and the JSON."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from terbuka_web.accounts.models import Agency
from terbuka_web.contracting.models import Process
from terbuka_web.flags import selectors as selectors_flags
from terbuka_web.openness import selectors
from terbuka_web.regions.models import Region
from tests.web.flags.test_pages import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies() -> dict[str, Process]:
    """Publish two processes of Dinas PU (one single-bid) and one of Dinkes (single-bid)."""
    cache.clear()
    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    pu = Agency.objects.create(code="dinas-pu", name="Dinas PU", kind="dinas", government=region)
    dinkes = Agency.objects.create(
        code="dinkes", name="Dinas Kesehatan", kind="dinas", government=region
    )
    return {
        "single": published(pu, "Jalan Ngasem", tenderers=1, days=14),
        "fine": published(pu, "Jalan Kalitidu", tenderers=4, days=18),
        "other": published(dinkes, "Puskesmas Dander", tenderers=1, days=18),
    }


def test_raw_counts_per_agency_and_year(agencies: dict[str, Process]) -> None:
    pu = Agency.objects.get(code="dinas-pu")
    counts = selectors.raw_counts()[(pu.id, "2026")]
    assert counts["completeness"] == [6, 10]  # three of five stages, two processes
    assert counts["flags"] == [1, 2]
    assert counts["documents"][1] == 6
    assert "complaints" not in counts  # no report followed up: left out, not zero


def _first_published_in(process: Process, month: int) -> None:
    """Move a process's first publication to the 1st of month 2026 (cache cleared)."""
    when = dt.datetime(2026, month, 1, 10, tzinfo=dt.UTC)
    Process.objects.filter(pk=process.pk).update(first_published_at=when)
    cache.clear()


def test_raw_counts_per_quarter_place_a_process_by_its_first_publication(
    agencies: dict[str, Process],
) -> None:
    _first_published_in(agencies["single"], 8)
    _first_published_in(agencies["fine"], 2)
    pu = Agency.objects.get(code="dinas-pu")
    table = selectors.raw_counts(by=selectors.QUARTER)
    assert table[(pu.id, "2026-Q3")]["completeness"] == [3, 5]
    assert table[(pu.id, "2026-Q3")]["flags"] == [1, 1]  # the single-bid one
    assert table[(pu.id, "2026-Q1")]["flags"] == [0, 1]
    assert selectors.raw_counts()[(pu.id, "2026")]["flags"] == [1, 2]  # the year: both


def test_ranking_and_agency_pages_per_quarter_with_the_quarterly_trend(
    client: Client, agencies: dict[str, Process]
) -> None:
    _first_published_in(agencies["single"], 8)
    _first_published_in(agencies["fine"], 2)
    assert selectors.periods()[0] == "2026" and "2026-Q3" in selectors.periods()
    page = client.get("/keterbukaan/", {"periode": "2026-Q3"}).content.decode()
    assert '<option value="2026-Q3" selected>2026 triwulan 3</option>' in page
    assert 'href="/keterbukaan/dinas-pu/?periode=2026-Q3"' in page
    assert "Indeks keterbukaan 2026 triwulan 3" in page
    one = client.get("/keterbukaan/dinas-pu/", {"periode": "2026-Q1"}).content.decode()
    assert "2026 triwulan 1: <strong>" in one
    assert "0 / 1" in one  # Q1: the fine process judged, not flagged
    assert 'id="tren-keterbukaan-triwulan' in one and "Tren per triwulan (0–100)" in one
    assert '<th scope="row">2026 triwulan 3</th>' in one  # the trend's data table
    older = client.get("/keterbukaan/dinas-pu/", {"tahun": "2026"}).content.decode()
    assert "1 / 2" in older  # the older ?tahun= link still picks the year


def test_api_per_quarter_adds_to_the_yearly_answer(
    client: Client, agencies: dict[str, Process]
) -> None:
    _first_published_in(agencies["single"], 8)
    rows = client.get("/api/openness", {"year": 2026, "quarter": 3}).json()
    assert [(r["agency"]["code"], r["period"], r["quarter"]) for r in rows] == [
        ("dinas-pu", "2026-Q3", 3)
    ]
    yearly = client.get("/api/openness", {"year": 2026}).json()
    assert {(r["period"], r["quarter"], r["year"]) for r in yearly} == {("2026", None, 2026)}
    assert client.get("/api/openness", {"year": 2026, "quarter": 5}).status_code == 422


def test_ranking_page_shows_agencies_regions_and_the_formula(
    client: Client, agencies: dict[str, Process]
) -> None:
    started = time.perf_counter()
    response = client.get("/keterbukaan/")
    assert time.perf_counter() - started < 2.0
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dinas PU" in page and "Dinas Kesehatan" in page and "Bojonegoro" in page
    assert 'href="/keterbukaan/dinas-pu/?periode=2026"' in page
    assert "bobot" in page and "Tindak lanjut laporan warga" in page
    assert "<table" in page and "<svg" in page


def test_agency_page_shows_each_component_with_counts(
    client: Client, agencies: dict[str, Process]
) -> None:
    page = client.get("/keterbukaan/dinas-pu/").content.decode()
    assert "6 / 10" in page  # completeness numerator / denominator
    assert "1 / 2" in page  # flagged / judged
    assert "tanpa data, tidak dihitung" in page  # complaints: missing, said so
    assert "lencana.svg" in page and 'href="/tanda-bahaya/perangkat-daerah/dinas-pu/"' in page
    assert client.get("/keterbukaan/tidak-ada/").status_code == 404


def test_badge_is_a_cacheable_svg_with_score_and_year(
    client: Client, agencies: dict[str, Process]
) -> None:
    response = client.get("/keterbukaan/dinas-pu/lencana.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=" in response["Cache-Control"]
    body = response.content.decode()
    assert body.startswith("<svg") and "2026" in body and "/100" in body
    assert "http" not in body.replace("http://www.w3.org/2000/svg", "")  # nothing external
    assert client.get("/keterbukaan/tidak-ada/lencana.svg").status_code == 404


def test_api_lists_agencies_with_score_and_components(
    client: Client, agencies: dict[str, Process]
) -> None:
    rows = client.get("/api/openness?year=2026").json()
    assert {r["agency"]["code"] for r in rows} == {"dinas-pu", "dinkes"}
    pu = next(r for r in rows if r["agency"]["code"] == "dinas-pu")
    flags = next(c for c in pu["components"] if c["key"] == "flags")
    assert (flags["numerator"], flags["denominator"], flags["score"]) == (1, 2, 50.0)
    assert "complaints" in pu["missing"]
    assert 0 <= pu["score"] <= 100
    assert client.get("/api/openness?year=1990").status_code == 422
    assert client.get("/api/openness?year=2031").json() == []


def test_agency_flags_page_lists_physical_against_financial_progress(client: Client) -> None:
    """Part 3: each contract's physical and financial progress on the agency's monitoring page,
    and the monitoring table per region."""
    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    pu = Agency.objects.create(code="dinas-pu", name="Dinas PU", kind="dinas", government=region)
    process = published(
        pu,
        "Jalan Ngasem",
        tenderers=3,
        days=18,
        stages=("planning", "tender", "award", "contract", "implementation"),
    )
    rows = selectors_flags.contract_progress(pu.id)
    assert [r.ocid for r in rows] == [process.ocid]
    page = client.get("/tanda-bahaya/perangkat-daerah/dinas-pu/").content.decode()
    assert "Progres keuangan" in page and process.ocid in page
    regions = client.get("/tanda-bahaya/wilayah/").content.decode()
    assert "Kontrak per wilayah" in regions and "Bojonegoro" in regions


def test_pages_speak_english_too(client: Client, agencies: dict[str, Process]) -> None:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ranking = client.get("/keterbukaan/").content.decode()
    assert "Openness index" in ranking and "Citizens&#x27; reports followed up" in ranking
    page = client.get("/keterbukaan/dinas-pu/").content.decode()
    assert "no data, left out" in page and "Numerator / denominator" in page


def test_the_ranking_is_a_few_aggregate_queries(
    client: Client, agencies: dict[str, Process], django_assert_max_num_queries: Any
) -> None:
    client.get("/keterbukaan/")  # warm the templates
    cache.clear()
    with django_assert_max_num_queries(13):  # a constant: aggregates, never one per row
        assert client.get("/keterbukaan/").status_code == 200
    with django_assert_max_num_queries(3):  # cached per publication stamp
        assert client.get("/keterbukaan/dinas-pu/").status_code == 200
