"""Tests of terbuka.spreadsheet and the spreadsheets of terbuka.ocds.flatten: no cell runs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from tests.sheet_cells import FORMULA_TITLES, assert_no_formula, csv_cells, xlsx_cells

from terbuka.ocds.flatten import flatten_package
from terbuka.ocds.package import PackageMeta, package_format, release_package
from terbuka.spreadsheet import csv_cell, formula_like

META = PackageMeta(
    uri="https://data.contoh.go.id/ocds/releases.json",
    published_date="2025-01-10T09:00:00Z",
    publisher={"name": "Pemkab Contoh"},
)


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\rx", "\nx", "  =1", "\u00a0@x"]
)
def test_formula_like_text_gets_a_quote_in_csv(text: str) -> None:
    assert formula_like(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Jalan Desa", "1+1", "2024-01-01", "'=x", "a=b", " x"])
def test_plain_text_is_unchanged(text: str) -> None:
    assert not formula_like(text)
    assert csv_cell(text) == text


@pytest.mark.parametrize("number", [-5, Decimal("-1250000.5"), -0.5, True, None])
def test_numbers_and_empty_cells_stay_as_they_are(number: object) -> None:
    assert csv_cell(number) is number


def release(i: int, title: str) -> dict[str, object]:
    return {
        "ocid": "ocds-213czf-000-00001",
        "id": f"r{i}",
        "date": f"2025-01-{1 + i:02d}T00:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "tender": {
            "id": "t",
            "title": title,
            "value": {"amount": -5, "currency": "IDR"},
            "items": [{"id": "1", "description": title, "quantity": -2}],
        },
        "parties": [{"id": "p", "name": title, "roles": ["buyer"]}],
        '=HYPERLINK("x")': title,  # an extension field: its heading is data too
    }


def test_flattened_package_has_no_formula_cell(tmp_path: Path) -> None:
    source = tmp_path / "releases.json"
    releases = [release(i, t) for i, t in enumerate(FORMULA_TITLES)]
    source.write_bytes(package_format(release_package(releases, META)))
    files = flatten_package(source, tmp_path / "out")
    assert_no_formula(files.csv_zip, files.xlsx, [*FORMULA_TITLES, '=HYPERLINK("x")'])
    assert "-5" in csv_cells(files.csv_zip)  # numbers stay numbers, in both files
    assert {c.value for c in xlsx_cells(files.xlsx) if c.data_type == "n"} >= {-5, -2}
    # The JSON is the exact data: the titles are unchanged there.
    assert [r["tender"]["title"] for r in json.loads(source.read_text())["releases"]] == (
        FORMULA_TITLES
    )
