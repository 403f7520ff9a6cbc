"""Scope policy format: golden canonical bytes and hash, bad inputs by JSON pointer, fuzzing."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terbuka.scope.errors import ScopeError
from terbuka.scope.policy import (
    CATEGORIES,
    METHODS,
    PHASES,
    STAGES,
    policy_format,
    policy_hash,
    policy_parse,
)

PILOT: dict[str, Any] = {
    "format": "terbuka/scope/v1",
    "phase": "pilot",
    "rules": [
        {
            "name": "Pengadaan langsung s.d. Rp200 juta",
            "categories": ["goods", "services"],
            "methods": ["pengadaan_langsung"],
            "value_max": 200_000_000,
        }
    ],
    "deadlines": {"planning": 10, "tender": 3, "award": 5, "contract": 5, "implementation": 10},
}
PILOT_BYTES = (
    b'{"deadlines":{"award":5,"contract":5,"implementation":10,"planning":10,"tender":3},'
    b'"format":"terbuka/scope/v1","phase":"pilot","rules":[{"categories":["goods","services"],'
    b'"methods":["pengadaan_langsung"],"name":"Pengadaan langsung s.d. Rp200 juta",'
    b'"value_max":200000000}]}'
)


def test_golden_pair_format_and_parse() -> None:
    policy = policy_parse(PILOT)
    assert policy_format(policy) == PILOT_BYTES
    assert policy_parse(policy.as_data()) == policy
    assert policy_hash(policy) == "c51f93edf31d89f4870b89deae5a9660ac5c59beb103921ba3827a11769a0629"


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(PILOT)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


BAD = [
    (["format"], "terbuka/scope/v0", "/format"),
    (["phase"], "semua", "/phase"),
    (["rules"], [], "/rules"),
    (["rules", 0, "methods", 0], "lelang", "/rules/0/methods/0"),
    (["rules", 0, "categories"], [], "/rules/0/categories"),
    (["rules", 0, "categories", 1], "goods", "/rules/0/categories"),
    (["rules", 0, "value_max"], -1, "/rules/0/value_max"),
    (["rules", 0, "value_max"], True, "/rules/0/value_max"),
    (["rules", 0, "value_min"], 300_000_000, "/rules/0/value_min"),
    (["rules", 0, "name"], "x", "/rules/0/name"),
    (["rules", 0, "colour"], "red", "/rules/0/colour"),
    (["deadlines", "award"], KeyError, "/deadlines/award"),
    (["deadlines", "tender"], 121, "/deadlines/tender"),
    (["deadlines", "tender"], 2.5, "/deadlines/tender"),
    (["extra"], 1, "/extra"),
]


@pytest.mark.parametrize(("path", "value", "pointer"), BAD)
def test_bad_input_names_its_json_pointer_in_both_languages(
    path: list[Any], value: Any, pointer: str
) -> None:
    with pytest.raises(ScopeError) as caught:
        policy_parse(_with(path, value))
    assert caught.value.where == pointer
    assert caught.value.message_id.startswith(pointer)
    assert caught.value.message_en.startswith(pointer)
    assert caught.value.message_id != caught.value.message_en


def test_not_an_object_is_refused() -> None:
    for value in (None, [], "x", 1):
        with pytest.raises(ScopeError):
            policy_parse(value)


rules = st.fixed_dictionaries(
    {"name": st.text(min_size=3, max_size=20).filter(lambda s: len(s.strip()) >= 3)},
    optional={
        "categories": st.lists(st.sampled_from(CATEGORIES), min_size=1, unique=True),
        "methods": st.lists(st.sampled_from(METHODS), min_size=1, unique=True),
        "value_max": st.integers(0, 10**15),
        "agencies": st.lists(st.text(min_size=1, max_size=8), min_size=1, unique=True),
    },
)
policies = st.fixed_dictionaries(
    {
        "format": st.just("terbuka/scope/v1"),
        "phase": st.sampled_from(PHASES),
        "rules": st.lists(rules, min_size=1, max_size=4),
        "deadlines": st.fixed_dictionaries({s: st.integers(0, 120) for s in STAGES}),
    }
)


@settings(max_examples=150, deadline=None)
@given(policies)
def test_valid_policies_round_trip(data: dict[str, Any]) -> None:
    policy = policy_parse(data)
    again = policy_parse(policy.as_data())
    assert again == policy
    assert policy_format(again) == policy_format(policy)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(json_values, policies.flatmap(lambda p: st.just(p) | st.builds(
    lambda k, v: {**p, k: v}, st.sampled_from(["phase", "rules", "deadlines"]), json_values
))))  # fmt: skip
def test_any_json_parses_or_raises_scope_error(data: Any) -> None:
    try:
        policy_parse(data)
    except ScopeError as exc:
        assert exc.where.startswith("/") or exc.where == ""
