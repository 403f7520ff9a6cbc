"""Harvested budgets: batches proved in the remote's log, region totals with their origin."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import pytest
from django.test import Client

from terbuka.budget.djpk import SummaryLine
from terbuka.canonical import canonical_json
from terbuka.federation.errors import RemoteFeedError
from terbuka.federation.feed import BudgetBatches, batch_check
from terbuka_web.budget import selectors as budget_selectors
from terbuka_web.budget.bulk import BatchSpec, batches_bulk_publish
from terbuka_web.budget.demo import _village
from terbuka_web.budget.selectors import breakdowns, budget_years, region_rollup
from terbuka_web.budget.services import budget_summary_publish
from terbuka_web.federation.models import HarvestedBudget, HarvestedRegionBudget, RemoteAlert
from terbuka_web.federation.services import remote_harvest
from terbuka_web.portal.templatetags.terbuka import rupiah
from terbuka_web.regions.models import Region
from terbuka_web.transparency.models import LogEntry
from tests.web.federation.fake_remote import BASE, FakeRemote, batch

pytestmark = pytest.mark.django_db

VILLAGE_A, VILLAGE_B = "35.22.01.2001", "35.22.02.2001"


def harvest(remote: FakeRemote, kind: str | None = None) -> dict[str, int]:
    return remote_harvest(url=BASE, fetch=remote.fetch, kind=kind).stored


def test_budgets_roll_up_into_the_province_marked_with_their_origin(
    bojonegoro: str, client: Client
) -> None:
    remote = FakeRemote()
    remote.publish_budget([batch(1, VILLAGE_A), batch(2, VILLAGE_B, amounts=(30,))])
    remote.publish_budget([batch(3, VILLAGE_A, "realisasi", amounts=(60, 20))])
    assert harvest(remote) == {"ocds": 0, "budget": 3}
    province, regencies = region_rollup(code="35", year=2026)
    assert (province.planned, province.adjusted, province.realised) == (180, 180, 80)
    (bojonegoro_totals,) = [r for r in regencies if r.code == "35.22"]
    assert bojonegoro_totals.planned == 180
    assert [h.origin for h in bojonegoro_totals.harvested] == ["kab.example/log"]
    assert 2026 in budget_years(code="35.22.01")
    body = client.get("/api/budget/regions/35?year=2026").json()
    assert (body["code"], body["level"], body["year"], body["planned"]) == (
        "35",
        "province",
        2026,
        180,
    )
    child = next(c for c in body["children"] if c["code"] == "35.22")
    assert {k: child[k] for k in ("planned", "adjusted", "realised")} == {
        "planned": 180,
        "adjusted": 180,
        "realised": 80,
    }
    assert child["harvested"] == [
        {"origin": "kab.example/log", "url": BASE, "planned": 180, "adjusted": 180, "realised": 80}
    ]
    page = client.get("/anggaran/35.22/?tahun=2026").content.decode()
    assert "kab.example/log" in page
    # the harvest logs only that it saw the remote's checkpoint, never the remote's batches
    assert list(LogEntry.objects.values_list("kind", flat=True)) == ["federation.harvest"]


def test_a_later_batch_supersedes_and_since_takes_only_the_new(bojonegoro: str) -> None:
    remote = FakeRemote()
    remote.publish_budget([batch(1, VILLAGE_A)])
    harvest(remote)
    remote.publish_budget([batch(2, VILLAGE_A, amounts=(10,)), batch(3, VILLAGE_A, "perubahan")])
    assert harvest(remote)["budget"] == 2
    assert harvest(remote)["budget"] == 0
    assert list(HarvestedBudget.objects.order_by("batch").values_list("current", flat=True)) == [
        False,
        True,
        True,
    ]
    totals = HarvestedRegionBudget.objects.get(region=VILLAGE_A, year=2026)
    assert (totals.planned, totals.adjusted) == (10, 150)  # dpa 10, perubahan 150


def test_lines_that_differ_from_the_logged_hash_stop_the_harvest(bojonegoro: str) -> None:
    remote = FakeRemote()
    remote.publish_budget([batch(1, VILLAGE_A)])
    harvest(remote)
    remote.publish_budget([batch(2, VILLAGE_B)])
    remote.batches[1]["lines"][0]["amount"] = 999_999
    with pytest.raises(RemoteFeedError) as caught:
        harvest(remote)
    assert "sha256" in caught.value.message_en
    assert RemoteAlert.objects.get().code == "federation_feed"
    assert list(HarvestedBudget.objects.values_list("batch", flat=True)) == [1]


def test_a_batch_not_yet_logged_waits(bojonegoro: str) -> None:
    remote = FakeRemote()
    remote.publish_budget([batch(1, VILLAGE_A)])
    remote.publish_budget([batch(2, VILLAGE_B)], logged=False)
    assert harvest(remote, "budget") == {"budget": 1}
    assert not HarvestedRegionBudget.objects.filter(region=VILLAGE_B).exists()


def test_the_batch_feed_serves_each_logged_entry_with_the_lines_it_hashes(
    bojonegoro: str, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The remote side: what /api/budget/batches serves is exactly what the log holds."""
    monkeypatch.setattr(budget_selectors, "PAGE_LINES", 30)  # pages end by lines, not count
    specs = _village(random.Random(3), VILLAGE_A, 2026)[0]
    batches_bulk_publish(actor=None, specs=specs, source="test")
    summary = [SummaryLine("Belanja Daerah", "5", 900, 800), SummaryLine("Pendapatan", "4", 7, 6)]
    budget_summary_publish(
        actor=None,
        region=Region.objects.get(code="35.22"),
        year=2026,
        lines=summary,
        source="djpk.csv",
    )
    logged = [
        bytes(d)
        for d in LogEntry.objects.filter(kind="budget.batch")
        .order_by("id")
        .values_list("data", flat=True)
    ]
    served, pages, url = [], 0, "/api/budget/batches?limit=3"
    while (answer := client.get(url)).status_code == 200:
        page = answer.json()
        assert len(page["batches"]) == 1 or sum(len(b["lines"]) for b in page["batches"]) <= 30
        served += page["batches"]
        pages += 1
        url = page["links"]["next"].removeprefix("http://testserver")
    assert answer.status_code == 204 and len(served) == len(logged) == len(specs) + 2
    assert pages > (len(served) + 2) // 3  # more pages than three batches each would need
    for item, data in zip(served, logged, strict=True):
        batch_check(item)  # the lines hash to the logged sha256
        assert BudgetBatches().entry(item) == data
    assert client.get("/api/budget/batches?after=x").status_code == 422
    assert client.get("/api/budget/batches?since=2026").status_code in (400, 422)


MILLION = 1_000_000


def spending(n: int, region: str, phase: str, lines: list[tuple[str, str, int]]) -> dict[str, Any]:
    """Return budget batch n of region holding lines (programme, account, millions)."""
    made = batch(n, region, phase)
    made["lines"] = [
        {"programme": p, "account": a, "fungsi": "", "name": "", "amount": m * MILLION}
        for p, a, m in lines
    ]
    made["entry"].update(
        rows=len(lines),
        total=sum(line["amount"] for line in made["lines"]),
        sha256=hashlib.sha256(canonical_json(made["lines"])).hexdigest(),
    )
    return made


def _figures(code: str) -> dict[str, list[tuple[str, int, int, list[tuple[str, int, int]]]]]:
    return {
        by: [
            (i["key"], i["planned"], i["realised"],
             [(h["origin"], h["planned"], h["realised"]) for h in i["harvested"]])
            for i in items
        ]
        for by, items in breakdowns(code=code, year=2026).items()
    }  # fmt: skip


def test_harvested_budgets_feed_the_charts_with_their_origin(
    bojonegoro: str, client: Client
) -> None:
    own = BatchSpec("apbdes", VILLAGE_A, None, None, 2026, "dpa")
    own.lines = [
        {"programme": "2.3.01", "account": "5.2", "fungsi": "", "name": "", "amount": 40 * MILLION}
    ]
    batches_bulk_publish(actor=None, specs=[own], source="test")
    remote = FakeRemote()
    dpa = spending(1, VILLAGE_B, "dpa", [("2.3.01", "5.2", 100), ("1.1.01", "5.1", 30)])
    remote.publish_budget([dpa, spending(2, VILLAGE_B, "realisasi", [("2.3.01", "5.2", 60)])])
    page = client.get("/anggaran/35.22/?tahun=2026").content.decode()
    assert "kab.example/log" not in page
    harvest(remote)
    origin = "kab.example/log"
    big, small = (100 * MILLION, 60 * MILLION), (30 * MILLION, 0)
    for code in ("35", "35.22"):  # own and harvested, added up through every level
        assert _figures(code) == {
            by: [(keys[0], 140 * MILLION, 60 * MILLION, [(origin, *big)]),
                 (keys[1], *small, [(origin, *small)])]
            for by, keys in (("urusan", ("desa-2", "desa-1")), ("bidang", ("2.3", "1.1")),
                             ("account", ("5.2", "5.1")))
        }, code  # fmt: skip
    assert _figures("35.22.01")["account"] == [("5.2", 40 * MILLION, 0, [])]
    charts = client.get("/anggaran/35.22/?tahun=2026").content.decode().split('id="grafik"')[1]
    assert f'<a href="{BASE}">{origin}</a>: {rupiah(130 * MILLION)}' in charts
    assert "Rp140 jt" in charts  # the bar of 5.2: own 40 and harvested 100
    # a correction on the remote supersedes its DPA: the charts (and the page) follow
    remote.publish_budget([spending(3, VILLAGE_B, "dpa", [("2.3.01", "5.2", 10)])])
    harvest(remote)
    assert _figures("35.22")["account"] == [
        ("5.2", 50 * MILLION, 60 * MILLION, [(origin, 10 * MILLION, 60 * MILLION)])
    ]
    charts = client.get("/anggaran/35.22/?tahun=2026").content.decode().split('id="grafik"')[1]
    assert f"{origin}</a>: {rupiah(10 * MILLION)}" in charts
    assert "Rp50 jt" in charts and "Rp140 jt" not in charts
