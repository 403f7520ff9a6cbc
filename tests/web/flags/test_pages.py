"""Where people see the red flags: the process page's explanations with the data behind them,
the portal search and API filter, the dashboards per agency, region and supplier, and the
methodology page. Processes are published through the services, as officials do."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from terbuka.flags.registry import CODES
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.contracting import services
from terbuka_web.contracting.models import Process, StageDraft
from terbuka_web.flags import selectors
from terbuka_web.flags.models import FlagSubject, FlagSupplier
from terbuka_web.flags.services import process_flags_recompute
from terbuka_web.regions.models import Region

pytestmark = pytest.mark.django_db
NOTE_ID = "bukan tuduhan"


def published(
    agency: Agency,
    title: str,
    *,
    tenderers: int,
    days: int,
    stages: tuple[str, ...] = ("planning", "tender", "award"),
    physical: int | None = None,
) -> Process:
    """Publish stages (planning, tender with tenderers bids in days, award…) for agency; the
    implementation at physical % built when given (the example's 60 % else, 30 % paid)."""
    operator = User.objects.create_user(f"op-{title[:20]}", role=Role.OPERATOR, agency=agency)
    ppk = User.objects.create_user(f"ppk-{title[:20]}", role=Role.PPK, agency=agency)
    process = services.process_create(user=operator, agency=agency, title=title, fiscal_year=2026)
    tender = {
        **EXAMPLE_STAGE_DATA["tender"],
        "period_end": f"2026-03-{2 + days:02d}",
        "number_of_tenderers": tenderers,
    }
    data: dict[str, dict[str, Any]] = {**EXAMPLE_STAGE_DATA, "tender": tender}
    if physical is not None:
        data["implementation"] = {**data["implementation"], "physical_progress": physical}
    for stage in stages:
        StageDraft.objects.create(process=process, stage=stage, data=data[stage])
        services.stage_publish(user=ppk, process=process, stage=stage)
    return process


@pytest.fixture
def flagged() -> dict[str, Process]:
    """Publish two processes of Dinas PU (one single-bid in 14 days) and one of Dinkes."""
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


def test_the_process_page_explains_each_flag_with_the_data_behind_it(
    client: Client, flagged: dict[str, Process]
) -> None:
    page = client.get(f"/proses/{flagged['single'].ocid}/").content.decode()
    assert NOTE_ID in page  # a reason to look, never an accusation
    assert "Hanya satu penawar" in page and "Masa penawaran singkat" in page
    assert "<dt>Jumlah penawar</dt><dd>1</dd>" in page
    assert "<dt>Masa penawaran (hari)</dt><dd>14</dd>" in page
    assert "<dt>Ambang (hari)</dt><dd>15</dd>" in page
    assert 'href="/tanda-bahaya/metodologi/#R018"' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/proses/{flagged['single'].ocid}/").content.decode()
    assert "Single bid received" in english and "never an accusation" in english
    assert "<dt>Number of tenderers</dt><dd>1</dd>" in english


def test_a_process_without_flags_says_so(client: Client, flagged: dict[str, Process]) -> None:
    page = client.get(f"/proses/{flagged['fine'].ocid}/").content.decode()
    assert "Tidak ada tanda bahaya" in page


def test_the_portal_search_filters_by_flag_with_the_agency(
    client: Client, flagged: dict[str, Process]
) -> None:
    both = client.get("/", {"tanda": "R018"}).content.decode()
    assert "Jalan Ngasem" in both and "Puskesmas Dander" in both and "Jalan Kalitidu" not in both
    one = client.get("/", {"tanda": "R018", "agency": "dinas-pu"}).content.decode()
    assert "Jalan Ngasem" in one and "Puskesmas Dander" not in one
    refused = client.get("/", {"tanda": "R024"})  # not stored per process
    assert refused.status_code == 400 and "Tanda bahaya" in refused.content.decode()


def test_the_api_search_filters_by_flag_and_still_refuses_unknown_parameters(
    client: Client, flagged: dict[str, Process]
) -> None:
    found = client.get("/api/processes", {"flag": "R018", "agency": "dinas-pu"}).json()
    assert [r["ocid"] for r in found["results"]] == [flagged["single"].ocid]
    assert client.get("/api/processes", {"flag": "R003"}).json()["count"] == 1
    assert client.get("/api/processes", {"flag": "R024"}).status_code == 422
    assert client.get("/api/processes", {"tanda": "R018"}).status_code == 400


def test_the_dashboards_count_rates_per_agency_region_and_supplier(
    client: Client, flagged: dict[str, Process]
) -> None:
    assert FlagSubject.objects.count() == 3
    assert set(FlagSupplier.objects.values_list("name", flat=True)) == {"CV Maju Jaya"}
    overview = client.get("/tanda-bahaya/").content.decode()
    assert NOTE_ID in overview and "?tanda=R018" in overview
    agencies = client.get("/tanda-bahaya/perangkat-daerah/").content.decode()
    assert "/tanda-bahaya/perangkat-daerah/dinas-pu/" in agencies
    assert "50,0%" in agencies and "1 / 2" in agencies and "100,0%" in agencies
    one = client.get("/tanda-bahaya/perangkat-daerah/dinas-pu/").content.decode()
    assert "?agency=dinas-pu&amp;tanda=R018" in one and "2026 triwulan 1" in one
    assert "Bojonegoro" in client.get("/tanda-bahaya/wilayah/").content.decode()
    suppliers = client.get("/tanda-bahaya/penyedia/").content.decode()
    assert "CV Maju Jaya" in suppliers and "66,7%" in suppliers  # won 3, 2 flagged
    assert client.get("/tanda-bahaya/perangkat-daerah/tidak-ada/").status_code == 404


def test_republication_replaces_what_the_dashboards_count(flagged: dict[str, Process]) -> None:
    process = flagged["single"]
    ppk = User.objects.get(username="ppk-Jalan Ngasem")
    longer = {**EXAMPLE_STAGE_DATA["tender"], "period_end": "2026-03-25", "number_of_tenderers": 3}
    longer["amendment_rationale"] = "Masa penawaran diperpanjang"
    StageDraft.objects.filter(process=process, stage="tender").update(data=longer)
    services.stage_publish(user=ppk, process=process, stage="tender")
    assert FlagSubject.objects.get(process=process).flag_count == 0
    assert FlagSubject.objects.count() == 3


def test_the_methodology_lists_every_indicator_in_both_languages(client: Client) -> None:
    page = client.get("/tanda-bahaya/metodologi/").content.decode()
    for code in CODES:
        assert f'id="{code}"' in page
    assert "Keterbatasan" in page and NOTE_ID in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/tanda-bahaya/metodologi/").content.decode()
    assert "Limitations" in english and "Heterogeneous supplier" in english


@pytest.mark.parametrize(
    "url",
    [
        "/tanda-bahaya/",
        "/tanda-bahaya/perangkat-daerah/",
        "/tanda-bahaya/perangkat-daerah/dinas-pu/",
        "/tanda-bahaya/wilayah/",
        "/tanda-bahaya/penyedia/",
    ],
)
def test_dashboard_pages_are_a_few_aggregate_queries(
    client: Client, flagged: dict[str, Process], url: str, django_assert_max_num_queries: Any
) -> None:
    client.get(url)  # warm the templates
    with django_assert_max_num_queries(10):  # a constant: aggregates, never one per row
        started = time.perf_counter()
        assert client.get(url).status_code == 200
    assert time.perf_counter() - started < 1.0  # the 1,200-process demo: see docs/flags.md


def test_the_agency_page_monitors_contracts_past_their_end_and_late_milestones(
    client: Client, flagged: dict[str, Process]
) -> None:
    pu = Agency.objects.get(code="dinas-pu")
    stages = ("planning", "tender", "award", "contract", "implementation")
    late = published(pu, "Jembatan Padangan", tenderers=3, days=18, stages=stages)
    subject = FlagSubject.objects.get(process=late)  # ends 22 August 2026 at 60 %
    assert (subject.contract_end, subject.completed) == (date(2026, 8, 22), False)
    assert subject.open_due == date(2026, 8, 22)  # "Serah terima" still scheduled
    page = client.get("/tanda-bahaya/perangkat-daerah/dinas-pu/").content.decode()
    assert "Pemantauan pelaksanaan" in page and f"/proses/{late.ocid}/" in page
    assert "<dt>Lewat tanggal berakhir, belum selesai</dt><dd>1</dd>" in page
    assert "<dt>Dengan tahapan terlambat</dt><dd>1</dd>" in page
    listing = client.get("/tanda-bahaya/perangkat-daerah/").content.decode()
    assert 'href="/tanda-bahaya/perangkat-daerah/dinas-pu/">Dinas PU</a>' in listing


def test_contract_progress_keeps_a_paid_ahead_contract_beyond_the_limit() -> None:
    """The paid-ahead contracts come first even when the limit leaves others out (the limit
    once cut the rows before they were sorted, losing a paid-ahead contract)."""
    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    pu = Agency.objects.create(code="dinas-pu", name="Dinas PU", kind="dinas", government=region)
    stages = ("planning", "tender", "award", "contract", "implementation")
    ahead = published(pu, "Jalan A", tenderers=3, days=18, stages=stages, physical=10)
    for title in ("Jalan B", "Jalan C"):  # published later: read first, newest first
        published(pu, title, tenderers=3, days=18, stages=stages)  # 60 % built, 30 % paid
    rows = selectors.contract_progress(pu.id, limit=1)
    assert [(r.ocid, r.paid_ahead) for r in rows] == [(ahead.ocid, True)]


def test_operators_see_their_agency_late_work_on_their_dashboard(
    client: Client, flagged: dict[str, Process]
) -> None:
    pu = Agency.objects.get(code="dinas-pu")
    stages = ("planning", "tender", "award", "contract", "implementation")
    published(pu, "Jembatan Padangan", tenderers=3, days=18, stages=stages)
    client.force_login(User.objects.get(username="op-Jalan Ngasem"))
    page = client.get("/kelola/").content.decode()
    assert "1 kontrak lewat tanggal berakhir belum selesai, 1 dengan tahapan" in page
    assert 'href="/tanda-bahaya/perangkat-daerah/dinas-pu/#pemantauan"' in page
    client.force_login(User.objects.get(username="op-Puskesmas Dander"))  # Dinkes: none late
    assert "Pekerjaan terlambat" not in client.get("/kelola/").content.decode()


def test_monitoring_per_region_weighs_payments_against_physical_progress(client: Client) -> None:
    """Part 3 per region: paid-ahead contracts and mean physical against financial progress;
    a contract whose item names a loaded Kemendagri region in its delivery address counts
    there, the others in their agency's government."""
    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    Region.objects.create(code="35.22.01", name="Margomulyo", level="district", parent=region)
    pu = Agency.objects.create(code="dinas-pu", name="Dinas PU", kind="dinas", government=region)
    stages = ("planning", "tender", "award", "contract", "implementation")
    ahead = published(pu, "Jalan A", tenderers=3, days=18, stages=stages, physical=10)
    published(pu, "Jalan B", tenderers=3, days=18, stages=stages)  # 60 % built, 30 % paid
    delivered = published(pu, "Jalan C", tenderers=3, days=18, stages=stages)
    compiled = Process.objects.get(pk=delivered.pk).compiled_release
    compiled["tender"]["items"][0]["deliveryAddress"] = {"region": "352201"}
    Process.objects.filter(pk=delivered.pk).update(compiled_release=compiled)
    process_flags_recompute(process_ids=[delivered.pk])
    assert FlagSubject.objects.get(process=delivered).region_id == "35.22.01"
    assert FlagSubject.objects.get(process=ahead).region_id == "35.22"
    rows = {m.key: m for m in selectors.monitoring_by("region", date(2026, 12, 6))}
    regency = rows["35.22"]
    assert (regency.contracts, regency.overdue, regency.paid_ahead, regency.measured) == (
        2,
        2,
        1,
        2,
    )
    assert regency.physical == pytest.approx(35.0) and regency.financial == pytest.approx(30.0)
    assert (rows["35.22.01"].contracts, rows["35.22.01"].paid_ahead) == (1, 0)
    page = client.get("/tanda-bahaya/wilayah/").content.decode()
    assert 'id="progres-region' in page and "Margomulyo" in page
    assert '<td data-label="Progres fisik rata-rata">35,0%</td>' in page
    assert "1 dari 3 kontrak dengan kedua progres dibayar melebihi progres fisiknya." in page
