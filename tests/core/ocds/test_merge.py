"""Conformance of terbuka.ocds.merge with the ocds-merge fixtures and the 1.1.5 worked examples."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ocdsmerge.exceptions import OCDSMergeError
from tests.paths import OCDS_FIXTURES

from terbuka.errors import ValidationError
from terbuka.ocds.merge import compile_release, merger, versioned_release

SHARED_OCDS = OCDS_FIXTURES
FIXTURES = SHARED_OCDS / "ocds-merge-fixtures"
EXAMPLES = SHARED_OCDS / "standard-1.1.5" / "examples"
SCHEMAS = {
    "1.1": None,
    "1.0": str(FIXTURES / "release-schema-1__0__3.json"),
    "schema": str(FIXTURES / "schema.json"),
}


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def merge_cases() -> list[tuple[str, Path, str]]:
    cases = []
    for sub in SCHEMAS:
        for path in sorted((FIXTURES / sub).glob("*.json")):
            for kind in ("compiled", "versioned"):
                expected = path.with_name(f"{path.stem}-{kind}.json")
                if not path.stem.endswith(("-compiled", "-versioned")) and expected.exists():
                    cases.append((sub, path, kind))
    return cases


CASES = merge_cases()


def test_fixture_set_is_complete() -> None:
    assert len(CASES) == 50  # 34 (1.1) + 2 (1.0) + 14 (schema/)


@pytest.mark.filterwarnings("ignore::ocdsmerge.exceptions.DuplicateIdValueWarning")
@pytest.mark.parametrize(("sub", "path", "kind"), CASES, ids=lambda v: getattr(v, "stem", v))
def test_ocds_merge_fixture(sub: str, path: Path, kind: str) -> None:
    merge = compile_release if kind == "compiled" else versioned_release
    expected = load(path.with_name(f"{path.stem}-{kind}.json"))
    assert merge(load(path), schema_path=SCHEMAS[sub]) == expected


def test_ocds_merge_1_1_fixtures_also_pass_with_bundled_1_1_5_schema() -> None:
    for path in sorted((FIXTURES / "1.1").glob("*.json")):
        expected = path.with_name(f"{path.stem}-compiled.json")
        if expected.exists() and not path.stem.endswith("-compiled"):
            assert compile_release(load(path)) == load(expected), path.name


def test_worked_example_updates_compile_and_version() -> None:
    names = ["tender1", "tender2", "tender3", "award1", "award2"]
    releases = [r for n in names for r in load(EXAMPLES / f"merging/updates/{n}.json")["releases"]]
    merged = load(EXAMPLES / "merging/updates/merged.json")["records"][0]
    versioned = load(EXAMPLES / "merging/updates/versioned.json")["records"][0]
    assert compile_release(releases) == merged["compiledRelease"]
    assert versioned_release(releases) == versioned["versionedRelease"]


@pytest.mark.parametrize("path", sorted((EXAMPLES / "change_history/records").glob("*.json")))
def test_change_history_record(path: Path) -> None:
    record = load(path)["records"][0]
    assert compile_release(record["releases"]) == record["compiledRelease"]
    assert versioned_release(record["releases"]) == record["versionedRelease"]


def test_fictional_lifecycle_compiles_to_expected_record() -> None:
    folder = SHARED_OCDS / "sample-data/fictional-example/1.1"
    releases = [
        r for p in sorted(folder.glob("ocds-213czf-000-00001-0*.json")) for r in load(p)["releases"]
    ]
    assert len(releases) == 6
    record = load(folder / "record/ocds-213czf-000-00001.json")["records"][0]
    with_versions = load(folder / "record/ocds-213czf-000-00001-withversions.json")["records"][0]
    assert compile_release(releases) == record["compiledRelease"]
    assert versioned_release(releases) == with_versions["versionedRelease"]


def test_merge_orders_by_date_not_by_input_order() -> None:
    first = {"ocid": "ocds-tbk352-1", "id": "a", "date": "2024-01-01T00:00:00Z", "tag": ["tender"]}
    second = {**first, "id": "b", "date": "2024-02-01T00:00:00Z", "tender": {"title": "Baru"}}
    first["tender"] = {"title": "Lama"}
    assert compile_release([second, first])["tender"]["title"] == "Baru"


@pytest.mark.parametrize(
    "releases",
    [[{"ocid": "x", "id": "1"}, {"ocid": "x", "id": "2"}], [{"date": None}, {"date": "x"}]],
)
def test_merge_rejects_releases_without_dates_bilingually(releases: list[dict[str, Any]]) -> None:
    with pytest.raises(ValidationError) as info:
        compile_release(releases)
    assert "rilis tidak dapat digabung" in info.value.message_id
    assert "cannot be merged" in info.value.message_en


# Field names with merge rules (identifier merge, whole-list merge, omitted) and plain ones;
# values mix types per path, ids of every JSON type, repeats, nulls and empty containers.
KEYS = st.sampled_from(
    [
        "tender",
        "awards",
        "items",
        "id",
        "title",
        "parties",
        "roles",
        "additionalIdentifiers",
        "suppliers",
        "date",
        "tag",
        "ocid",
    ]
)
SCALARS = st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from(["a", "b", "1"])
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=16,
)
RELEASES = st.lists(
    st.builds(
        lambda body, date, dated: (
            {**body, "ocid": "ocds-tbk352-1", "date": date} if dated else body
        ),
        st.dictionaries(KEYS, VALUES, max_size=5),
        st.sampled_from(["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"]),
        st.sampled_from([True, True, True, False]),  # mostly dated, as releases must be
    ),
    min_size=1,
    max_size=4,
)


@pytest.mark.filterwarnings("ignore::ocdsmerge.exceptions.DuplicateIdValueWarning")
@settings(max_examples=400, deadline=None)
@given(RELEASES)
def test_compile_release_equals_ocdsmerge_with_key_order(releases: list[dict[str, Any]]) -> None:
    _assert_compiles_as_ocdsmerge(releases)


def _assert_compiles_as_ocdsmerge(releases: list[dict[str, Any]]) -> None:
    """Assert compile_release gives ocdsmerge's compiled release, keys in order, or refuses
    what ocdsmerge fails on."""
    try:  # on a copy: ocdsmerge appends to an input list in some irregular cases
        expected: Any = merger().create_compiled_release(copy.deepcopy(releases))
    except (OCDSMergeError, TypeError, AttributeError) as exc:  # what compile_release rejects
        expected = exc
    if isinstance(expected, Exception):
        with pytest.raises(ValidationError):
            compile_release(releases)
    else:
        assert json.dumps(compile_release(releases)) == json.dumps(expected)


def _stage(n: int, body: dict[str, Any]) -> dict[str, Any]:
    date = f"2024-0{n}-01T00:00:00+07:00"
    return {"ocid": "ocds-tbk352-1", "id": str(n), "date": date, "tag": ["tender"], **body}


@pytest.mark.parametrize(
    "later",
    [
        {"tender": {"value": 5}},  # a value replacing an object built by an earlier release
        {"tender": {"items": [{"quantity": None, "id": "b"}]}},  # null in a merged item
        {"tender": {"items": "none"}},  # a value replacing a built array
        {"tender": {"title": None, "value": {"amount": 2.5}}},
    ],
)
def test_compile_release_of_new_and_merged_objects_equals_ocdsmerge(
    later: dict[str, Any],
) -> None:
    first = _stage(
        1,
        {
            "tender": {
                "title": "Jalan",
                "value": {"amount": 1, "currency": "IDR", "x": None},
                "items": [{"quantity": 2, "id": "b", "unit": {}}, {"description": "a"}],
                "tenderers": [],
            }
        },
    )
    releases = [first, _stage(2, later)]
    _assert_compiles_as_ocdsmerge(releases)


@pytest.mark.parametrize("later", [{"scheme": "NPWP"}, "NPWP", [{"id": "1"}], None])
def test_compile_release_replaces_whole_list_values_like_ocdsmerge(later: Any) -> None:
    party = {"id": "p", "name": "CV A", "additionalIdentifiers": {"id": "1"}, "roles": ["buyer"]}
    releases = [
        _stage(1, {"parties": [party]}),
        _stage(2, {"parties": [{**party, "additionalIdentifiers": later, "roles": [{"a": 1}]}]}),
        _stage(3, {"parties": [{"id": "p", "additionalIdentifiers": {"id": "2"}}]}),
    ]
    expected = merger().create_compiled_release(copy.deepcopy(releases))
    assert json.dumps(compile_release(releases)) == json.dumps(expected)
