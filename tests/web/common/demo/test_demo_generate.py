"""Demo generators: deterministic specs, valid NPWPs, no future dates, sensible methods."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from typing import Any

from lokal.npwp import parse_npwp

from terbuka_web.accounts.services import AGENCY_DATA
from terbuka_web.common.demo.generate import (
    AgencyInfo,
    npwp_check_digit,
    process_specs,
    suppliers_generate,
)

TODAY = dt.date(2026, 11, 28)


def agencies() -> list[AgencyInfo]:
    spec = json.loads((AGENCY_DATA / "bojonegoro-35.22-agencies.json").read_text("utf-8"))
    rows = [
        AgencyInfo(f"3522-{a['short']}", a["short"], a["kind"], a["name"]) for a in spec["agencies"]
    ]
    return [*rows, AgencyInfo("3522-kec-dander", "kec-dander", "kecamatan", "Kecamatan Dander",
                              ("Dander",))]  # fmt: skip


VILLAGES = [("Ngumpakdalem", "Dander"), ("Sumberarum", "Dander"), ("Kadipaten", "Bojonegoro")]


def test_npwp_check_digit_is_luhn() -> None:
    assert npwp_check_digit("01234567") == "4"  # 0·2,1,2·2,3,4·2,5,6·2,7 → 46 → 4
    for supplier in suppliers_generate(random.Random(7), 200):
        info = parse_npwp(supplier.npwp16)
        assert info.valid and info.kind == "npwp16", supplier
        assert supplier.npwp16[9] == npwp_check_digit(supplier.npwp16[1:9])


def test_specs_are_deterministic_unique_and_dated_in_the_past() -> None:
    first = process_specs(count=300, agencies=agencies(), villages=VILLAGES, today=TODAY)
    again = process_specs(count=300, agencies=agencies(), villages=VILLAGES, today=TODAY)
    assert [(s.title, s.stages) for s in first] == [(s.title, s.stages) for s in again]
    keys = [(s.agency_code, s.fiscal_year, s.title) for s in first]
    assert len(set(keys)) == 300
    assert first[0].title == "Pengadaan bangku taman kota" and len(first[0].stages) == 5
    reached = Counter(len(s.stages) for s in first)
    assert set(reached) == {1, 2, 3, 4, 5}
    for spec in first:
        assert spec.fiscal_year in (2023, 2024, 2025, 2026)
        for day in _facts(spec.stages):
            assert day <= TODAY.isoformat(), (spec.title, day)
        assert {d.stage for d in spec.documents} == set(spec.stages)


def test_methods_follow_the_value_thresholds() -> None:
    for spec in process_specs(count=300, agencies=agencies(), villages=VILLAGES, today=TODAY):
        if "tender" not in spec.stages:
            continue
        method, hps = spec.stages["tender"]["method"], spec.stages["tender"]["hps"]
        if method == "pengadaan_langsung":
            assert hps <= 200_000_000
        if method == "seleksi":
            assert spec.category == "consultingServices"
        if "contract" in spec.stages:
            assert spec.stages["contract"]["value"] <= hps


def test_kecamatan_titles_stay_in_their_district() -> None:
    specs = process_specs(count=400, agencies=agencies(), villages=VILLAGES, today=TODAY)
    for spec in specs:
        if spec.agency_short == "kec-dander":
            assert "Bojonegoro" not in spec.title and "Kadipaten" not in spec.title


def _facts(stages: dict[str, Any]) -> list[str]:
    """Return the dates of things that already happened (plans may lie in the future)."""
    days = [stages.get("tender", {}).get("period_start"), stages.get("award", {}).get("date")]
    contract = stages.get("contract", {})
    days += [contract.get("date_signed"), contract.get("period_start")]
    work = stages.get("implementation", {"milestones": [], "transactions": []})
    days += [m["date"] for m in work["milestones"] if m["status"] == "met"]
    days += [t["date"] for t in work["transactions"]]
    return [d for d in days if d]


def test_a_later_day_only_adds_stages_to_the_same_processes() -> None:
    early = process_specs(count=200, agencies=agencies(), villages=VILLAGES,
                          today=dt.date(2026, 3, 1))  # fmt: skip
    late = process_specs(count=200, agencies=agencies(), villages=VILLAGES, today=TODAY)
    assert [(s.agency_code, s.fiscal_year, s.title) for s in early] == [
        (s.agency_code, s.fiscal_year, s.title) for s in late
    ]
    assert all(len(a.stages) <= len(b.stages) for a, b in zip(early, late, strict=True))
    assert sum(len(s.stages) for s in early) < sum(len(s.stages) for s in late)
