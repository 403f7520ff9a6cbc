"""Region selectors: code validation against the loaded hierarchy, lookups, counts."""

from __future__ import annotations

import pytest

from terbuka.regions.errors import RegionCodeError
from terbuka_web.regions.selectors import (
    RegionNotFound,
    region_ancestors,
    region_children,
    region_code_validate,
    region_get,
    region_level_counts,
)


def test_validate_accepts_loaded_codes(bojonegoro: str) -> None:
    assert region_code_validate(code="3522012001", level="village") == "35.22.01.2001"
    assert region_code_validate(code="35.22", level="regency") == "35.22"
    assert region_code_validate(code="35") == "35"


def test_validate_new_code_needs_only_its_parent(bojonegoro: str) -> None:
    assert region_code_validate(code="35.22.01.2099", must_exist=False) == "35.22.01.2099"
    with pytest.raises(RegionNotFound) as caught:
        region_code_validate(code="35.22.01.2099")
    assert caught.value.message_id == "desa/kelurahan dengan kode 35.22.01.2099 tidak ditemukan"
    assert caught.value.message_en == "village with code 35.22.01.2099 was not found"


def test_validate_refuses_missing_parent(bojonegoro: str) -> None:
    with pytest.raises(RegionNotFound) as caught:
        region_code_validate(code="35.22.99.2001", must_exist=False)
    assert "induk kecamatan 35.22.99" in caught.value.message_id
    assert "parent district 35.22.99" in caught.value.message_en


@pytest.mark.parametrize(("code", "level"), [("35.22.01", "village"), ("35.22.01.20", None)])
def test_validate_refuses_bad_pattern(bojonegoro: str, code: str, level: str | None) -> None:
    with pytest.raises(RegionCodeError):
        region_code_validate(code=code, level=level)  # type: ignore[arg-type]


def test_lookups(bojonegoro: str) -> None:
    assert region_get(code="35.22.15").name == "Bojonegoro"
    assert len(region_children(code="35.22")) == 28
    assert [r.code for r in region_children()] == ["35"]
    assert [r.level for r in region_ancestors(code="35.22.15.1001")] == [
        "province",
        "regency",
        "district",
        "village",
    ]
    assert region_level_counts(within="35.22") == {"regency": 1, "district": 28, "village": 430}
    with pytest.raises(RegionNotFound):
        region_get(code="36")
