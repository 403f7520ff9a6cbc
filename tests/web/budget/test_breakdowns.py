"""Maintained breakdowns (by urusan, bidang, account group) equal the straight computation.

Random publications and corrections (supersessions) of APBD and APBDes lines at every level
are published through the service; after each, every region's breakdowns read from the
maintained rows equal the sums of the current lines below it, grouped as the page grouped
them before the rows were maintained, and the maintained rows equal a rebuild.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum
from django.db.models.functions import Length, Substr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terbuka.budget.rows import BudgetRow
from terbuka_web.budget.breakdowns import (
    breakdown_keys,
    breakdowns_own,
    region_breakdowns_rebuild,
)
from terbuka_web.budget.models import BudgetLine, RegionBreakdown
from terbuka_web.budget.selectors import breakdowns
from terbuka_web.budget.services import budget_rows_publish
from tests.web.factories import agency_create

pytestmark = pytest.mark.django_db

VILLAGES = ("35.22.01.2001", "35.22.01.2002", "35.22.02.2001")
GOVERNMENTS = ("35", "35.22", "35.22.01", *VILLAGES)
APBD_PROGRAMMES = ("1.03.10.2.01.0001", "2.07.02.2.01.0001", "1.01.02.2.01.0002", "")
APBD_ACCOUNTS = ("5.1.02.01.01.0024", "5.2.04.01.01.0001", "5.3.01.01.01.0001", "4.1.01")
VILLAGE_PROGRAMMES = ("1.1.01", "2.3.01", "3.1.02", "")
VILLAGE_ACCOUNTS = ("5.1", "5.2", "5.4", "4.1.1", "6.1.1")
CODES = ("35", "35.22", "35.22.01", "35.22.02", *VILLAGES)

line = st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 5) | st.just(10**6))
group = st.tuples(
    st.sampled_from(GOVERNMENTS),
    st.sampled_from(("dinas-pu-bina-marga", "dinas-kesehatan")),
    st.sampled_from((2025, 2026)),
    st.sampled_from(("dpa", "perubahan", "realisasi")),
    st.lists(line, min_size=1, max_size=5),
)


def _rows(groups: list[tuple[Any, ...]]) -> list[BudgetRow]:
    """Return the rows of one file: each group's lines, a realisation with its DPA line."""
    rows: list[BudgetRow] = []
    for region, agency, year, phase, lines in groups:
        village = region in VILLAGES
        programmes = VILLAGE_PROGRAMMES if village else APBD_PROGRAMMES
        accounts = VILLAGE_ACCOUNTS if village else APBD_ACCOUNTS
        for programme, account, amount in lines:
            phases = ("dpa", "realisasi") if phase == "realisasi" else (phase,)
            for each in phases:
                rows.append(
                    BudgetRow(
                        number=len(rows) + 2,
                        year=year,
                        phase=each,
                        semester=1 if each == "realisasi" else 0,
                        region=region,
                        village=village,
                        agency="" if village else agency,
                        programme=programmes[programme],
                        account=accounts[account % len(accounts)],
                        fungsi="",
                        name="x",
                        amount=amount * 1_000_000,
                    )
                )
    return rows


def straight(code: str, year: int) -> dict[str, list[dict[str, Any]]]:
    """Return code's breakdowns summed from its subtree's current lines, as the page did."""
    lines = BudgetLine.objects.filter(
        year=year, current=True, summary=False, account__startswith="5"
    ).filter(region_id__gte=code, region_id__lt=code + "/")
    out = {}
    for by, cut in (("urusan", 1), ("bidang", 4), ("account", 6)):
        source = "account" if by == "account" else "programme"
        rows = (
            lines.annotate(key=Substr(source, 1, cut), width=Length("region_id"))
            .values_list("key", "width", "phase")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        groups: dict[str, dict[str, int]] = {}
        for key, width, phase, total in rows:
            clean = ("desa-" if by == "urusan" and width > 8 else "") + key.rstrip(".")
            groups.setdefault(clean, {}).setdefault(phase, 0)
            groups[clean][phase] += int(total)
        items = [
            (key, phases.get("dpa", 0), phases.get("realisasi", 0))
            for key, phases in groups.items()
        ]
        out[by] = sorted(items, key=lambda item: (-item[1], item[0]))
    return out


def _maintained(code: str, year: int) -> dict[str, list[tuple[str, int, int]]]:
    return {
        by: [(item["key"], item["planned"], item["realised"]) for item in items]
        for by, items in breakdowns(code=code, year=year).items()
    }


def _stored() -> set[tuple[Any, ...]]:
    return set(
        RegionBreakdown.objects.values_list(
            "region_id", "year", "by", "key", "phase", "own_amount", "own_lines", "amount", "lines"
        )
    )


@pytest.fixture
def agencies(bojonegoro: str) -> None:
    agency_create()
    agency_create(code="dinas-kesehatan", name="Dinas Kesehatan")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(st.lists(group, min_size=1, max_size=3), min_size=1, max_size=3))
def test_maintained_breakdowns_equal_the_lines(agencies: None, files: list[Any]) -> None:
    # The database is kept between examples: later examples correct earlier publications.
    for groups in files:
        budget_rows_publish(actor=None, rows=_rows(groups), source="uji.csv")
    for year in (2025, 2026):
        for code in CODES:
            assert _maintained(code, year) == straight(code, year), (code, year)
    maintained = _stored()
    for year in (2025, 2026):
        region_breakdowns_rebuild(year=year)
    rebuilt = _stored()
    assert {row for row in maintained if row[-1]} == {row for row in rebuilt if row[-1]}
    assert {row[:5] for row in rebuilt} <= {row[:5] for row in maintained}


def test_a_correction_moves_the_money_up_every_level(agencies: None) -> None:
    first = [("35.22.01.2001", "", 2025, "dpa", [(1, 0, 5)])]
    budget_rows_publish(actor=None, rows=_rows(first), source="uji.csv")
    for code in ("35", "35.22", "35.22.01", "35.22.01.2001"):
        assert _maintained(code, 2025)["urusan"] == [("desa-2", 5_000_000, 0)]
    corrected = [("35.22.01.2001", "", 2025, "dpa", [(2, 1, 7)])]
    budget_rows_publish(actor=None, rows=_rows(corrected), source="uji.csv")
    for code in ("35", "35.22", "35.22.01", "35.22.01.2001"):
        found = _maintained(code, 2025)
        assert found["urusan"] == [("desa-3", 7_000_000, 0)]
        assert found["bidang"] == [("3.1", 7_000_000, 0)]
        assert found["account"] == [("5.2", 7_000_000, 0)]
    assert _maintained("35.22.02", 2025) == {"urusan": [], "bidang": [], "account": []}


def test_the_python_keys_of_harvested_lines_equal_the_sql_keys(agencies: None) -> None:
    # Every programme and account of both kinds, in a village and in each APBD government.
    lines = [(p, a, 1 + p + a) for p in range(4) for a in range(5)]
    groups = [(code, "dinas-kesehatan", 2026, "realisasi", lines) for code in GOVERNMENTS]
    budget_rows_publish(actor=None, rows=_rows(groups), source="uji.csv")
    for code in GOVERNMENTS:
        by_python: dict[tuple[str, str, str], list[int]] = {}
        spending = BudgetLine.objects.filter(
            region_id=code, year=2026, current=True, summary=False, account__startswith="5"
        ).values_list("programme", "account", "phase", "amount")
        for programme, account, phase, amount in spending:
            keys = breakdown_keys(region=code, programme=programme, account=account)
            for by, key in keys.items():
                figures = by_python.setdefault((by, key, phase), [0, 0])
                figures[0] += amount
                figures[1] += 1
        assert by_python == breakdowns_own(region=code, year=2026), code
        assert len({key for by, key, _phase in by_python if by == "account"}) >= 2
