"""Test terbuka.bounds: text, numbers and dates every stored value must keep."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from terbuka.bounds import (
    MAX_AMOUNT,
    MAX_SAFE_INTEGER,
    json_faults,
    number_fault,
    pointer,
    text_fault,
    utc_in_range,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ok é 😀", None),
        ("a\x00", "text_nul"),
        ("\ud800", "text_surrogate"),
        ("x\udfff", "text_surrogate"),
    ],
)
def test_text_fault(text: str, code: str | None) -> None:
    found = text_fault(text)
    assert (found[0] if found else None) == code


@pytest.mark.parametrize(
    ("number", "limit", "bad"),
    [
        (MAX_SAFE_INTEGER, MAX_SAFE_INTEGER, False),
        (-MAX_SAFE_INTEGER - 1, MAX_SAFE_INTEGER, True),
        (float("inf"), MAX_SAFE_INTEGER, True),
        (float("nan"), MAX_SAFE_INTEGER, True),
        (1.5, MAX_AMOUNT, False),
        (MAX_AMOUNT + 1, MAX_AMOUNT, True),
        (-(10**4000), MAX_SAFE_INTEGER, True),
    ],
)
def test_number_fault(number: float, limit: int, bad: bool) -> None:
    assert (number_fault(number, limit) is not None) is bad


def test_json_faults_name_paths_at_any_depth() -> None:
    deep: object = "a\x00"
    for _ in range(50_000):
        deep = [deep]
    [fault] = json_faults({"k": deep})
    assert fault.path == ("k", *[0] * 50_000) and fault.code == "text_nul"
    faults = {pointer(f.path): f.code for f in json_faults({"\ud800": 1, "a/b": [True, 1e400]})}
    assert faults == {"/\\ud800": "text_surrogate", "/a~1b/1": "number_range"}
    assert list(json_faults(json.loads('{"a":[1,"x",null,true,2.5]}'))) == []


@pytest.mark.parametrize(
    ("moment", "ok"),
    [
        (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), False),  # 1 BC in UTC
        (datetime(1, 1, 1, 13, tzinfo=UTC), False),  # 1 BC in UTC-14
        (datetime(1, 1, 1, 14, tzinfo=UTC), True),
        (datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=14))), True),
        (datetime(9999, 12, 31, 10, tzinfo=UTC), False),  # year 10000 in UTC+14
        (datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))), False),
    ],
)
def test_utc_in_range(moment: datetime, ok: bool) -> None:
    assert utc_in_range(moment) is ok
