"""Tests of terbuka.ocds.summary: a process's derived fields from its compiled release."""

from __future__ import annotations

import json
from typing import Any

from tests.paths import OCDS_FIXTURES

from terbuka.ocds.merge import compile_release
from terbuka.ocds.summary import summarize

FICTIONAL = OCDS_FIXTURES / "sample-data/fictional-example/1.1"


def compiled(**fields: Any) -> dict[str, Any]:
    release = {
        "ocid": "ocds-tbk352-9",
        "id": "1",
        "date": "2025-03-01T00:00:00Z",
        "tag": ["tender"],
    }
    return compile_release([{**release, **fields}])


def test_fictional_lifecycle_summary() -> None:
    releases = [
        r
        for p in sorted(FICTIONAL.glob("ocds-213czf-000-00001-0*.json"))
        for r in json.loads(p.read_text())["releases"]
    ]
    summary = summarize(compile_release(releases))
    assert summary.title == "Planned cycle lane improvements"
    assert summary.stage_reached == "implementation"
    assert summary.stages_published == ["planning", "tender", "award", "contract", "implementation"]
    assert summary.buyer_name == "London Borough of Barnet"
    assert summary.value_idr is None  # GBP, never converted
    assert summary.method == ""
    assert summary.fiscal_year == 2010
    assert "anycorp cycle provision" in summary.search_text


def test_indonesian_tender_summary() -> None:
    summary = summarize(
        compiled(
            buyer={"id": "b", "name": "Dinas PUPR Kabupaten Contoh"},
            planning={"budget": {"amount": {"amount": 900, "currency": "IDR"}}},
            tender={
                "id": "t",
                "title": "Rehabilitasi Jalan Desa",
                "description": "Pengaspalan 2 km",
                "procurementMethodDetails": "Pengadaan Langsung",
                "value": {"amount": 750, "currency": "IDR"},
                "tenderPeriod": {"startDate": "2024-11-20T00:00:00+07:00"},
            },
        )
    )
    assert summary.method == "pengadaan_langsung"
    assert summary.value_idr == 750
    assert summary.fiscal_year == 2024
    assert summary.stage_reached == "tender"
    assert summary.as_dict()["stages_published"] == ["planning", "tender"]
    assert "rehabilitasi jalan desa" in summary.search_text


def test_value_prefers_contracts_then_awards() -> None:
    contracts = [
        {"id": "c1", "awardID": "a", "value": {"amount": 100, "currency": "IDR"}},
        {"id": "c2", "awardID": "a", "value": {"amount": 50, "currency": "IDR"}},
    ]
    awards = [{"id": "a", "value": {"amount": 999, "currency": "IDR"}}]
    assert summarize(compiled(awards=awards, contracts=contracts)).value_idr == 150
    assert summarize(compiled(awards=awards)).value_idr == 999


def test_empty_release_falls_back_to_ocid_and_date() -> None:
    summary = summarize(compiled())
    assert (summary.title, summary.fiscal_year, summary.stage_reached) == (
        "ocds-tbk352-9",
        2025,
        "",
    )
    assert summary.value_idr is None and summary.buyer_name == ""


def test_buyer_from_parties_role() -> None:
    parties = [{"id": "p", "name": "Sekretariat Daerah", "roles": ["buyer"]}]
    assert summarize(compiled(parties=parties)).buyer_name == "Sekretariat Daerah"
