"""Golden tests of terbuka.ocds.build: each stage's release is schema-valid; five compile."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.errors import ValidationError
from terbuka.ocds.build import release_build, release_tags, release_validate
from terbuka.ocds.codes import NPWP_SCHEME, STAGES
from terbuka.ocds.merge import compile_release
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka.ocds.validate import validate_release

OCID = "ocds-tbk352-2026-0001"
INFO = {
    "title": "Rehabilitasi Jalan Poros Desa Ngasem",
    "description": "",
    "buyer": {"id": "dinas-pupr", "name": "Dinas PU Bina Marga"},
}
DOC = {
    "sha256": "ab" * 32,
    "size": 1234,
    "document_type": "procurementPlan",
    "title": "DPA 2026",
    "url": "https://terbuka.example/media/documents/dpa.pdf",
    "date": "2026-01-05T09:00:00+07:00",
}


def release_errors(release: dict, links: bool = False) -> list[str]:
    issues = validate_release(release, prefixes=["ocds-tbk352"], links=links)
    return [f"{i.pointer}: {i.message_en}" for i in issues if i.severity == "error"]


def build(stage: str, n: int, previous: list[str], data: dict[str, Any] | None = None) -> dict:
    return release_build(
        ocid=OCID,
        stage=stage,
        data=EXAMPLE_STAGE_DATA[stage] if data is None else data,
        previous_tags=previous,
        process_info=INFO,
        date=f"2026-0{n}-01T10:00:00+07:00",
        release_id=f"{OCID}-{stage}-{n}",
        documents=[DOC],
    )


def lifecycle() -> list[dict]:
    releases: list[dict] = []
    tags: list[str] = []
    for n, stage in enumerate(STAGES, start=1):
        release = build(stage, n, tags)
        tags += release["tag"]
        releases.append(release)
    return releases


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_release_is_schema_valid(stage: str) -> None:
    release = build(stage, 1, [])
    assert release_errors(release) == []
    release_validate(release)
    assert release["tag"] == [stage]
    json.dumps(release)  # plain JSON


def test_documents_carry_visible_sha256() -> None:
    planning = build("planning", 1, [])["planning"]
    doc = planning["documents"][0]
    assert doc["id"] == "sha256-" + "ab" * 32
    assert "SHA-256: " + "ab" * 32 in doc["description"]
    assert doc["documentType"] == "procurementPlan"


def test_five_releases_compile_into_a_record_with_all_stages() -> None:
    releases = lifecycle()
    assert len({r["id"] for r in releases}) == 5
    compiled = compile_release(releases)
    assert compiled["planning"]["budget"]["amount"] == {"amount": 1_500_000_000, "currency": "IDR"}
    assert compiled["tender"]["procurementMethod"] == "open"
    assert compiled["tender"]["value"]["amount"] == 1_450_000_000
    assert compiled["awards"][0]["suppliers"][0]["id"] == f"{NPWP_SCHEME}-0012345678901000"
    contract = compiled["contracts"][0]
    assert contract["awardID"] == compiled["awards"][0]["id"]
    assert contract["value"]["amount"] == 1_398_000_000
    milestones = {m["id"]: m for m in contract["implementation"]["milestones"]}
    assert milestones["physical-progress"]["description"] == "60"
    assert milestones["physical-progress"]["status"] == "partiallyMet"
    assert contract["implementation"]["transactions"][0]["value"]["amount"] == 419_400_000
    supplier = next(p for p in compiled["parties"] if p["id"].startswith(NPWP_SCHEME))
    assert set(supplier["roles"]) >= {"supplier"}
    assert compiled["tag"] == ["compiled"]
    assert release_errors(compiled, links=True) == []


def test_republication_is_an_update_and_progress_is_replaced() -> None:
    releases = lifecycle()
    tags = [t for r in releases for t in r["tag"]]
    data = copy.deepcopy(EXAMPLE_STAGE_DATA["implementation"])
    data["physical_progress"] = 100
    again = build("implementation", 6, tags, data)
    assert again["tag"] == ["implementationUpdate"]
    compiled = compile_release([*releases, again])
    progress = [
        m
        for m in compiled["contracts"][0]["implementation"]["milestones"]
        if m["id"] == "physical-progress"
    ]
    assert [(m["description"], m["status"]) for m in progress] == [("100", "met")]


@pytest.mark.parametrize("stage", ["tender", "contract"])
def test_amended_republication_is_an_amendment(stage: str) -> None:
    data = dict(EXAMPLE_STAGE_DATA[stage], amendment_rationale="Perubahan jadwal / schedule")
    release = build(stage, 2, [stage], data)
    assert release["tag"] == [f"{stage}Amendment"]
    section = release["tender"] if stage == "tender" else release["contracts"][0]
    assert section["amendments"][0]["rationale"].startswith("Perubahan")
    release_validate(release)


def test_release_tags_table() -> None:
    assert release_tags("award", ["planning", "tender"], False) == ["award"]
    assert release_tags("award", ["award"], True) == ["awardUpdate"]
    assert release_tags("tender", ["tenderAmendment"], False) == ["tenderUpdate"]
    assert release_tags("planning", ["planningUpdate"], False) == ["planningUpdate"]


@pytest.mark.parametrize(
    ("stage", "change", "where"),
    [
        ("planning", {"amount": -1}, "/amount"),
        ("planning", {"amount": 10**15 + 1}, "/amount"),
        ("planning", {"amount": 1.5}, "/amount"),
        ("planning", {"funding_source": "PAD"}, "/funding_source"),
        ("planning", {"budget_line": ""}, "/budget_line"),
        ("tender", {"period_end": "2026-03-01"}, "/period_end"),
        ("tender", {"period_start": "02-03-2026"}, "/period_start"),
        ("tender", {"method": "lelang"}, "/method"),
        ("contract", {"period_end": "2026-01-01"}, "/period_end"),
        ("implementation", {"physical_progress": 101}, "/physical_progress"),
    ],
)
def test_bad_data_raises_with_location(stage: str, change: dict, where: str) -> None:
    with pytest.raises(ValidationError) as info:
        build(stage, 1, [], {**EXAMPLE_STAGE_DATA[stage], **change})
    assert info.value.where == where
    assert info.value.message_id != info.value.message_en


def test_unknown_stage_is_refused() -> None:
    with pytest.raises(ValidationError):
        release_build(
            ocid=OCID,
            stage="payment",
            data={},
            previous_tags=[],
            process_info=INFO,
            date="2026-01-01T00:00:00+07:00",
            release_id="x",
        )


def test_schema_check_catches_an_invalid_release() -> None:
    release = build("planning", 1, [])
    release["date"] = "kemarin"
    del release["ocid"]
    errors = release_errors(release)
    assert any("ocid" in e for e in errors)
    assert any(e.startswith("/date") for e in errors)
    with pytest.raises(ValidationError):
        release_validate(release)


@given(st.integers(min_value=-(10**16), max_value=10**16))
def test_any_planning_amount_is_valid_or_refused(amount: int) -> None:
    data = {**EXAMPLE_STAGE_DATA["planning"], "amount": amount}
    try:
        release = build("planning", 1, [], data)
    except ValidationError:
        assert not 0 <= amount <= 10**15
    else:
        assert release_errors(release) == []


@given(
    st.one_of(st.none(), st.just(""), st.integers(-5, 20_000), st.booleans(), st.text(max_size=3))
)
def test_number_of_tenderers_is_published_or_refused(value: object) -> None:
    data = {**EXAMPLE_STAGE_DATA["tender"], "number_of_tenderers": value}
    valid = value in (None, "") or (
        type(value) is int and 0 <= value <= 10_000  # a bool is not a count
    )
    if not valid:
        with pytest.raises(ValidationError) as refused:
            build("tender", 2, ["planning"], data)
        assert refused.value.where == "/number_of_tenderers"
        return
    tender = build("tender", 2, ["planning"], data)["tender"]
    if value in (None, ""):
        assert "numberOfTenderers" not in tender
    else:
        assert tender["numberOfTenderers"] == value
        assert release_errors(build("tender", 2, ["planning"], data)) == []
