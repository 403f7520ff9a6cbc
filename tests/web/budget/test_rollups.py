"""Roll-ups: a province's total equals the sum of its villages through every level."""

from __future__ import annotations

import random

import pytest
from django.db.models import Sum
from django.test import Client

from terbuka_web.budget.bulk import batches_bulk_publish, region_totals_rebuild
from terbuka_web.budget.demo import _village
from terbuka_web.budget.models import BudgetLine, RegionBudget
from terbuka_web.budget.selectors import breakdowns, region_rollup
from terbuka_web.budget.services import region_totals_refresh
from terbuka_web.regions.models import Region

pytestmark = pytest.mark.django_db


def _seed_villages(limit: int | None = None) -> list[str]:
    rng = random.Random(7)
    villages = list(
        Region.objects.filter(level="village", code__startswith="35.22.")
        .exclude(code__regex=r"\.1\d{3}$")
        .order_by("code")
        .values_list("code", flat=True)
    )[:limit]
    specs = []
    for village in villages:
        specs += _village(rng, village, 2025)[0]
    batches_bulk_publish(actor=None, specs=specs, source="test")
    return villages


def _village_sum(prefix: str) -> tuple[int, int, int]:
    rows = RegionBudget.objects.filter(
        year=2025, region__level="village", region__code__startswith=prefix
    ).aggregate(p=Sum("planned"), a=Sum("adjusted"), r=Sum("realised"))
    return (rows["p"] or 0, rows["a"] or 0, rows["r"] or 0)


def test_province_equals_sum_of_villages_through_every_level(
    bojonegoro: str, client: Client
) -> None:
    villages = _seed_villages()
    assert len(villages) > 400
    spent = BudgetLine.objects.filter(account__startswith="5", phase="dpa").aggregate(
        t=Sum("amount")
    )["t"]
    province, regencies = region_rollup(code="35", year=2025)
    assert province.planned == spent == _village_sum("35.")[0]
    assert sum(r.planned for r in regencies) == province.planned
    regency, districts = region_rollup(code="35.22", year=2025)
    assert (regency.planned, regency.adjusted, regency.realised) == _village_sum("35.22.")
    assert sum(d.planned for d in districts) == regency.planned
    assert sum(d.realised for d in districts) == regency.realised
    for district in districts:
        figures = (district.planned, district.adjusted, district.realised)
        assert figures == _village_sum(district.code + "."), district.code
        _total, children = region_rollup(code=district.code, year=2025)
        assert sum(c.adjusted for c in children) == district.adjusted
    answer = client.get("/api/budget/regions/35?year=2025").json()
    assert answer == {
        "code": "35",
        "level": "province",
        "year": 2025,
        "planned": province.planned,
        "adjusted": province.adjusted,
        "realised": province.realised,
        "children": [
            {
                "code": "35.22",
                "planned": regency.planned,
                "adjusted": regency.adjusted,
                "realised": regency.realised,
            }
        ],
    }
    assert client.get("/api/budget/regions/35.99?year=2025").status_code == 404
    assert client.get("/api/budget/regions/35").status_code == 422


def test_maintained_totals_equal_a_rebuild(bojonegoro: str) -> None:
    villages = _seed_villages(limit=12)
    before = {(r.region_id, r.planned, r.adjusted, r.realised) for r in RegionBudget.objects.all()}
    BudgetLine.objects.filter(region_id=villages[0], phase="dpa").update(current=False)
    region_totals_refresh(region=villages[0], year=2025)
    refreshed = {
        (r.region_id, r.planned, r.adjusted, r.realised) for r in RegionBudget.objects.all()
    }
    region_totals_rebuild(year=2025)
    rebuilt = {(r.region_id, r.planned, r.adjusted, r.realised) for r in RegionBudget.objects.all()}
    assert refreshed == rebuilt
    assert refreshed != before


def test_breakdowns(bojonegoro: str) -> None:
    _seed_villages(limit=5)
    found = breakdowns(code="35.22", year=2025)
    assert found["bidang"][0]["key"] == "1.1"
    assert {item["key"] for item in found["account"]} == {
        "5.1",
        "5.2",
        "5.3",
        "5.4",
    }
    total = sum(item["planned"] for item in found["urusan"])
    assert total == region_rollup(code="35.22", year=2025)[0].planned
