"""Kemendagri region codes: golden parses, bad inputs, and fuzzing of the parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.regions.codes import RegionCode, code_format, code_level, code_parse
from terbuka.regions.errors import RegionCodeError

GOLDEN = [
    ("35", ("35",), "province", None),
    ("35.22", ("35", "22"), "regency", "35"),
    ("35.22.01", ("35", "22", "01"), "district", "35.22"),
    ("35.22.01.2001", ("35", "22", "01", "2001"), "village", "35.22.01"),
    ("3522012001", ("35", "22", "01", "2001"), "village", "35.22.01"),
    (" 35.22.15.1001 ", ("35", "22", "15", "1001"), "village", "35.22.15"),
]


@pytest.mark.parametrize(("text", "parts", "level", "parent"), GOLDEN)
def test_parse_golden(text: str, parts: tuple[str, ...], level: str, parent: str | None) -> None:
    code = code_parse(text)
    assert code.parts == parts
    assert code.level == level
    assert (str(code.parent) if code.parent else None) == parent


def test_village_kinds() -> None:
    assert code_parse("35.22.15.1001").village_kind == "kelurahan"
    assert code_parse("35.22.01.2001").village_kind == "desa"
    assert code_parse("91.03.01.3001").village_kind == "desa_adat"
    assert code_parse("35.22").village_kind is None


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "3",
        "05",
        "350",
        "35.",
        ".35",
        "35.2",
        "35.00",
        "35.22.00",
        "35.22.1",
        "35.22.01.0001",
        "35.22.01.4001",
        "35.22.01.200",
        "35.22.01.20011",
        "35-22-01",
        "35.22.01.2001.1",
        "abc",
        "٣٥",
        "35 22",
    ],
)
def test_parse_rejects_bilingually(bad: str) -> None:
    with pytest.raises(RegionCodeError) as caught:
        code_parse(bad)
    assert "tidak sah" in caught.value.message_id
    assert "is invalid" in caught.value.message_en
    assert caught.value.where == "code"


def test_parse_rejects_wrong_level() -> None:
    with pytest.raises(RegionCodeError) as caught:
        code_parse("35.22", level="village")
    assert "kabupaten/kota" in caught.value.message_id
    assert "35.22.01.2001" in caught.value.message_en
    assert code_level("35.22.01") == "district"


segment2 = st.integers(1, 99).map(lambda n: f"{n:02d}")
codes = st.tuples(
    st.integers(10, 99).map(str),
    segment2,
    segment2,
    st.tuples(st.sampled_from("123"), st.integers(1, 999)).map(lambda t: f"{t[0]}{t[1]:03d}"),
    st.integers(1, 4),
).map(lambda t: ".".join(t[: t[4]]))


@given(codes)
def test_format_parse_round_trip(text: str) -> None:
    code = code_parse(text)
    assert code_format(code) == text
    assert code_parse(text.replace(".", "")) == code
    assert code == RegionCode(tuple(text.split(".")))


@given(st.text(max_size=20))
def test_parse_raises_only_region_code_error(text: str) -> None:
    try:
        code = code_parse(text)
    except RegionCodeError:
        return
    assert code_format(code) == ".".join(code.parts)
