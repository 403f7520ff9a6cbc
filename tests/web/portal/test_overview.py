"""Test the home page overview: totals that add up, drafts left out, cached per publication."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from terbuka_web.contracting.models import Process
from terbuka_web.portal import selectors
from terbuka_web.portal.templatetags.terbuka import rupiah_short
from tests.web.factories import agency_create, draft_create, process_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Process]:
    pu = agency_create()
    dinkes = agency_create("dinas-kesehatan", "Dinas Kesehatan")
    imported = process_create(agency=dinkes, title="Alat Kesehatan Impor", value=40_000_000)
    Process.objects.filter(pk=imported.pk).update(agency=None, buyer_name="RSUD Lama")
    return {
        "road": process_create(
            agency=pu, stages=("planning", "tender", "award", "contract"), value=1_250_000_000
        ),
        "bridge": process_create(
            agency=pu, stages=("planning",), method="seleksi", value=300_000_000, fiscal_year=2023
        ),
        "drugs": process_create(
            agency=dinkes,
            stages=("planning", "tender", "award"),
            method="e_purchasing",
            value=80_000_000,
        ),
        "imported": imported,
        "draft": draft_create(agency=pu),  # value 999,000,000 that must never count
    }


BREAKDOWNS = ("by_agency", "by_method", "by_stage", "by_year")


def test_totals_equal_the_sum_of_each_breakdown(world) -> None:
    found = selectors.overview()
    assert (found.processes, found.value, found.agencies) == (4, 1_670_000_000, 2)
    for name in BREAKDOWNS:
        parts = getattr(found, name)
        assert sum(s.processes for s in parts) == found.processes, name
        assert sum(s.value for s in parts) == found.value, name


def test_drafts_never_count(world) -> None:
    found = selectors.overview()
    pu = next(s for s in found.by_agency if s.key == "dinas-pu-bina-marga")
    assert (pu.processes, pu.value) == (2, 1_550_000_000)  # the draft's 999,000,000 is not there
    assert world["draft"].ocid not in {r.ocid for r in found.recent}


def test_breakdowns_group_and_order_as_shown(world) -> None:
    found = selectors.overview()
    assert [(s.key, s.processes) for s in found.by_agency] == [
        ("dinas-pu-bina-marga", 2),
        ("dinas-kesehatan", 1),
        ("", 1),  # the imported process, without an agency of this instance
    ]
    assert [s.key for s in found.by_stage] == ["planning", "tender", "award", "contract"]
    assert [s.key for s in found.by_method] == ["tender", "seleksi", "e_purchasing"]
    assert [(s.key, s.value) for s in found.by_year] == [
        ("2023", 300_000_000),
        ("2024", 1_370_000_000),
    ]
    assert [r.ocid for r in found.recent] == [  # each process once, by its newest release
        world[name].ocid for name in ("drugs", "bridge", "road", "imported")
    ]
    assert found.recent[0].stage == "award" and found.recent[0].agency == "Dinas Kesehatan"


def test_agencies_beyond_the_chart_share_one_bar() -> None:
    for i in range(selectors.OVERVIEW_AGENCIES + 2):
        agency = agency_create(f"dinas-{i}", f"Dinas {i}")
        process_create(agency=agency, value=(i + 1) * 1_000_000)
    found = selectors.overview()
    assert len(found.by_agency) == selectors.OVERVIEW_AGENCIES + 1
    others = found.by_agency[-1]
    assert (others.key, others.members, others.processes, others.value) == (
        selectors.OTHERS,
        2,
        2,
        3_000_000,  # the two smallest: 1 and 2 million
    )
    assert found.agencies == selectors.OVERVIEW_AGENCIES + 2
    assert sum(s.value for s in found.by_agency) == found.value


def test_overview_is_cached_until_a_publication(world) -> None:
    selectors.overview()
    with CaptureQueriesContext(connection) as queries:
        again = selectors.overview()
    assert queries.captured_queries == [] and again.processes == 4
    process_create(agency=world["road"].agency, value=5)  # a save forgets the stamp here
    assert selectors.overview().processes == 5


def test_home_page_shows_the_overview_only_before_a_search(world, client: Client) -> None:
    html = client.get("/").content.decode()
    assert "Ke mana uang mengalir" in html and html.count('<figure class="chart"') == 4
    assert "Rp 1,7 M" in html  # 1,670,000,000 in readable units
    assert '<dd class="tb-stat__value">2023–2024</dd>' in html  # the fiscal years
    assert 'href="?agency=dinas-kesehatan"' in html  # table rows lead to the filtered search
    assert f'href="/proses/{world["drugs"].ocid}/"' in html  # a recent publication
    assert "Pembeli lain (data impor)" in html
    searched = client.get("/", {"q": "jalan"}).content.decode()
    assert "Ke mana uang mengalir" not in searched
    assert "Ke mana uang mengalir" not in client.get("/", {"year": "2023"}).content.decode()


def test_home_page_overview_in_english(world, client: Client) -> None:
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert "Where the money goes" in html and "Value by agency" in html
    assert "Rp 1.7 bn" in html and "Other buyers (imported data)" in html


def test_home_page_costs_no_query_for_the_overview_once_cached(world, client: Client) -> None:
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert queries.captured_queries == [], [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (None, "—", "—"),
        (500, "Rp 500", "Rp 500"),
        (1_500_000, "Rp 1,5 jt", "Rp 1.5 mn"),
        (12_345_678_901, "Rp 12,3 M", "Rp 12.3 bn"),
        (1_234_000_000_000, "Rp 1,2 T", "Rp 1.2 tn"),
        (999_999, "Rp 1 jt", "Rp 1 mn"),
    ],
)
def test_rupiah_in_readable_units(value: int | None, indonesian: str, english: str) -> None:
    with translation.override("id"):
        assert rupiah_short(value) == indonesian
    with translation.override("en"):
        assert rupiah_short(value) == english


def test_overview_query_is_covered_by_its_index(world) -> None:
    """Every column the overview reads is in portal_process_overview (PostgreSQL can then
    scan the index alone; COUNT(id) would send it to the rows)."""
    cube = selectors.overview_cube()
    read = set(re.findall(r'"contracting_process"\."(\w+)"', str(cube.query)))
    indexed = {"agency_id", "method", "stage_reached", "fiscal_year", "value_idr"}
    assert read == indexed | {"first_published_at"}  # the index's own WHERE
    assert "COUNT(*)" in str(cube.query)
    if connection.vendor == "sqlite":  # PostgreSQL picks it on many rows only
        assert "USING INDEX portal_process_overview" in cube.explain()
