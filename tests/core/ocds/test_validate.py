"""Tests of terbuka.ocds.validate: 1.1.5 schema checks plus the rules lib-cove misses."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.paths import OCDS_FIXTURES

from terbuka.errors import ValidationError
from terbuka.ocds import rules
from terbuka.ocds.errors import OcdsValidationError
from terbuka.ocds.validate import (
    Issue,
    errors_only,
    raise_for_issues,
    schema_issues,
    validate_package,
    validate_record_package,
    validate_release,
)

SHARED_OCDS = OCDS_FIXTURES
BANDUNG = SHARED_OCDS / "indonesia-bandung" / "birms-full-sample.json"
FICTIONAL = SHARED_OCDS / "sample-data" / "fictional-example" / "1.1"
KIT = SHARED_OCDS / "ocdskit-fixtures"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def release(**extra: Any) -> dict[str, Any]:
    base = {
        "ocid": "ocds-tbk352-0001",
        "id": "r1",
        "date": "2025-01-10T08:00:00+07:00",
        "tag": ["tender"],
        "initiationType": "tender",
    }
    return {**base, **extra}


def package(*releases: dict[str, Any]) -> dict[str, Any]:
    return {
        "uri": "https://example.go.id/ocds/p.json",
        "publishedDate": "2025-01-10T09:00:00Z",
        "publisher": {"name": "Pemkab Contoh"},
        "version": "1.1",
        "releases": list(releases),
    }


def codes(issues: list[Issue]) -> dict[str, list[Issue]]:
    found: dict[str, list[Issue]] = {}
    for issue in issues:
        found.setdefault(issue.code, []).append(issue)
    return found


@pytest.fixture(scope="module")
def bandung() -> dict[str, list[Issue]]:
    return codes(validate_package(load(BANDUNG)))


def test_bandung_bad_ocid_prefix(bandung: dict[str, list[Issue]]) -> None:
    [issue] = bandung["ocid_prefix"]
    assert issue.pointer == "/releases/0/ocid" and issue.severity == "error"
    assert "asdf-123-000-00001" in issue.message_id and "prefiks" in issue.message_id
    assert "registered OCDS prefix" in issue.message_en


def test_bandung_singular_award_and_contract(bandung: dict[str, list[Issue]]) -> None:
    pointers = {i.pointer for i in bandung["singular_object"]}
    assert pointers == {"/releases/0/award", "/releases/0/contract"}
    assert all(
        i.severity == "error" and "larik" in i.message_id for i in bandung["singular_object"]
    )


def test_bandung_typo_key_suggests_the_real_name(bandung: dict[str, list[Issue]]) -> None:
    [issue] = bandung["typo_key"]
    assert issue.pointer == "/releases/0/planning/budget/descr  iption"
    assert "'description'" in issue.message_en and "mungkin maksudnya" in issue.message_id
    assert issue.severity == "warning"


def test_bandung_deprecated_award_criteria(bandung: dict[str, list[Issue]]) -> None:
    [issue] = bandung["deprecated_code"]
    assert issue.pointer == "/releases/0/tender/awardCriteria"
    assert "lowestCost" in issue.message_en and "usang" in issue.message_id


def test_bandung_non_codelist_category(bandung: dict[str, list[Issue]]) -> None:
    [issue] = bandung["codelist_open"]
    assert issue.pointer == "/releases/0/tender/additionalProcurementCategories/0"
    assert "extendedProcurementCategory.csv" in issue.message_en


def test_bandung_contract_award_link(bandung: dict[str, list[Issue]]) -> None:
    [issue] = bandung["award_link"]
    assert issue.pointer == "/releases/0/contract/awardID"
    assert "'353'" in issue.message_id and issue.severity == "error"


def test_bandung_is_rejected_with_every_error_named() -> None:
    issues = validate_package(load(BANDUNG))
    with pytest.raises(OcdsValidationError) as info:
        raise_for_issues(issues)
    error = info.value
    assert isinstance(error, ValidationError)
    assert error.message_id.startswith("data OCDS ditolak, 4 kesalahan")
    for pointer in ("/ocid", "/award", "/contract", "/contract/awardID"):
        assert f"/releases/0{pointer}:" in error.message_en
    assert error.issues == issues


def test_fictional_lifecycle_releases_are_clean() -> None:
    for path in sorted(FICTIONAL.glob("ocds-213czf-000-00001-0*.json")):
        assert errors_only(validate_package(load(path))) == [], path.name


CLEAN_KIT = [
    "combine-record-packages_minimal-maximal-extensions.json",
    "combine-release-packages_minimal-maximal-extensions.json",
    "realdata/record-package_linked-releases.json",
    "realdata/record-package_versioned.json",
    "record-package_extensions.json",
    "record-package_maximal.json",
    "record-package_minimal-1-2.json",
    "release-package_extensions.json",
    "release-package_maximal.json",
    "release-package_minimal-1-2.json",
    "release-package_minimal.json",
    "release-package_urls.json",
]


@pytest.mark.parametrize("name", CLEAN_KIT)
def test_ocdskit_packages_validate(name: str) -> None:
    data = load(KIT / name)
    issues = validate_package(data) if "releases" in data else validate_record_package(data)
    assert errors_only(issues) == []


@pytest.mark.parametrize(
    ("name", "code", "pointer"),
    [
        ("release-package_unknown-version.json", "schema_pattern", "/version"),
        ("realdata/release-package_1.1-1.json", "required", ""),
        (
            "realdata/release-package_record-package.json",
            "type",
            "/releases/0/tender/submissionMethod/0",
        ),
        (
            "release-package_additional-contact-points.json",
            "duplicate_release_id",
            "/releases/1/id",
        ),
        ("record_minimal.json", "required", ""),
    ],
)
def test_ocdskit_broken_packages_are_caught(name: str, code: str, pointer: str) -> None:
    data = load(KIT / name)
    issues = validate_package(data) if "releases" in data else validate_record_package(data)
    assert (code, pointer) in {(i.code, i.pointer) for i in errors_only(issues)}


def test_clean_release_has_no_issues() -> None:
    assert validate_release(release()) == []


def test_missing_required_field_is_named() -> None:
    data = release()
    del data["id"]
    [issue] = validate_release(data)
    assert (issue.code, issue.pointer) == ("required", "")
    assert "'id'" in issue.message_id and "wajib" in issue.message_id


def test_wrong_type_points_at_the_field() -> None:
    [issue] = validate_release(release(tender={"id": "t", "value": {"amount": "banyak"}}))
    assert (issue.code, issue.pointer) == ("type", "/tender/value/amount")


def test_closed_codelist_value_is_an_error() -> None:
    [issue] = validate_release(release(tender={"id": "t", "procurementMethod": "lelang"}))
    assert (issue.code, issue.severity) == ("codelist", "error")
    assert issue.pointer == "/tender/procurementMethod" and "method.csv" in issue.message_en


def test_tender_period_ending_before_start() -> None:
    period = {"startDate": "2025-02-01T00:00:00Z", "endDate": "2025-01-01T00:00:00Z"}
    [issue] = validate_release(release(tender={"id": "t", "tenderPeriod": period}))
    assert (issue.code, issue.pointer) == ("date_order", "/tender/tenderPeriod/endDate")
    assert "tidak berurutan" in issue.message_id


def test_contract_period_and_signature_before_award() -> None:
    award = {"id": "a1", "date": "2025-03-01T00:00:00Z"}
    contract = {
        "id": "c1",
        "awardID": "a1",
        "dateSigned": "2025-02-01T00:00:00Z",
        "period": {"startDate": "2025-05-01T00:00:00Z", "endDate": "2025-04-01T00:00:00Z"},
    }
    issues = validate_release(release(awards=[award], contracts=[contract]))
    assert {(i.code, i.pointer) for i in issues} == {
        ("date_order", "/contracts/0/period/endDate"),
        ("date_order", "/contracts/0/dateSigned"),
    }


def test_date_without_time_zone_is_rejected() -> None:
    [issue] = validate_release(release(date="2025-01-10 08:00"))
    assert (issue.code, issue.pointer) == ("date_format", "/date")


def test_contract_naming_unknown_award() -> None:
    issues = validate_release(
        release(awards=[{"id": "a1"}], contracts=[{"id": "c", "awardID": "a2"}])
    )
    assert [(i.code, i.pointer) for i in issues] == [("award_link", "/contracts/0/awardID")]


def test_award_link_resolves_across_releases_of_a_package() -> None:
    award = release(id="r1", awards=[{"id": "a1"}], tag=["award"])
    contract = release(id="r2", contracts=[{"id": "c", "awardID": "a1"}], tag=["contract"])
    assert validate_package(package(award, contract)) == []
    other = release(ocid="ocds-tbk352-0002", id="r3", contracts=[{"id": "c", "awardID": "a1"}])
    [issue] = validate_package(package(award, other))
    assert (issue.code, issue.pointer) == ("award_link", "/releases/1/contracts/0/awardID")


def test_duplicate_release_ids_within_a_package() -> None:
    [issue] = validate_package(package(release(), release()))
    assert (issue.code, issue.pointer) == ("duplicate_release_id", "/releases/1/id")
    assert "/releases/0" in issue.message_en and "ganda" in issue.message_id


def test_configured_prefixes() -> None:
    assert validate_release(release(), prefixes=["ocds-tbk352"]) == []
    [issue] = validate_release(release(), prefixes=["ocds-abc123"])
    assert issue.code == "ocid_prefix" and "ocds-abc123" in issue.message_en


def test_package_envelope_errors_point_at_the_package() -> None:
    data = package(release())
    del data["publisher"]
    data["version"] = "satu"
    found = {(i.code, i.pointer) for i in validate_package(data)}
    assert ("required", "") in found and ("schema_pattern", "/version") in found


def test_unknown_key_is_a_warning_only() -> None:
    issues = validate_release(release(tender={"id": "t", "kodeLelang": "123"}))
    assert [(i.code, i.severity) for i in issues] == [("additional_property", "warning")]
    raise_for_issues(issues)  # warnings never block


def test_non_objects_are_rejected() -> None:
    assert validate_release([1])[0].code == "type"
    assert validate_package("x")[0].code == "type"
    data = package(release())
    data["releases"] = [copy.deepcopy(release()), 5]
    assert ("type", "/releases/1") in {(i.code, i.pointer) for i in validate_package(data)}


def fixture_releases() -> list[Any]:
    found: list[Any] = []
    for path in [BANDUNG, *sorted(KIT.glob("*.json")), *sorted((KIT / "realdata").glob("*.json"))]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(data, dict):
            found += data.get("releases") or []
            found += [
                r["compiledRelease"] for r in data.get("records") or [] if "compiledRelease" in r
            ]
    return found


def test_fast_validator_agrees_with_jsonschema() -> None:
    from terbuka.ocds.validate import _fast_validator, _validator

    releases = [*fixture_releases(), release(), release(tender={"id": 1}), {"ocid": 5}]
    assert len(releases) > 30
    fast, reference = _fast_validator("release-schema.json"), _validator("release-schema.json")
    verdicts = [(fast.is_valid(r), reference.is_valid(r)) for r in releases]
    assert all(a == b for a, b in verdicts)
    assert {a for a, _ in verdicts} == {True, False}  # both kinds were exercised


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
KEYS = st.sampled_from(
    [
        "ocid",
        "id",
        "date",
        "tag",
        "tender",
        "awards",
        "contracts",
        "award",
        "contract",
        "planning",
        "parties",
        "buyer",
        "tenderPeriod",
        "startDate",
        "endDate",
        "awardID",
        "dateSigned",
        "period",
        "procurementMethod",
        "status",
        "value",
        "amount",
        "currency",
        "items",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        JSON_VALUE,
        lambda inner: st.dictionaries(KEYS, inner, max_size=6) | st.lists(inner, max_size=3),
        max_leaves=30,
    )
)
def test_validation_never_crashes_on_arbitrary_json(data: Any) -> None:
    for issue in validate_release(data) + validate_package({"releases": [data, data]}):
        assert issue.message_id and issue.message_en and issue.code


@settings(max_examples=300, deadline=None)
@given(st.from_regex(rules.DATE_TIME, fullmatch=True))
def test_date_time_pattern_matches_only_what_parse_datetime_accepts(value: str) -> None:
    assert rules.parse_datetime(value) is not None


# Fields walk checks (codelists, dates, deprecated, pattern properties, singular objects)
# with good and bad values, nested anywhere: walk_schema must flag every release walk does.
RULE_KEYS = st.sampled_from(
    [
        "tender",
        "awards",
        "contracts",
        "items",
        "parties",
        "roles",
        "status",
        "procurementMethod",
        "awardCriteria",
        "currency",
        "tag",
        "startDate",
        "endDate",
        "tenderPeriod",
        "amendments",
        "changes",
        "documents",
        "documentType",
        "source",
        "title_en",
        "title_",
        "titel",
        "award",
        "implementation",
        "transactions",
        "value",
        "amount",
    ]
)
RULE_VALUES = st.sampled_from(
    [
        None,
        "active",
        "open",
        "lowestCost",
        "bestProposal",
        "IDR",
        "IDRX",
        "tender",
        "buyer",
        "bidder",
        "2024-02-29T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-01-31T23:59:59.5+07:00",
        "2024-01-01",
        "2024-01-01T00:00:00",
        "2024-01-01T00:00:00Z\n",
        "0000-01-01T00:00:00Z",
        5,
        [],
        ["tender", "x"],
    ]
)


EXTRA_FIELDS = st.dictionaries(  # fields to add to a valid release, nested, often invalid
    RULE_KEYS,
    st.recursive(
        RULE_VALUES,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(RULE_KEYS, inner, max_size=4),
        max_leaves=12,
    ),
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(EXTRA_FIELDS)
def test_walk_schema_never_hides_an_issue(extra: dict[str, Any]) -> None:
    data = {**release(), **extra}
    if rules._walk_finds_nothing(data):
        assert list(rules.walk(data, rules.dereferenced_schema(), "")) == []


@settings(max_examples=300, deadline=None)
@given(EXTRA_FIELDS)
def test_validate_release_one_pass_check_changes_no_issue(extra: dict[str, Any]) -> None:
    data = {**release(), **extra}
    separately = schema_issues(data, "release-schema.json") + rules.release_issues(
        data, "", prefixes=None
    )
    assert validate_release(data) == separately


def test_walk_schema_agrees_with_walk_on_the_fixtures() -> None:
    releases = [r for r in fixture_releases() + load(BANDUNG)["releases"] if isinstance(r, dict)]
    verdicts = {
        (rules._walk_finds_nothing(r), not list(rules.walk(r, rules.dereferenced_schema(), "")))
        for r in releases
    }
    assert verdicts == {(True, True), (False, False)}  # no hidden issue, both kinds seen
