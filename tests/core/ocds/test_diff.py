"""terbuka.ocds.diff: what changed between the states after two releases of a process."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terbuka.errors import ValidationError
from terbuka.ocds.build import release_build
from terbuka.ocds.diff import FieldChange, diff_releases, diff_states, state_after, states
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA

OCID = "ocds-tbk352-1"
INFO = {"title": "Jalan Ngasem", "description": "", "buyer": {"id": "dpu", "name": "Dinas PU"}}
DOC = {
    "sha256": "a" * 64,
    "size": 10,
    "document_type": "tenderNotice",
    "title": "Pengumuman",
    "url": "https://x.example/a.pdf",
    "date": "2026-03-01T00:00:00+07:00",
}


def publish(history: list[dict[str, Any]], stage: str, data: dict[str, Any], **kw: Any) -> None:
    """Append the release of stage's data to history as stage_publish would build it."""
    n = len(history) + 1
    history.append(
        release_build(
            ocid=OCID,
            stage=stage,
            data=data,
            previous_tags=[t for r in history for t in r["tag"]],
            process_info=INFO,
            date=f"2026-04-{n:02d}T10:00:00+07:00",
            release_id=f"{OCID}-{stage}-{n}",
            **kw,
        )
    )


@pytest.fixture
def history() -> list[dict[str, Any]]:
    releases: list[dict[str, Any]] = []
    for stage in ("planning", "tender"):
        publish(releases, stage, EXAMPLE_STAGE_DATA[stage])
    amended = {
        **EXAMPLE_STAGE_DATA["tender"],
        "period_end": "2026-03-23",
        "amendment_rationale": "Masa penawaran diperpanjang",
    }
    publish(releases, "tender", amended, documents=[DOC])
    return releases


def test_an_amendment_shows_the_changed_field_its_reason_and_the_new_document(
    history: list[dict[str, Any]],
) -> None:
    diff = diff_states(history, f"{OCID}-tender-2", f"{OCID}-tender-3")
    fields = {c.field: c for c in diff.fields}
    end = fields["tender/tenderPeriod/endDate"]
    assert (end.before, end.after, end.kind) == (
        "2026-03-16T00:00:00+07:00",
        "2026-03-23T00:00:00+07:00",
        "changed",
    )
    assert fields["tender/amendments/rationale"].after == "Masa penawaran diperpanjang"
    assert fields["tender/amendments/rationale"].path == (
        "tender",
        "amendments",
        f"amendment-{OCID}-tender-3",
        "rationale",
    )
    assert "tender/value/amount" not in fields  # unchanged
    assert not {"id", "date", "tag"} & set(fields)  # release metadata is not a change
    assert [(d.id, d.section, d.kind) for d in diff.documents] == [
        ("sha256-" + "a" * 64, "tender", "added")
    ]


def test_any_two_releases_compare_both_ways(history: list[dict[str, Any]]) -> None:
    forward = diff_states(history, f"{OCID}-planning-1", f"{OCID}-tender-3")
    back = diff_states(history, f"{OCID}-tender-3", f"{OCID}-planning-1")
    assert {c.field for c in forward.fields} >= {"tender/value/amount", "tender/items/quantity"}
    assert sorted((c.path, repr(c.before), repr(c.after)) for c in back.fields) == sorted(
        (c.path, repr(c.after), repr(c.before)) for c in forward.fields
    )
    assert [d.kind for d in back.documents] == ["removed"]
    assert not diff_states(history, f"{OCID}-tender-2", f"{OCID}-tender-2")


def test_objects_in_arrays_are_matched_by_id_not_position() -> None:
    before = {"tender": {"items": [{"id": "1", "quantity": 5}, {"id": "2", "quantity": 7}]}}
    after = {"tender": {"items": [{"id": "2", "quantity": 8}, {"id": "1", "quantity": 5}]}}
    assert diff_releases(before, after).fields == [
        FieldChange(("tender", "items", "2", "quantity"), "tender/items/quantity", 7, 8)
    ]


def test_a_new_object_is_added_field_by_field_and_a_list_of_values_is_one_value() -> None:
    before = {"parties": [{"id": "a", "roles": ["buyer"]}]}
    after = {"parties": [{"id": "a", "roles": ["buyer", "payer"]}, {"id": "b", "name": "CV B"}]}
    changes = [(c.path, c.before, c.after, c.kind) for c in diff_releases(before, after).fields]
    assert changes == [
        (("parties", "a", "roles"), ("buyer",), ("buyer", "payer"), "changed"),
        (("parties", "b", "id"), None, "b", "added"),
        (("parties", "b", "name"), None, "CV B", "added"),
    ]


def test_unknown_release_ids_are_refused_naming_the_parameter(
    history: list[dict[str, Any]],
) -> None:
    with pytest.raises(ValidationError) as caught:
        diff_states(history, f"{OCID}-planning-1", "tidak-ada")
    assert caught.value.where == "ke"
    assert "tidak-ada" in caught.value.message_id and "not a release" in caught.value.message_en
    with pytest.raises(ValidationError) as caught:
        state_after(states(history), "x" * 500, where="dari")
    assert caught.value.where == "dari" and len(caught.value.message_en) < 250


def test_states_are_the_compiled_releases_up_to_each_release(
    history: list[dict[str, Any]],
) -> None:
    staged = states(list(reversed(history)))  # ordered by date whatever the input order
    assert [r["id"] for r, _ in staged] == [r["id"] for r in history]
    assert "tender" not in staged[0][1] and staged[1][1]["tender"]["value"]["amount"] > 0
    assert staged[2][1]["tender"]["amendments"][0]["rationale"] == "Masa penawaran diperpanjang"


scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["a", "b"]))
ids = st.sampled_from(["1", "2", "3"])
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(scalars, max_size=3),
        st.dictionaries(st.sampled_from(["x", "y", "documents"]), inner, max_size=3),
        st.lists(
            st.fixed_dictionaries({"id": ids}, optional={"v": inner}),
            max_size=3,
            unique_by=lambda d: d["id"],
        ),
    ),
    max_leaves=12,
)
releases = st.dictionaries(st.sampled_from(["tender", "awards", "id", "tag", "q"]), values)


def value_at(node: Any, path: tuple[str, ...]) -> Any:
    """Return the value at a diff path (keys and array ids), None when absent."""
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            node = next((i for i in node if isinstance(i, dict) and i.get("id") == part), None)
        else:
            return None
    return node


@settings(max_examples=300, deadline=None)
@given(releases, releases)
def test_every_change_is_found_at_its_path_and_reversing_mirrors_it(
    a: dict[str, Any], b: dict[str, Any]
) -> None:
    snapshot = copy.deepcopy((a, b))
    forward, back = diff_releases(a, b), diff_releases(b, a)
    assert (a, b) == snapshot  # inputs untouched
    assert not diff_releases(a, a) and not diff_releases(b, b)
    assert sorted((c.path, repr(c.before), repr(c.after)) for c in forward.fields) == sorted(
        (c.path, repr(c.after), repr(c.before)) for c in back.fields
    )
    assert len(forward.documents) == len(back.documents)
    for change in forward.fields:
        assert change.before != change.after
        assert change.path[0] not in ("id", "date", "tag")
        found = value_at(b, change.path)
        assert (found in (None, [], {})) if change.after is None else found is not None
